package dev.tuning.operator.api.v1alpha1;

/** What happens to the provider job when the TuningJob is deleted. */
public enum DeletionPolicy {
  /** Cancel an active provider job and wait (bounded) for it to end. */
  Cancel,
  /** Leave the provider job running. */
  Orphan
}
