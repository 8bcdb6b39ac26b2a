package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.provider.ProviderJob;

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
 */
public record Observed(
    Phase phase,
    String jobId,
    ProviderJob job,
    String submittedReason,
    String failedReason,
    JobError error,
    String syncReason,
    String syncMessage,
    boolean pauseNotSupported) {

  public static Observed of(Phase phase, String jobId, ProviderJob job, String submittedReason) {
    return new Observed(phase, jobId, job, submittedReason, null, null, null, null, false);
  }

  public Observed withSyncFailure(String reason, String message) {
    return new Observed(
        phase,
        jobId,
        job,
        submittedReason,
        failedReason,
        error,
        reason,
        message,
        pauseNotSupported);
  }

  public Observed withFailure(String reason, JobError jobError) {
    return new Observed(
        Phase.Failed,
        jobId,
        job,
        submittedReason,
        reason,
        jobError,
        syncReason,
        syncMessage,
        pauseNotSupported);
  }

  public Observed withPauseNotSupported() {
    return new Observed(
        phase, jobId, job, submittedReason, failedReason, error, syncReason, syncMessage, true);
  }
}
