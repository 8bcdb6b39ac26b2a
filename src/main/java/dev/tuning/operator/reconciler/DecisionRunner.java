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
      if (resource.getStatus() != null
          && !java.util.Objects.equals(
              resource.getStatus().getObservedGeneration(),
              resource.getMetadata().getGeneration())) {
        shared.writer().write(resource, context, shared.statusFactory().regenerate(resource));
      }
      observeMetrics(resource, JobSync.phase(resource));
      return UpdateControl.noUpdate();
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
              .then((p, job) -> sync.observe(resource, p, job, decision.jobId(), reason)));
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
      step.requeue().ifPresent(d -> control.rescheduleAfter(d.toMillis()));
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
