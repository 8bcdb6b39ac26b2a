package dev.tuning.operator.provider;

/** The normalized state of a provider job. Providers keep their raw value alongside. */
public enum ProviderJobState {
  /** Accepted, validating, pending or queued: not yet training. */
  QUEUED,
  /** Training. */
  RUNNING,
  /** Paused or pausing at the user's request. */
  PAUSED,
  /** A cancel was requested and has not finished. */
  CANCELLING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /** A state the provider documents no meaning for: active, keep polling. */
  UNKNOWN;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
