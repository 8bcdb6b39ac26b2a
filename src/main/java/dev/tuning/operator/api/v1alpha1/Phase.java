package dev.tuning.operator.api.v1alpha1;

/** The lifecycle phase of a TuningJob, as shown in {@code status.phase}. */
public enum Phase {
  Pending,
  Submitting,
  Queued,
  Running,
  Suspended,
  Cancelling,
  Succeeded,
  Failed,
  Cancelled;

  /** Whether the job has ended and is no longer polled. */
  public boolean isTerminal() {
    return this == Succeeded || this == Failed || this == Cancelled;
  }
}
