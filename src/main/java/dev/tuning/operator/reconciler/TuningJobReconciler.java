package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.credentials.CredentialResolver;
import dev.tuning.operator.credentials.CredentialsMissingException;
import dev.tuning.operator.observability.JobMetrics;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.TuningProvider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only JOSDK class: glue between the framework and the phase machine. Each reconcile resolves
 * credentials, makes at most one provider exchange through {@link JobSync}, rebuilds the status and
 * writes it only when it changed, then reschedules by phase.
 */
@ControllerConfiguration(
    name = TuningJobReconciler.NAME,
    finalizerName = TuningJobReconciler.FINALIZER,
    // Generation-aware processing would ignore the cancel and adoption annotations.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = TuningJobUpdateFilter.class))
public class TuningJobReconciler implements Reconciler<TuningJob>, Cleaner<TuningJob> {

  public static final String NAME = "tuningjob";
  public static final String FINALIZER = "tuning.dev/finalizer";

  private static final Logger log = LoggerFactory.getLogger(TuningJobReconciler.class);

  private final ProviderRegistry registry;
  private final CredentialResolver credentials;
  private final StatusFactory statusFactory;
  private final StatusWriter writer = new StatusWriter();
  private final RequeuePolicy requeue;
  private final TuningJobEvents events;
  private final JobMetrics metrics;
  private final JobSync sync;
  private final JobCleanup cleanup;
  private final Clock clock;

  public TuningJobReconciler(
      ProviderRegistry registry,
      CredentialResolver credentials,
      RequeuePolicy requeue,
      TuningJobEvents events,
      JobMetrics metrics,
      Duration syncHeartbeat,
      Duration cancelTimeout,
      Clock clock) {
    this.registry = registry;
    this.credentials = credentials;
    this.clock = clock;
    this.statusFactory = new StatusFactory(clock, syncHeartbeat);
    this.requeue = requeue;
    this.events = events;
    this.metrics = metrics;
    SubmitAttempts attempts = new SubmitAttempts(clock);
    this.sync = new JobSync(statusFactory, writer, requeue, events, attempts, clock);
    this.cleanup =
        new JobCleanup(
            registry,
            credentials,
            statusFactory,
            writer,
            requeue,
            events,
            metrics,
            attempts,
            cancelTimeout,
            clock);
  }

  @Override
  public UpdateControl<TuningJob> reconcile(TuningJob resource, Context<TuningJob> context) {
    var decision = PhaseMachine.decide(resource);
    if (decision instanceof PhaseMachine.Done) {
      if (resource.getStatus() != null
          && !java.util.Objects.equals(
              resource.getStatus().getObservedGeneration(),
              resource.getMetadata().getGeneration())) {
        writer.write(resource, context, statusFactory.regenerate(resource));
      }
      observeMetrics(resource, JobSync.phase(resource));
      return UpdateControl.noUpdate();
    }
    JobSync.Step step = step(resource, context, decision);
    TuningJob current = step.resource();
    Phase before = JobSync.phase(current);
    TuningJobStatus desired = statusFactory.build(current, step.observed());
    writer.write(current, context, desired);
    onPhaseChange(current, before, step);
    UpdateControl<TuningJob> control = UpdateControl.noUpdate();
    step.requeue().ifPresent(d -> control.rescheduleAfter(d.toMillis()));
    return control;
  }

  private JobSync.Step step(
      TuningJob resource, Context<TuningJob> context, PhaseMachine.Decision decision) {
    Phase phase = JobSync.phase(resource);
    Optional<TuningProvider> provider = registry.find(resource.getSpec().getProvider().id());
    if (provider.isEmpty()) {
      Observed o =
          Observed.of(phase == null ? Phase.Pending : phase, null, null, null)
              .withSyncFailure(
                  Reasons.INVALID_SPEC,
                  "provider " + resource.getSpec().getProvider().id() + " is not enabled");
      return new JobSync.Step(o, Optional.empty(), resource);
    }
    if (decision instanceof PhaseMachine.CancelUnsubmitted) {
      events.normal(resource, Reasons.JOB_CANCELLED, "Cancelled before a job was created");
      return new JobSync.Step(
          Observed.of(Phase.Cancelled, null, null, null), Optional.empty(), resource);
    }
    if (decision instanceof PhaseMachine.Hold) {
      return new JobSync.Step(
          Observed.of(Phase.Pending, null, null, null), Optional.empty(), resource);
    }
    if (decision instanceof PhaseMachine.Observe o
        && o.adoptedByAnnotation()
        && !provider.get().isJobId(o.jobId())) {
      // User text never reaches a URL unless it has the provider's id format.
      return invalidAnnotation(resource, provider.get());
    }
    Credential credential;
    try {
      credential = credentials.resolve(resource, provider.get());
    } catch (CredentialsMissingException e) {
      return credentialsMissing(resource, phase, e);
    }
    JobContext job;
    try {
      job = JobContexts.of(resource, provider.get(), credential);
      provider.get().checkAccess(job);
      if (decision instanceof PhaseMachine.Observe o && o.adoptedByAnnotation()) {
        provider.get().checkJobAccess(job, o.jobId());
      }
    } catch (ProviderException e) {
      return sync.refused(resource, e);
    }
    if (decision instanceof PhaseMachine.Observe o) {
      String reason =
          o.adoptedByAnnotation() ? Reasons.JOB_ADOPTED : JobCleanup.submittedReason(resource);
      return sync.observe(resource, provider.get(), job, o.jobId(), reason);
    }
    boolean lookUpFirst = decision instanceof PhaseMachine.FindOrCreate;
    return sync.submit(resource, context, provider.get(), job, lookUpFirst);
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
    if (!Reasons.INVALID_SPEC.equals(JobSync.currentSyncReason(resource))) {
      events.warning(resource, Reasons.INVALID_SPEC, message);
    }
    Observed o =
        Observed.of(Phase.Pending, null, null, null).withSyncFailure(Reasons.INVALID_SPEC, message);
    // The annotation's next change triggers a reconcile; nothing to poll until then.
    return new JobSync.Step(o, Optional.empty(), resource);
  }

  private JobSync.Step credentialsMissing(
      TuningJob resource, Phase phase, CredentialsMissingException e) {
    String jobId = resource.getStatus() == null ? null : resource.getStatus().getJobId();
    String reason = e.rejected() ? Reasons.CREDENTIALS_REJECTED : Reasons.CREDENTIALS_MISSING;
    if (!reason.equals(JobSync.currentSyncReason(resource))) {
      events.warning(resource, reason, e.getMessage());
    }
    log.info("Credentials {}: {}", e.rejected() ? "rejected" : "missing", e.getMessage());
    Observed o =
        Observed.of(
                phase == null ? Phase.Pending : phase,
                jobId,
                null,
                JobCleanup.submittedReason(resource))
            .withSyncFailure(reason, e.getMessage());
    return new JobSync.Step(
        o, Optional.of(requeue.afterMissingCredentials(resource.getMetadata().getUid())), resource);
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
      events.warning(resource, after.name(), "Job failed: " + message);
    } else if (after != Phase.Submitting) {
      events.normal(
          resource, after.name(), "Phase " + (before == null ? "-" : before) + " -> " + after);
    }
    var job = step.observed().job();
    if (after.isTerminal() && job != null && job.createTime() != null) {
      Instant end = job.endTime() != null ? job.endTime() : clock.instant();
      metrics.jobEnded(
          resource.getSpec().getProvider().id(), after, Duration.between(job.createTime(), end));
    }
  }

  private static String failureMessage(JobSync.Step step) {
    var job = step.observed().job();
    return job != null && job.error() != null ? job.error().message() : "see status.error";
  }

  private void observeMetrics(TuningJob resource, Phase phase) {
    metrics.observe(resource.getMetadata().getUid(), resource.getSpec().getProvider().id(), phase);
  }

  @Override
  public DeleteControl cleanup(TuningJob resource, Context<TuningJob> context) {
    DeleteControl control = cleanup.cleanup(resource, context);
    if (control.isRemoveFinalizer()) {
      forget(resource.getMetadata().getUid());
    }
    return control;
  }

  /**
   * Drops everything this process remembers about a resource (backoff, its last credential with the
   * key bytes, submit attempts, its metric gauge). Called after cleanup and whenever the resource
   * leaves the operator's view by any other way ({@link #itemStore()}).
   */
  public void forget(String uid) {
    sync.forget(uid);
    credentials.forget(uid);
    metrics.forget(uid);
    requeue.reset(uid);
  }

  /**
   * The registration settings this reconciler relies on, for the operator and its tests alike:
   *
   * <ul>
   *   <li>an informer cache that forgets vanished resources ({@link ForgettingItemStore});
   *   <li>retry without a maximum number of attempts, backing off like provider failures: a
   *       reconcile that keeps failing (an API server outage, a Secret read, a status write) is
   *       retried for as long as it takes, never abandoned after JOSDK's default five tries;
   *   <li>a maximum reconciliation interval no longer than the longest poll interval of an active
   *       phase, so even a lost reschedule is made up within one poll.
   * </ul>
   */
  public void configure(ControllerConfigurationOverrider<TuningJob> registration) {
    var intervals = requeue.intervals();
    registration
        .withItemStore(new ForgettingItemStore<>(this::forget))
        .withRetry(
            new GenericRetry()
                .setInitialInterval(intervals.backoffBase())
                .setIntervalMultiplier(2)
                .setMaxInterval(intervals.backoffMax().toMillis())
                .withoutMaxAttempts())
        .withReconciliationMaxInterval(maxActivePoll(intervals));
  }

  static Duration maxActivePoll(RequeuePolicy.Intervals intervals) {
    return java.util.stream.Stream.of(
            intervals.submitting(), intervals.queued(), intervals.running(), intervals.cancelling())
        .max(Duration::compareTo)
        .orElseThrow();
  }

  /**
   * Only the unexpected reaches here (provider failures are handled in {@link JobSync}). Status
   * says so with Synced=False ReconcileError, built on a fresh read so that a recorded Submitting
   * intent is never overwritten; the framework retries with its backoff.
   */
  @Override
  public ErrorStatusUpdateControl<TuningJob> updateErrorStatus(
      TuningJob resource, Context<TuningJob> context, Exception e) {
    if (e instanceof StatusWriter.SpecChangedException) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    String message = e.getClass().getSimpleName() + ": " + StatusFactory.truncate(e.getMessage());
    log.warn("Reconcile failed: {}", message);
    try {
      TuningJob fresh =
          context
              .getClient()
              .resources(TuningJob.class)
              .inNamespace(resource.getMetadata().getNamespace())
              .withName(resource.getMetadata().getName())
              .get();
      if (fresh != null && fresh.getMetadata().getDeletionTimestamp() == null) {
        var status = fresh.getStatus();
        Observed o =
            Observed.of(
                    status == null || status.getPhase() == null ? Phase.Pending : status.getPhase(),
                    status == null ? null : status.getJobId(),
                    null,
                    JobCleanup.submittedReason(fresh))
                .withSyncFailure(Reasons.RECONCILE_ERROR, message);
        writer.write(fresh, context, statusFactory.build(fresh, o));
        if (!Reasons.RECONCILE_ERROR.equals(JobSync.currentSyncReason(fresh))) {
          events.warning(fresh, Reasons.RECONCILE_ERROR, message);
        }
      }
    } catch (RuntimeException writeFailed) {
      log.debug("Could not record the reconcile error in status", writeFailed);
    }
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
