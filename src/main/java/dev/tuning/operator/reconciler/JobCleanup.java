package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.DeletionPolicy;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialsMissingException;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.TuningProvider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletion (docs/design.md section 4.4). With deletionPolicy Cancel and an active job: cancel once,
 * record phase Cancelling, and keep the finalizer until the job ends or the bounded wait (counted
 * from the deletion timestamp) runs out, then drop it with a Warning. Orphan, terminal jobs, jobs
 * never created and provider 404 drop it at once. A Submitting resource is looked up by tag first.
 */
final class JobCleanup {

  /** At most this long must a 404 persist during deletion before the job counts as gone. */
  static final Duration NOT_FOUND_GRACE = Duration.ofMinutes(2);

  private static final Logger log = LoggerFactory.getLogger(JobCleanup.class);

  private final Collaborators shared;
  private final Duration cancelTimeout;

  JobCleanup(Collaborators shared, Duration cancelTimeout) {
    this.shared = shared;
    this.cancelTimeout = cancelTimeout;
  }

  DeleteControl cleanup(TuningJob resource, Context<TuningJob> context) {
    var status = resource.getStatus();
    Phase phase = status == null ? null : status.getPhase();
    String jobId = status == null ? null : status.getJobId();
    Optional<TuningProvider> provider =
        shared.registry().find(resource.getSpec().getProvider().id());
    // While Submitting the job is found by its tag, whatever an annotation says.
    if (jobId == null && phase != Phase.Submitting && provider.isPresent()) {
      String annotated = PhaseMachine.annotatedJobId(resource);
      // An id that is not the provider's format was never adopted and never reaches a URL.
      jobId = annotated != null && provider.get().isJobId(annotated) ? annotated : null;
    }
    if (resource.getSpec().getDeletionPolicy() == DeletionPolicy.Orphan) {
      if (jobId != null && (phase == null || !phase.isTerminal())) {
        shared
            .events()
            .normal(resource, Reason.ORPHANED, "Provider job " + jobId + " left running");
      }
      return done(resource);
    }
    boolean mayExist = jobId != null || phase == Phase.Submitting;
    if (provider.isEmpty() || !mayExist || (jobId != null && phase != null && phase.isTerminal())) {
      return done(resource);
    }
    // Known only from the annotation: never adopted (status has no job id) and never created.
    boolean neverManaged =
        status == null || (status.getJobId() == null && phase != Phase.Submitting);
    Credential credential;
    try {
      credential = shared.credentials().resolveForCleanup(resource, provider.get());
    } catch (CredentialsMissingException e) {
      if (e.rejected() && neverManaged) {
        return notManaged(resource, jobId, e.getMessage());
      }
      Reason reason = e.rejected() ? Reason.CREDENTIALS_REJECTED : Reason.CREDENTIALS_MISSING;
      return waitOrGiveUp(resource, context, reason, e.getMessage(), null);
    }
    JobContext job;
    try {
      job = JobContexts.of(resource, provider.get(), credential);
      provider.get().checkAccess(job);
      if (jobId != null && (status == null || status.getJobId() == null)) {
        provider.get().checkJobAccess(job, jobId);
      }
      return cancel(resource, context, provider.get(), job, jobId, phase);
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.CREDENTIALS_REJECTED && neverManaged) {
        return notManaged(resource, jobId, e.getMessage());
      }
      if (e.kind() == ErrorKind.NOT_FOUND) {
        return notFound(resource, context, e);
      }
      return waitOrGiveUp(resource, context, Reason.forError(e.kind()), e.getMessage(), e);
    }
  }

  /**
   * A job named only by the annotation, with a credential that may not be used: this resource never
   * managed it, and waiting cannot change that, so the finalizer goes at once (never a stuck
   * deletion) and the job is left alone.
   */
  private DeleteControl notManaged(TuningJob resource, String jobId, String why) {
    shared
        .events()
        .warning(
            resource,
            Reason.CREDENTIALS_REJECTED,
            "Provider job " + jobId + " was never adopted and is not cancelled: " + why);
    return done(resource);
  }

  /**
   * A 404 while deleting: gone only once it has persisted for the not-found grace, at most {@link
   * #NOT_FOUND_GRACE} (a read can lag a create; a rotated key answers 404 for a live job), within
   * the cancel deadline.
   */
  private DeleteControl notFound(
      TuningJob resource, Context<TuningJob> context, ProviderException e) {
    Instant since = JobSync.notFoundSince(resource).orElse(shared.clock().instant());
    Duration grace = shared.requeue().intervals().notFoundGrace();
    if (!shared
        .clock()
        .instant()
        .isBefore(since.plus(grace.compareTo(NOT_FOUND_GRACE) < 0 ? grace : NOT_FOUND_GRACE))) {
      return done(resource);
    }
    String message = "Provider job not found since " + since + "; looking again: " + e.getMessage();
    if (pastDeadline(resource)) {
      return giveUp(resource, message);
    }
    var status = resource.getStatus();
    if (status != null && status.getPhase() != null) {
      Observed o =
          Observed.keeping(resource)
              .withSyncFailure(Reason.JOB_NOT_FOUND, message)
              .withNotFoundSince(since);
      shared.write(resource, context, o);
    }
    Duration delay =
        shared
            .requeue()
            .afterError(resource.getMetadata().getUid(), ErrorKind.NOT_FOUND, Optional.empty());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(delay.toMillis());
  }

  private DeleteControl cancel(
      TuningJob resource,
      Context<TuningJob> context,
      TuningProvider provider,
      JobContext job,
      String jobId,
      Phase phase)
      throws ProviderException {
    ProviderJob current;
    if (jobId == null) {
      String uid = resource.getMetadata().getUid();
      Optional<String> created = shared.attempts().createdId(uid);
      Optional<ProviderJob> found =
          created.isPresent()
              ? Optional.of(provider.get(job, created.get()))
              : provider.findByTag(job);
      if (found.isEmpty()) {
        // A create whose outcome is unknown may still land: keep looking, then cancel it.
        Optional<Duration> unsettled =
            shared
                .attempts()
                .unsettled(
                    resource,
                    shared.requeue().intervals().submitSettle(),
                    shared.requeue().intervals().submitting());
        if (unsettled.isEmpty()) {
          return done(resource);
        }
        if (pastDeadline(resource)) {
          return giveUp(resource, "a create whose outcome is unknown may still land");
        }
        if (SubmitAttempts.startUnrecorded(resource)) {
          // Status does not say when the create began: it began no later than now.
          Observed o =
              Observed.withoutJob(Phase.Submitting).withSubmitAttempt(shared.attempts().startNow());
          shared.write(resource, context, o);
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(unsettled.get().toMillis());
      }
      current = found.get();
    } else {
      current = provider.get(job, jobId);
    }
    if (!JobSync.owned(job, current)) {
      shared
          .events()
          .warning(
              resource,
              Reason.JOB_NOT_OWNED,
              "Provider job "
                  + current.id()
                  + " is not tagged with this TuningJob's UID; the operator's own credentials do not"
                  + " cancel it");
      return done(resource);
    }
    if (current.state().isTerminal()) {
      return done(resource);
    }
    if (phase != Phase.Cancelling) {
      current = provider.cancel(job, current.id());
      log.atInfo().addKeyValue("jobId", current.id()).log("Cancel requested");
      shared
          .events()
          .normal(resource, Reason.CANCEL_REQUESTED, "Cancelling provider job " + current.id());
      if (current.state().isTerminal()) {
        return done(resource);
      }
    }
    // The deadline first: a status write that keeps failing must not hold the finalizer forever.
    if (pastDeadline(resource)) {
      return giveUp(resource, "the job did not end within " + cancelTimeout);
    }
    // Recorded after the cancel call, so a later round polls instead of cancelling again.
    Observed o =
        Observed.of(Phase.Cancelling, current.id(), current, Conditions.submittedReason(resource));
    shared.write(resource, context, o);
    shared.requeue().reset(resource.getMetadata().getUid());
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(shared.requeue().forPhase(Phase.Cancelling).orElseThrow().toMillis());
  }

  private DeleteControl waitOrGiveUp(
      TuningJob resource,
      Context<TuningJob> context,
      Reason reason,
      String message,
      ProviderException error) {
    if (pastDeadline(resource)) {
      return giveUp(resource, message);
    }
    Duration delay =
        error == null
            ? shared.requeue().afterMissingCredentials(resource.getMetadata().getUid())
            : shared
                .requeue()
                .afterError(resource.getMetadata().getUid(), error.kind(), error.retryAfter());
    if (!JobSync.syncFailing(resource, reason)) {
      shared.events().warning(resource, reason, "Cannot cancel yet: " + message);
      var status = resource.getStatus();
      // A job adopted by annotation can be deleted before its first status write.
      if (status != null && status.getPhase() != null) {
        Observed o = Observed.keeping(resource).withSyncFailure(reason, message);
        shared.write(resource, context, o);
      }
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(capped(resource, delay).toMillis());
  }

  /**
   * A wait never outlasts the deletion's deadline (a long Retry-After or quota wait would hold the
   * finalizer for hours): the next attempt comes at the latest just after CANCEL_TIMEOUT, when the
   * finalizer is released.
   */
  private Duration capped(TuningJob resource, Duration delay) {
    String ts = resource.getMetadata().getDeletionTimestamp();
    Instant deleted = ts == null ? shared.clock().instant() : Instant.parse(ts);
    Duration left =
        Duration.between(shared.clock().instant(), deleted.plus(cancelTimeout)).plusSeconds(1);
    return left.compareTo(delay) < 0 ? (left.isNegative() ? Duration.ofSeconds(1) : left) : delay;
  }

  private DeleteControl giveUp(TuningJob resource, String why) {
    shared
        .events()
        .warning(
            resource,
            Reason.CANCEL_TIMED_OUT,
            "Removing the finalizer without confirmation that the provider job ended: " + why);
    return done(resource);
  }

  private boolean pastDeadline(TuningJob resource) {
    String ts = resource.getMetadata().getDeletionTimestamp();
    Instant deleted = ts == null ? shared.clock().instant() : Instant.parse(ts);
    return shared.clock().instant().isAfter(deleted.plus(cancelTimeout));
  }

  private DeleteControl done(TuningJob resource) {
    String uid = resource.getMetadata().getUid();
    shared.credentials().forget(uid);
    shared.metrics().forget(uid);
    shared.requeue().reset(uid);
    return DeleteControl.defaultDelete();
  }
}
