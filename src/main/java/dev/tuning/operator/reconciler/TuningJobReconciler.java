package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialResolver;
import dev.tuning.operator.observability.JobMetrics;
import dev.tuning.operator.provider.ProviderRegistry;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingEventSource;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only JOSDK class: glue between the framework and the phase machine. Each reconcile carries
 * out the phase machine's decision ({@link DecisionRunner}): it resolves credentials, makes at most
 * one provider exchange through {@link JobSync}, rebuilds the status and writes it only when it
 * changed, then reschedules by phase.
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

  private final Collaborators shared;
  private final JobSync sync;
  private final JobCleanup cleanup;
  private final DecisionRunner decisions;

  /** How often a running job's progress is read where it is a read of its own. */
  /**
   * How often a running job's progress is read where it is a read of its own. A read per job per
   * interval on the credential's budget: every 30 min is 0.033 calls per running job per minute,
   * within the 0.05 all polling may cost at 1,000 jobs on one key (the batched list is 0.01).
   */
  public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofMinutes(30);

  /**
   * @param progressEvery how often a running job's progress is read, for providers that report it
   *     apart from the job
   */
  public TuningJobReconciler(
      ProviderRegistry registry,
      CredentialResolver credentials,
      RequeuePolicy requeue,
      TuningJobEvents events,
      JobMetrics metrics,
      Duration syncHeartbeat,
      Duration cancelTimeout,
      Duration progressEvery,
      Clock clock) {
    this.shared =
        new Collaborators(
            registry,
            credentials,
            new StatusFactory(clock, syncHeartbeat),
            new StatusWriter(),
            requeue,
            events,
            metrics,
            new SubmitAttempts(clock),
            new BatchPoller(clock),
            clock);
    this.sync = new JobSync(shared, progressEvery);
    this.cleanup = new JobCleanup(shared, cancelTimeout);
    this.decisions = new DecisionRunner(shared, sync);
  }

  /**
   * Batched polling: one JOSDK polling event source whose fetcher lists each credential scope's
   * tracked jobs once per running-phase poll interval ({@link BatchPoller}). Each job's view goes
   * into the source's cache, and triggers its reconcile if it changed, as soon as its page is read;
   * the whole answer then replaces the cache as JOSDK's own poll does.
   */
  @Override
  public List<EventSource<?, TuningJob>> prepareEventSources(
      EventSourceContext<TuningJob> context) {
    Duration period = shared.requeue().intervals().running();
    BatchPoller poller = shared.poller();
    return List.of(
        new PollingEventSource<ListedJob, TuningJob, String>(
            ListedJob.class,
            new PollingConfigurationBuilder<ListedJob, String>(poller, period)
                .withName("batched-provider-lists")
                .withResourceIDMapper(l -> l.job().id())
                .build()) {
          @Override
          protected synchronized void getStateAndFillCache() {
            handleResources(poller.fetchResources(this::handleResources));
            poller.listsPassedOn();
          }
        });
  }

  @Override
  public UpdateControl<TuningJob> reconcile(TuningJob resource, Context<TuningJob> context) {
    return decisions.run(resource, context);
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
    shared.poller().untrack(uid);
    shared.credentials().forget(uid);
    shared.metrics().forget(uid);
    shared.requeue().reset(uid);
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
   *       phase, so even a lost reschedule of an active job is made up within one poll (held and
   *       finished jobs reschedule themselves after {@link RequeuePolicy#IDLE}).
   * </ul>
   */
  public void configure(ControllerConfigurationOverrider<TuningJob> registration) {
    var intervals = shared.requeue().intervals();
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
        Observed o = Observed.keeping(fresh).withSyncFailure(Reason.RECONCILE_ERROR, message);
        shared.write(fresh, context, o);
        if (!JobSync.syncFailing(fresh, Reason.RECONCILE_ERROR)) {
          shared.events().warning(fresh, Reason.RECONCILE_ERROR, message);
        }
      }
    } catch (RuntimeException writeFailed) {
      log.debug("Could not record the reconcile error in status", writeFailed);
    }
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
