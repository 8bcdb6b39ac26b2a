package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialsMissingException;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.TuningProvider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the phase machine's decision for a TuningJob that is not being deleted: checks that
 * the provider may be called, makes the one exchange through {@link JobSync}, writes the status
 * built from what it observed, records phase changes (Event, metrics) and says when to come back.
 */
final class DecisionRunner {

  private static final Logger log = LoggerFactory.getLogger(DecisionRunner.class);

  private final Collaborators shared;
  private final JobSync sync;

  DecisionRunner(Collaborators shared, JobSync sync) {
    this.shared = shared;
    this.sync = sync;
  }

  UpdateControl<TuningJob> run(TuningJob resource, Context<TuningJob> context) {
    return PhaseMachine.decide(resource).accept(new Act(resource, context));
  }

  /**
   * Carries out one decision of the phase machine, each in its own method: a decision added to
   * {@link PhaseMachine.Decision} does not compile until it is handled here.
   */
  private final class Act implements PhaseMachine.Decision.Visitor<UpdateControl<TuningJob>> {
    private final TuningJob resource;
    private final Context<TuningJob> context;
    private final Optional<TuningProvider> provider;

    Act(TuningJob resource, Context<TuningJob> context) {
      this.resource = resource;
      this.context = context;
      this.provider = shared.registry().find(resource.getSpec().getProvider().id());
    }

    @Override
    public UpdateControl<TuningJob> done(PhaseMachine.Done decision) {
      TuningJob current = resource;
      Optional<String> request = JobSync.syncRequest(resource);
      if (resource.getStatus() != null
          && (request.isPresent()
              || resource.getStatus().getFinishedTime() == null
              || !java.util.Objects.equals(
                  resource.getStatus().getObservedGeneration(),
                  resource.getMetadata().getGeneration()))) {
        // A finished job has nothing left to read: a sync request is recorded as served, and a
        // status from before finishedTime existed gets it now (the TTL counts from it).
        var status = shared.statusFactory().regenerate(resource);
        request.ifPresent(status::setLastSyncRequest);
        if (status.getFinishedTime() == null && JobSync.phase(resource) != null) {
          status.setFinishedTime(
              shared
                  .clock()
                  .instant()
                  .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                  .toString());
        }
        current = shared.writer().write(resource, context, status);
      }
      observeMetrics(current, JobSync.phase(current));
      return expire(current);
    }

    /**
     * spec.ttlSecondsAfterFinished: deletes the finished TuningJob once its time is up (the
     * provider job and the tuned model stay; cleanup sees a finished job and cancels nothing), else
     * comes back then. Without a TTL a finished job is looked at again only after {@link
     * RequeuePolicy#IDLE} (every start, fail-over and annotation change passes here too).
     */
    private UpdateControl<TuningJob> expire(TuningJob current) {
      Long ttl = current.getSpec().getTtlSecondsAfterFinished();
      var status = current.getStatus();
      Optional<Instant> finished =
          status == null ? Optional.empty() : StatusFactory.instant(status.getFinishedTime());
      if (ttl == null
          || finished.isEmpty()
          || current.getMetadata().getDeletionTimestamp() != null) {
        return UpdateControl.<TuningJob>noUpdate().rescheduleAfter(RequeuePolicy.IDLE.toMillis());
      }
      Duration left = Duration.between(shared.clock().instant(), finished.get().plusSeconds(ttl));
      if (left.isNegative() || left.isZero()) {
        shared
            .events()
            .normal(
                current,
                Reason.TTL_EXPIRED,
                "Deleting: finished at "
                    + status.getFinishedTime()
                    + " and spec.ttlSecondsAfterFinished is "
                    + ttl
                    + " s");
        context.getClient().resource(current).delete();
        return UpdateControl.noUpdate();
      }
      UpdateControl<TuningJob> control = UpdateControl.noUpdate();
      control.rescheduleAfter(left.plusSeconds(1).toMillis());
      return control;
    }

    @Override
    public UpdateControl<TuningJob> hold(PhaseMachine.Hold decision) {
      return apply(providerMissing().orElseGet(() -> sync.held(resource)));
    }

    @Override
    public UpdateControl<TuningJob> cancelUnsubmitted(PhaseMachine.CancelUnsubmitted decision) {
      return apply(providerMissing().orElseGet(() -> sync.cancelledUnsubmitted(resource)));
    }

    @Override
    public UpdateControl<TuningJob> returnToPending(PhaseMachine.ReturnToPending decision) {
      return apply(providerMissing().orElseGet(() -> sync.returnedToPending(resource)));
    }

    @Override
    public UpdateControl<TuningJob> create(PhaseMachine.Create decision) {
      return apply(access(null).then((p, job) -> sync.create(resource, context, p, job)));
    }

    @Override
    public UpdateControl<TuningJob> findOrCreate(PhaseMachine.FindOrCreate decision) {
      Access access = access(null);
      Optional<JobSync.Step> step =
          access.refused() != null
              ? Optional.of(access.refused())
              : sync.lookUp(resource, context, access.provider(), access.job());
      // No job exists and none can still land: the phase machine decides what comes instead.
      return step.map(this::apply).orElseGet(() -> PhaseMachine.afterLookup(resource).accept(this));
    }

    @Override
    public UpdateControl<TuningJob> observe(PhaseMachine.Observe decision) {
      boolean adopting = decision.adoptedByAnnotation();
      Reason reason = adopting ? Reason.JOB_ADOPTED : Conditions.submittedReason(resource);
      return apply(
          access(adopting ? decision.jobId() : null)
              .then(
                  (p, job) ->
                      sync.observe(
                          resource,
                          p,
                          job,
                          decision.jobId(),
                          reason,
                          context.getSecondaryResource(ListedJob.class))));
    }

    /** Synced=False InvalidSpec when the resource's provider is not enabled; status is kept. */
    private Optional<JobSync.Step> providerMissing() {
      if (provider.isPresent()) {
        return Optional.empty();
      }
      Observed o =
          Observed.keeping(resource)
              .withSyncFailure(
                  Reason.INVALID_SPEC,
                  "provider " + resource.getSpec().getProvider().id() + " is not enabled");
      return Optional.of(new JobSync.Step(o, Optional.empty(), resource));
    }

    /**
     * The provider and the job's context, checked; or the step saying why the provider may not be
     * called. {@code annotatedJobId} is a job id the user named, to be adopted (else null).
     */
    private Access access(String annotatedJobId) {
      Optional<JobSync.Step> missing = providerMissing();
      if (missing.isPresent()) {
        return Access.refused(missing.get());
      }
      if (annotatedJobId != null && !provider.get().isJobId(annotatedJobId)) {
        // User text never reaches a URL unless it has the provider's id format.
        return Access.refused(invalidAnnotation(resource, provider.get()));
      }
      Credential credential;
      try {
        credential = shared.credentials().resolve(resource, provider.get());
      } catch (CredentialsMissingException e) {
        return Access.refused(credentialsMissing(resource, e));
      }
      JobContext job;
      try {
        job = JobContexts.of(resource, provider.get(), credential);
        provider.get().checkAccess(job);
        if (annotatedJobId != null) {
          provider.get().checkJobAccess(job, annotatedJobId);
        }
      } catch (ProviderException e) {
        return Access.refused(sync.refused(resource, e));
      }
      return new Access(provider.get(), job, null);
    }

    private UpdateControl<TuningJob> apply(JobSync.Step step) {
      TuningJob current = step.resource();
      Phase before = JobSync.phase(current);
      shared.write(current, context, step.observed());
      onPhaseChange(current, before, step);
      UpdateControl<TuningJob> control = UpdateControl.noUpdate();
      Optional<Duration> next = step.requeue();
      Long ttl = current.getSpec().getTtlSecondsAfterFinished();
      if (step.observed().phase().isTerminal() && ttl != null) {
        // Finished now: come back when the TTL is up (nothing else would wake a finished job).
        next = Optional.of(Duration.ofSeconds(ttl).plusSeconds(1));
      } else if (step.observed().phase().isTerminal() && next.isEmpty()) {
        next = Optional.of(RequeuePolicy.IDLE);
      }
      next.ifPresent(d -> control.rescheduleAfter(d.toMillis()));
      return control;
    }
  }

  /** A provider ready to call with the job's context, or the step that says why not. */
  private record Access(TuningProvider provider, JobContext job, JobSync.Step refused) {
    static Access refused(JobSync.Step step) {
      return new Access(null, null, step);
    }

    JobSync.Step then(BiFunction<TuningProvider, JobContext, JobSync.Step> call) {
      return refused != null ? refused : call.apply(provider, job);
    }
  }

  private JobSync.Step invalidAnnotation(TuningJob resource, TuningProvider provider) {
    String message =
        "annotation "
            + TuningJob.JOB_ID_ANNOTATION
            + " is not a "
            + provider.id()
            + " job id ("
            + provider.jobIdFormat()
            + "); nothing was sent to the provider";
    if (!JobSync.syncFailing(resource, Reason.INVALID_SPEC)) {
      shared.events().warning(resource, Reason.INVALID_SPEC, message);
    }
    Observed o = Observed.withoutJob(Phase.Pending).withSyncFailure(Reason.INVALID_SPEC, message);
    // The annotation's next change triggers a reconcile; nothing to poll until then.
    return new JobSync.Step(o, Optional.empty(), resource);
  }

  private JobSync.Step credentialsMissing(TuningJob resource, CredentialsMissingException e) {
    Reason reason = e.rejected() ? Reason.CREDENTIALS_REJECTED : Reason.CREDENTIALS_MISSING;
    if (!JobSync.syncFailing(resource, reason)) {
      shared.events().warning(resource, reason, e.getMessage());
    }
    log.info("Credentials {}: {}", e.rejected() ? "rejected" : "missing", e.getMessage());
    Observed o = Observed.keeping(resource).withSyncFailure(reason, e.getMessage());
    return new JobSync.Step(
        o,
        Optional.of(shared.requeue().afterMissingCredentials(resource.getMetadata().getUid())),
        resource);
  }

  private void onPhaseChange(TuningJob resource, Phase before, JobSync.Step step) {
    Phase after = step.observed().phase();
    observeMetrics(resource, after);
    if (after == before) {
      return;
    }
    log.atInfo().addKeyValue("phase", after).log("Phase {} -> {}", before, after);
    if (after == Phase.Failed) {
      String message =
          step.observed().error() != null
              ? step.observed().error().getMessage()
              : failureMessage(step);
      shared.events().warning(resource, Reason.forPhase(after), "Job failed: " + message);
    } else if (after != Phase.Submitting) {
      // Submitting has its own Event, recorded after the intent write (JobSync.create).
      shared
          .events()
          .normal(
              resource,
              Reason.forPhase(after),
              "Phase " + (before == null ? "-" : before) + " -> " + after);
    }
    var job = step.observed().job();
    if (after.isTerminal() && job != null && !usageCounted(resource)) {
      // Counted once: status.usageRecorded is written with this terminal status.
      shared
          .metrics()
          .usage(
              resource.getMetadata().getNamespace(),
              resource.getSpec().getProvider().id(),
              job.trainedTokens(),
              job.dataStats() == null ? null : job.dataStats().billableTokens());
    }
    if (after.isTerminal() && job != null && job.createTime() != null) {
      Instant end = job.endTime() != null ? job.endTime() : shared.clock().instant();
      shared
          .metrics()
          .jobEnded(
              resource.getSpec().getProvider().id(),
              after,
              Duration.between(job.createTime(), end));
    }
  }

  private static boolean usageCounted(TuningJob resource) {
    return resource.getStatus() != null
        && Boolean.TRUE.equals(resource.getStatus().getUsageRecorded());
  }

  private static String failureMessage(JobSync.Step step) {
    var job = step.observed().job();
    return job != null && job.error() != null ? job.error().message() : "see status.error";
  }

  private void observeMetrics(TuningJob resource, Phase phase) {
    shared
        .metrics()
        .observe(resource.getMetadata().getUid(), resource.getSpec().getProvider().id(), phase);
  }
}
