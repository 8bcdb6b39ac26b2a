package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.provider.ProviderJob;
import java.time.Instant;

/**
 * What one reconcile learned, the input of {@link StatusFactory}.
 *
 * @param phase the phase to show
 * @param jobId the provider job id, or null before submission
 * @param job the provider's view, or null when it could not be read this time (previous job fields
 *     are kept)
 * @param submittedReason JobCreated or JobAdopted once a job exists
 * @param failedReason the Failed condition's reason when phase is Failed
 * @param error an error to show instead of the job's own (e.g. a create rejection)
 * @param syncReason null when the last provider exchange worked, else the Synced=False reason
 * @param syncMessage a short, secret-free message for Synced=False
 * @param pauseNotSupported suspend is requested but the provider cannot pause
 * @param submitAttempt the start of a create attempt about to be made (null: keep the recorded one)
 * @param notFoundSince the start of a streak of "job not found" answers (null: keep the recorded
 *     one unless the job was read)
 */
public record Observed(
    Phase phase,
    String jobId,
    ProviderJob job,
    Reason submittedReason,
    Reason failedReason,
    JobError error,
    Reason syncReason,
    String syncMessage,
    boolean pauseNotSupported,
    Instant submitAttempt,
    Instant notFoundSince) {

  public static Observed of(Phase phase, String jobId, ProviderJob job, Reason submittedReason) {
    return new Observed(
        phase, jobId, job, submittedReason, null, null, null, null, false, null, null);
  }

  /** A phase with no provider job known: not submitted yet, being submitted, or never created. */
  public static Observed withoutJob(Phase phase) {
    return of(phase, null, null, null);
  }

  public Observed withSyncFailure(Reason reason, String message) {
    return new Observed(
        phase,
        jobId,
        job,
        submittedReason,
        failedReason,
        error,
        reason,
        message,
        pauseNotSupported,
        submitAttempt,
        notFoundSince);
  }

  public Observed withFailure(Reason reason, JobError jobError) {
    return new Observed(
        Phase.Failed,
        jobId,
        job,
        submittedReason,
        reason,
        jobError,
        syncReason,
        syncMessage,
        pauseNotSupported,
        submitAttempt,
        notFoundSince);
  }

  public Observed withPauseNotSupported() {
    return new Observed(
        phase,
        jobId,
        job,
        submittedReason,
        failedReason,
        error,
        syncReason,
        syncMessage,
        true,
        submitAttempt,
        notFoundSince);
  }

  /** Records the start of the create attempt this status write announces. */
  public Observed withSubmitAttempt(Instant start) {
    return new Observed(
        phase,
        jobId,
        job,
        submittedReason,
        failedReason,
        error,
        syncReason,
        syncMessage,
        pauseNotSupported,
        start,
        notFoundSince);
  }

  /** Records since when the provider has answered that the job does not exist. */
  public Observed withNotFoundSince(Instant since) {
    return new Observed(
        phase,
        jobId,
        job,
        submittedReason,
        failedReason,
        error,
        syncReason,
        syncMessage,
        pauseNotSupported,
        submitAttempt,
        since);
  }
}
