package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.provider.ErrorKind;
import java.util.Arrays;
import java.util.Optional;

/**
 * The closed set of reasons the operator writes: every condition reason and every Event reason.
 * {@link #value()} is the CamelCase string users see; the constant names are Java's only.
 */
public enum Reason {
  // Submitted
  NOT_SUBMITTED("NotSubmitted"),
  /** Submitted=Unknown while a create is announced, and the Event that announces it. */
  SUBMITTING("Submitting"),
  HELD("Held"),
  JOB_CREATED("JobCreated"),
  JOB_ADOPTED("JobAdopted"),
  // Running / Succeeded / Failed
  NOT_STARTED("NotStarted"),
  JOB_RUNNING("JobRunning"),
  JOB_PAUSED("JobPaused"),
  JOB_CANCELLING("JobCancelling"),
  JOB_SUCCEEDED("JobSucceeded"),
  JOB_FAILED("JobFailed"),
  JOB_CANCELLED("JobCancelled"),
  JOB_NOT_FOUND("JobNotFound"),
  IN_PROGRESS("InProgress"),
  NO_FAILURE("NoFailure"),
  // Suspended
  NOT_SUSPENDED("NotSuspended"),
  NOT_SUPPORTED("NotSupported"),
  // Synced
  SYNCED("Synced"),
  RATE_LIMITED("RateLimited"),
  QUOTA_EXCEEDED("QuotaExceeded"),
  PROVIDER_UNAVAILABLE("ProviderUnavailable"),
  AUTHENTICATION_FAILED("AuthenticationFailed"),
  CREDENTIALS_MISSING("CredentialsMissing"),
  CREDENTIALS_REJECTED("CredentialsRejected"),
  JOB_NOT_OWNED("JobNotOwned"),
  PROVIDER_REJECTED("ProviderRejected"),
  INVALID_SPEC("InvalidSpec"),
  RECONCILE_ERROR("ReconcileError"),
  /** Failed: active longer than spec.activeDeadlineSeconds (as a Kubernetes Job says it). */
  DEADLINE_EXCEEDED("DeadlineExceeded"),
  // Events only
  CANCEL_REQUESTED("CancelRequested"),
  CANCEL_TIMED_OUT("CancelTimedOut"),
  ORPHANED("Orphaned"),
  PAUSE_REQUESTED("PauseRequested"),
  RESUME_REQUESTED("ResumeRequested"),
  /** Deleted spec.ttlSecondsAfterFinished after it finished. */
  TTL_EXPIRED("TTLExpired"),
  /** An immediate provider read asked by tuning.dev/reconcile-requested-at. */
  SYNC_REQUESTED("SyncRequested"),
  // Events on a phase change, named after the new phase as they always were (see forPhase)
  PHASE_PENDING("Pending"),
  PHASE_QUEUED("Queued"),
  PHASE_RUNNING("Running"),
  PHASE_SUSPENDED("Suspended"),
  PHASE_CANCELLING("Cancelling"),
  PHASE_SUCCEEDED("Succeeded"),
  PHASE_FAILED("Failed"),
  PHASE_CANCELLED("Cancelled");

  private final String value;

  Reason(String value) {
    this.value = value;
  }

  /** The reason as conditions and Events show it. */
  public String value() {
    return value;
  }

  /** The reason a stored string names, if this operator writes it. */
  public static Optional<Reason> fromValue(String value) {
    return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst();
  }

  /** The Synced reason for a provider failure. */
  public static Reason forError(ErrorKind kind) {
    return switch (kind) {
      case TRANSIENT -> PROVIDER_UNAVAILABLE;
      case RATE_LIMITED -> RATE_LIMITED;
      case QUOTA -> QUOTA_EXCEEDED;
      case AUTHENTICATION -> AUTHENTICATION_FAILED;
      case PERMANENT -> PROVIDER_REJECTED;
      case NOT_FOUND -> JOB_NOT_FOUND;
      case CREDENTIALS_REJECTED -> CREDENTIALS_REJECTED;
    };
  }

  /** The reason of the Event a change to {@code phase} records: the phase's own name. */
  public static Reason forPhase(Phase phase) {
    return switch (phase) {
      case Pending -> PHASE_PENDING;
      case Submitting -> SUBMITTING;
      case Queued -> PHASE_QUEUED;
      case Running -> PHASE_RUNNING;
      case Suspended -> PHASE_SUSPENDED;
      case Cancelling -> PHASE_CANCELLING;
      case Succeeded -> PHASE_SUCCEEDED;
      case Failed -> PHASE_FAILED;
      case Cancelled -> PHASE_CANCELLED;
    };
  }
}
