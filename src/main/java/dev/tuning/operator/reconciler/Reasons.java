package dev.tuning.operator.reconciler;

import dev.tuning.operator.provider.ErrorKind;

/** The closed set of condition and Event reasons (CamelCase). */
public final class Reasons {
  // Submitted
  public static final String NOT_SUBMITTED = "NotSubmitted";
  public static final String SUBMITTING = "Submitting";
  public static final String HELD = "Held";
  public static final String JOB_CREATED = "JobCreated";
  public static final String JOB_ADOPTED = "JobAdopted";
  // Running / Succeeded / Failed
  public static final String NOT_STARTED = "NotStarted";
  public static final String JOB_RUNNING = "JobRunning";
  public static final String JOB_PAUSED = "JobPaused";
  public static final String JOB_CANCELLING = "JobCancelling";
  public static final String JOB_SUCCEEDED = "JobSucceeded";
  public static final String JOB_FAILED = "JobFailed";
  public static final String JOB_CANCELLED = "JobCancelled";
  public static final String JOB_NOT_FOUND = "JobNotFound";
  public static final String IN_PROGRESS = "InProgress";
  public static final String NO_FAILURE = "NoFailure";
  // Suspended
  public static final String NOT_SUSPENDED = "NotSuspended";
  public static final String NOT_SUPPORTED = "NotSupported";
  // Synced
  public static final String SYNCED = "Synced";
  public static final String RATE_LIMITED = "RateLimited";
  public static final String QUOTA_EXCEEDED = "QuotaExceeded";
  public static final String PROVIDER_UNAVAILABLE = "ProviderUnavailable";
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  public static final String CREDENTIALS_MISSING = "CredentialsMissing";
  public static final String CREDENTIALS_REJECTED = "CredentialsRejected";
  public static final String JOB_NOT_OWNED = "JobNotOwned";
  public static final String PROVIDER_REJECTED = "ProviderRejected";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String RECONCILE_ERROR = "ReconcileError";
  // Events only
  public static final String CANCEL_REQUESTED = "CancelRequested";
  public static final String CANCEL_TIMED_OUT = "CancelTimedOut";
  public static final String ORPHANED = "Orphaned";
  public static final String PAUSE_REQUESTED = "PauseRequested";
  public static final String RESUME_REQUESTED = "ResumeRequested";

  private Reasons() {}

  /** The Synced reason for a provider failure. */
  public static String forError(ErrorKind kind) {
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
}
