package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import java.time.Instant;
import java.util.function.Consumer;

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
 * @param syncRequest the value of {@code tuning.dev/reconcile-requested-at} this reconcile served
 *     (null: keep the recorded one)
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
    Instant notFoundSince,
    String syncRequest) {

  public static Observed of(Phase phase, String jobId, ProviderJob job, Reason submittedReason) {
    return new Observed(
        phase, jobId, job, submittedReason, null, null, null, null, false, null, null, null);
  }

  /** A phase with no provider job known: not submitted yet, being submitted, or never created. */
  public static Observed withoutJob(Phase phase) {
    return of(phase, null, null, null);
  }

  /**
   * What status already records, for a reconcile that did not read the job: the stored phase
   * (Pending when there is none), job id and Submitted reason; the job's own fields are kept.
   */
  public static Observed keeping(TuningJob resource) {
    TuningJobStatus status = resource.getStatus();
    Phase phase = status == null || status.getPhase() == null ? Phase.Pending : status.getPhase();
    return of(
        phase,
        status == null ? null : status.getJobId(),
        null,
        Conditions.submittedReason(resource));
  }

  public Observed withSyncFailure(Reason reason, String message) {
    return edit(
        d -> {
          d.syncReason = reason;
          d.syncMessage = message;
        });
  }

  public Observed withFailure(Reason reason, JobError jobError) {
    return edit(
        d -> {
          d.phase = Phase.Failed;
          d.failedReason = reason;
          d.error = jobError;
        });
  }

  public Observed withPauseNotSupported() {
    return edit(d -> d.pauseNotSupported = true);
  }

  /** Records the start of the create attempt this status write announces. */
  public Observed withSubmitAttempt(Instant start) {
    return edit(d -> d.submitAttempt = start);
  }

  /** Records since when the provider has answered that the job does not exist. */
  public Observed withNotFoundSince(Instant since) {
    return edit(d -> d.notFoundSince = since);
  }

  /** Records the sync request (reconcile-requested-at value) this reconcile served. */
  public Observed withSyncRequest(String value) {
    return edit(d -> d.syncRequest = value);
  }

  private Observed edit(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** A changeable copy, so that each {@code with…} names only the components it changes. */
  private static final class Draft {
    private Phase phase;
    private final String jobId;
    private final ProviderJob job;
    private final Reason submittedReason;
    private Reason failedReason;
    private JobError error;
    private Reason syncReason;
    private String syncMessage;
    private boolean pauseNotSupported;
    private Instant submitAttempt;
    private Instant notFoundSince;
    private String syncRequest;

    Draft(Observed o) {
      phase = o.phase;
      jobId = o.jobId;
      job = o.job;
      submittedReason = o.submittedReason;
      failedReason = o.failedReason;
      error = o.error;
      syncReason = o.syncReason;
      syncMessage = o.syncMessage;
      pauseNotSupported = o.pauseNotSupported;
      submitAttempt = o.submitAttempt;
      notFoundSince = o.notFoundSince;
      syncRequest = o.syncRequest;
    }

    Observed build() {
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
          notFoundSince,
          syncRequest);
    }
  }
}
