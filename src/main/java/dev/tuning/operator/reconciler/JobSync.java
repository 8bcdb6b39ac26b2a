package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.BudgetedProvider;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.TuningProvider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider exchange for a live TuningJob: submit (intent first, then create or adopt by tag) or
 * observe (read, pause/resume), and the classification of failures into what status shows.
 */
final class JobSync {

  /** What a step observed and when to come back (empty: not polled). */
  record Step(Observed observed, Optional<Duration> requeue, TuningJob resource) {}

  private static final Logger log = LoggerFactory.getLogger(JobSync.class);

  /**
   * How long after a change a provider's list may still show the job as it was (lists are often
   * served from replicas): a list that began sooner after a change this process made or synced is
   * not taken over a read.
   */
  static final Duration LIST_LAG = Duration.ofSeconds(5);

  /** How many "not found" reads (in this process) that takes at least. */
  static final int NOT_FOUND_READS = 3;

  private final Collaborators shared;
  private final Map<String, Integer> notFoundReads = new ConcurrentHashMap<>();

  /** When each job's progress was last read (providers whose job view lacks it). */
  private final Map<String, Instant> progressReadAt = new ConcurrentHashMap<>();

  private final Duration progressEvery;

  /**
   * When this process last asked the provider to change each job (cancel, pause, resume): a list
   * started before that may show the job as it was, and is not taken over a read.
   */
  private final Map<String, Instant> actedAt = new ConcurrentHashMap<>();

  /**
   * @param progressEvery how often a running job's progress is read, for providers that report it
   *     apart from the job ({@link TuningProvider#progress}); far less often than the job itself
   */
  JobSync(Collaborators shared, Duration progressEvery) {
    this.shared = shared;
    this.progressEvery = progressEvery;
  }

  /** Forgets a deleted resource. */
  void forget(String uid) {
    shared.attempts().forget(uid);
    notFoundReads.remove(uid);
    progressReadAt.remove(uid);
    actedAt.remove(uid);
    shared.poller().untrack(uid);
  }

  /** A change this process asks of the provider; remembered when it ends, sent or not. */
  private ProviderJob act(String uid, ProviderCall call) throws ProviderException {
    try {
      return call.run();
    } finally {
      actedAt.put(uid, shared.clock().instant());
    }
  }

  @FunctionalInterface
  private interface ProviderCall {
    ProviderJob run() throws ProviderException;
  }

  /**
   * Creates the job. The create is announced in status first (Submitting and the attempt's start, a
   * compare-and-swap on what this decision read), so a crash, a failover or a second reconciler
   * recovers by {@link #lookUp}, never by a second create.
   */
  Step create(
      TuningJob resource, Context<TuningJob> context, TuningProvider provider, JobContext job) {
    String uid = resource.getMetadata().getUid();
    Duration admitted = provider.createDelay(job);
    if (!admitted.isZero()) {
      // The credential's budget has no room for a create now: nothing is written or sent, so no
      // lookup is owed either; the job comes back in its turn.
      return new Step(Observed.keeping(resource), Optional.of(admitted), resource);
    }
    Instant now = shared.clock().instant();
    Instant start = SubmitAttempts.recordable(now);
    Observed intent = Observed.withoutJob(Phase.Submitting).withSubmitAttempt(start);
    resource =
        shared
            .writer()
            .writeIntent(resource, context, shared.statusFactory().build(resource, intent));
    shared.attempts().started(uid, start);
    // No Event for the attempt itself: the Submitted condition says Submitting, and JobCreated (or
    // a Warning) follows within the call; an Event per create was one more API write per job.
    ProviderJob created;
    try {
      // The settle window counts from the recorded start: a request that leaves within the
      // send budget ends, and may still land, inside it.
      created =
          provider.create(job.withSendBy(now.plus(shared.requeue().intervals().sendBudget())));
    } catch (ProviderException e) {
      if (e.outcomeUnknown()) {
        shared.attempts().unknown(uid);
      } else {
        shared.attempts().refused(uid);
      }
      Observed base = Observed.withoutJob(Phase.Submitting);
      boolean rejection = e.kind() == ErrorKind.PERMANENT || e.kind() == ErrorKind.NOT_FOUND;
      return rejection ? rejected(resource, base, e) : retry(resource, base, e);
    }
    shared.attempts().created(uid, created.id());
    log.atInfo().addKeyValue("jobId", created.id()).log("Created provider job");
    return recordJob(resource, context, provider, job, created, Reason.JOB_CREATED);
  }

  /**
   * The lookup before any further create: the job this process created but could not record, a job
   * with this TuningJob's tag, or, while an earlier create may still land, a wait. Empty when no
   * job exists and none can still land: {@link PhaseMachine#afterLookup} decides what next. A
   * failed lookup says nothing about the job, so it retries and never fails the job.
   */
  Optional<Step> lookUp(
      TuningJob resource, Context<TuningJob> context, TuningProvider provider, JobContext job) {
    String uid = resource.getMetadata().getUid();
    if (shared.attempts().refusedLatest(resource)) {
      // This process's last create was refused or never sent (a rate budget, a 429): nothing to
      // find, and a lookup would spend the call the next create needs.
      return Optional.empty();
    }
    try {
      Optional<String> createdId = shared.attempts().createdId(uid);
      ProviderJob found =
          createdId.isPresent()
              ? provider.get(job, createdId.get())
              : provider.findByTag(job).orElse(null);
      if (found != null) {
        log.atInfo().addKeyValue("jobId", found.id()).log("Adopting provider job found by tag");
        return Optional.of(
            recordJob(
                resource,
                context,
                provider,
                job,
                found,
                createdId.isPresent() ? Reason.JOB_CREATED : Reason.JOB_ADOPTED));
      }
    } catch (ProviderException e) {
      return Optional.of(retry(resource, Observed.withoutJob(Phase.Submitting), e));
    }
    Duration poll = shared.requeue().intervals().submitting();
    if (SubmitAttempts.startUnrecorded(resource)) {
      log.info("No attempt start in status; recording now and looking again for a whole window");
      Observed o =
          Observed.withoutJob(Phase.Submitting).withSubmitAttempt(shared.attempts().startNow());
      return Optional.of(new Step(o, Optional.of(poll), resource));
    }
    Optional<Duration> unsettled =
        shared.attempts().unsettled(resource, shared.requeue().intervals().submitSettle(), poll);
    if (unsettled.isPresent()) {
      // An earlier create may still be in flight at the provider: look again, don't create.
      log.info(
          "No job with this tag yet; an earlier create may still land, looking again in {}",
          unsettled.get());
      return Optional.of(new Step(Observed.withoutJob(Phase.Submitting), unsettled, resource));
    }
    return Optional.empty();
  }

  /** Suspended with no job: held, nothing sent to the provider. */
  Step held(TuningJob resource) {
    return new Step(Observed.withoutJob(Phase.Pending), Optional.of(RequeuePolicy.IDLE), resource);
  }

  /** Cancelled with no job: ends Cancelled without a provider call. */
  Step cancelledUnsubmitted(TuningJob resource) {
    shared.events().normal(resource, Reason.JOB_CANCELLED, "Cancelled before a job was created");
    return new Step(Observed.withoutJob(Phase.Cancelled), Optional.empty(), resource);
  }

  /** Back to Pending, deciding again at once (a job named by annotation is adopted then). */
  Step returnedToPending(TuningJob resource) {
    return new Step(
        Observed.withoutJob(Phase.Pending), Optional.of(Duration.ofSeconds(1)), resource);
  }

  /** Reads the job, applies spec.suspend, and maps the result. */
  Step observe(
      TuningJob resource,
      TuningProvider provider,
      JobContext job,
      String jobId,
      Reason submittedReason,
      Optional<ListedJob> listed) {
    Phase previous = phase(resource);
    Observed base =
        Observed.of(previous == null ? Phase.Queued : previous, jobId, null, submittedReason);
    if (listed.isEmpty() && awaitingFirstList(resource, jobId)) {
      // Just created or adopted, and the next list of its scope will show it: reading it now
      // would cost a call per new job (1,000 new jobs on one key: minutes of reads at the
      // budget's rate); status keeps what the create answered until then.
      return new Step(Observed.keeping(resource), shared.requeue().forPhase(previous), resource);
    }
    try {
      Optional<ProviderJob> fromList = fromList(resource, provider, jobId, listed);
      ProviderJob current = fromList.isPresent() ? fromList.get() : provider.get(job, jobId);
      notFoundReads.remove(resource.getMetadata().getUid());
      String uid = resource.getMetadata().getUid();
      if (current.state().isTerminal()) {
        shared.poller().untrack(uid);
      } else {
        shared
            .poller()
            .track(
                uid,
                io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(resource),
                provider,
                job,
                jobId);
      }
      return observed(resource, provider, job, current, submittedReason);
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) {
        return notFound(resource, base, e);
      }
      return retry(resource, base, e);
    }
  }

  private Step recordJob(
      TuningJob resource,
      Context<TuningJob> context,
      TuningProvider provider,
      JobContext job,
      ProviderJob created,
      Reason reason) {
    // The id must be durable before anything else happens to the job.
    Observed withId =
        Observed.of(PhaseMachine.phaseOf(created, Phase.Submitting), created.id(), created, reason);
    resource = shared.write(resource, context, withId);
    shared.attempts().recorded(resource.getMetadata().getUid());
    if (!created.state().isTerminal()) {
      // The next list of its scope shows it: no read of its own before that.
      shared
          .poller()
          .trackNew(
              resource.getMetadata().getUid(),
              io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(resource),
              provider,
              job,
              created.id());
    }
    shared
        .events()
        .normal(
            resource,
            reason,
            (reason == Reason.JOB_ADOPTED ? "Adopted" : "Created")
                + " provider job "
                + created.id());
    shared.requeue().reset(resource.getMetadata().getUid());
    return new Step(withId, shared.requeue().forPhase(withId.phase()), resource);
  }

  private Step observed(
      TuningJob resource,
      TuningProvider provider,
      JobContext job,
      ProviderJob current,
      Reason submittedReason)
      throws ProviderException {
    if (!owned(job, current)) {
      return notOwned(resource, current.id());
    }
    if (PhaseMachine.cancelRequested(resource)
        && !current.state().isTerminal()
        && current.state() != ProviderJobState.CANCELLING) {
      String id = current.id();
      current = act(job.resourceUid(), () -> provider.cancel(job, id));
      log.atInfo().addKeyValue("jobId", current.id()).log("Cancel requested by annotation");
      shared
          .events()
          .normal(resource, Reason.CANCEL_REQUESTED, "Cancelling provider job " + current.id());
      if (!current.state().isTerminal()) {
        current = current.toBuilder().state(ProviderJobState.CANCELLING).build();
      }
    }
    Instant now = shared.clock().instant();
    Optional<Duration> left = Deadline.remaining(resource, current, now);
    if (left.isPresent() && (left.get().isNegative() || left.get().isZero())) {
      return deadlineExceeded(
          resource,
          provider,
          job,
          Observed.of(Phase.Failed, current.id(), current, submittedReason));
    }
    var action =
        PhaseMachine.suspendAction(
            PhaseMachine.suspended(resource) && !PhaseMachine.cancelRequested(resource),
            current.state(),
            provider.supportsPause());
    switch (action) {
      case PAUSE -> {
        String id = current.id();
        current = act(job.resourceUid(), () -> provider.pause(job, id));
        shared
            .events()
            .normal(resource, Reason.PAUSE_REQUESTED, "Pausing provider job (spec.suspend)");
      }
      case RESUME -> {
        String id = current.id();
        current = act(job.resourceUid(), () -> provider.resume(job, id));
        shared.events().normal(resource, Reason.RESUME_REQUESTED, "Resuming provider job");
      }
      default -> {}
    }
    current = withProgress(resource, provider, job, current, now);
    Phase phase = PhaseMachine.phaseOf(current, phase(resource));
    Observed o = Observed.of(phase, current.id(), current, submittedReason);
    if (phase == Phase.Failed) {
      o = o.withFailure(Reason.JOB_FAILED, null);
    }
    if (action == PhaseMachine.SuspendAction.NOT_SUPPORTED) {
      o = o.withPauseNotSupported();
    }
    if (syncRequest(resource).isPresent()) {
      o = o.withSyncRequest(syncRequest(resource).get());
    }
    shared.requeue().reset(resource.getMetadata().getUid());
    return new Step(
        o, Deadline.sooner(shared.requeue().forPhase(phase), left, current.state()), resource);
  }

  /**
   * Past spec.activeDeadlineSeconds: cancel the provider job (once: the TuningJob is Failed
   * afterwards and not observed again) and end Failed with reason DeadlineExceeded, as a Kubernetes
   * Job does.
   */
  private Step deadlineExceeded(
      TuningJob resource, TuningProvider provider, JobContext job, Observed failed)
      throws ProviderException {
    long limit = resource.getSpec().getActiveDeadlineSeconds();
    ProviderJob current = failed.job();
    if (current.state() != ProviderJobState.CANCELLING) {
      String id = current.id();
      current = act(job.resourceUid(), () -> provider.cancel(job, id));
    }
    if (current.state().isTerminal() && current.state() != ProviderJobState.CANCELLED) {
      // It ended on its own between the read and the cancel: report what it did.
      Phase phase = PhaseMachine.phaseOf(current, Phase.Running);
      Observed ended = Observed.of(phase, current.id(), current, failed.submittedReason());
      return new Step(
          phase == Phase.Failed ? ended.withFailure(Reason.JOB_FAILED, null) : ended,
          Optional.empty(),
          resource);
    }
    String message =
        "active longer than spec.activeDeadlineSeconds ("
            + limit
            + " s); provider job "
            + current.id()
            + " cancelled";
    shared.events().warning(resource, Reason.DEADLINE_EXCEEDED, "Deadline exceeded: " + message);
    Observed o =
        Observed.of(Phase.Failed, current.id(), current, failed.submittedReason())
            .withFailure(
                Reason.DEADLINE_EXCEEDED,
                new JobError(Reason.DEADLINE_EXCEEDED.value(), message, null));
    shared.requeue().reset(resource.getMetadata().getUid());
    return new Step(o, Optional.empty(), resource);
  }

  /**
   * The job with its training progress, read every {@link #progressEvery} while it runs, counted
   * from when this process first saw it running (and once more when it ends) for providers whose
   * job view lacks it. A failed read is not a failed sync: the progress shown stays the last one
   * read.
   */
  private ProviderJob withProgress(
      TuningJob resource,
      TuningProvider provider,
      JobContext job,
      ProviderJob current,
      Instant now) {
    ProviderJobState state = current.state();
    if (current.progress() != null
        || !(state == ProviderJobState.RUNNING
            || state == ProviderJobState.PAUSED
            || state == ProviderJobState.SUCCEEDED)) {
      return current;
    }
    String uid = resource.getMetadata().getUid();
    Instant last = progressReadAt.get(uid);
    boolean ended = state == ProviderJobState.SUCCEEDED;
    if (last == null && !ended) {
      // Just started: nothing to read yet (the first checkpoint comes after an epoch); the
      // interval counts from here.
      progressReadAt.put(uid, now);
      return current;
    }
    if (last != null && !ended && now.isBefore(last.plus(progressEvery))) {
      return current;
    }
    progressReadAt.put(uid, now);
    try {
      return provider
          .progress(job, current.id())
          .map(p -> current.toBuilder().progress(p).build())
          .orElse(current);
    } catch (ProviderException e) {
      log.atDebug().addKeyValue("jobId", current.id()).log("progress not read: {}", e.kind());
      return current;
    }
  }

  /**
   * The batched poll's view of the job, used instead of a read while it is fresh (two poll
   * intervals) and no sync was requested, when it shows the state status already has or comes from
   * a list of whole jobs ({@link TuningProvider#listShowsWholeJobs}). A list of summaries lacks
   * detail such as the failure or the metrics, so any new state it shows is read in full.
   *
   * <p>A list may be older than what status shows: it is taken only when it began {@link #LIST_LAG}
   * after this process last changed the job (a cancel, pause or resume) and, for a new state that
   * is not an end, after status was last synced ({@code lastSyncTime}, whole seconds, so a second
   * more). An end is final, so a list of whole jobs may report it however old the list. A listed
   * job whose id is this TuningJob's recorded job id is its own (ownership was checked when it was
   * recorded; a list may not show tags).
   */
  private Optional<ProviderJob> fromList(
      TuningJob resource, TuningProvider provider, String jobId, Optional<ListedJob> listed) {
    var status = resource.getStatus();
    if (listed.isEmpty()
        || status == null
        || !jobId.equals(status.getJobId())
        || syncRequest(resource).isPresent()) {
      return Optional.empty();
    }
    ListedJob l = listed.get();
    Instant now = shared.clock().instant();
    Duration fresh = shared.requeue().intervals().running().multipliedBy(2);
    ProviderJob job = l.job();
    Instant acted = actedAt.get(resource.getMetadata().getUid());
    if (!job.id().equals(jobId)
        || l.listedAt().plus(fresh).isBefore(now)
        || (acted != null && !l.listedAt().isAfter(acted.plus(LIST_LAG)))) {
      return Optional.empty();
    }
    boolean changed = !java.util.Objects.equals(job.rawState(), status.getProviderState());
    boolean whole = provider.listShowsWholeJobs();
    if (job.state().isTerminal() || changed) {
      boolean newerThanStatus =
          StatusFactory.instant(status.getLastSyncTime())
              .map(synced -> l.listedAt().isAfter(synced.plusSeconds(1).plus(LIST_LAG)))
              .orElse(false);
      if (!whole || !(job.state().isTerminal() || newerThanStatus)) {
        return Optional.empty();
      }
    }
    if (!job.tags().containsKey(TuningProvider.TAG_KEY)) {
      var tags = new java.util.HashMap<>(job.tags());
      tags.put(TuningProvider.TAG_KEY, resource.getMetadata().getUid());
      job = job.toBuilder().tags(tags).build();
    }
    return Optional.of(job);
  }

  /**
   * The job was recorded moments ago (within two poll intervals), its scope's next list has not
   * been tried yet, and nothing asks for a provider call now: no cancel, no {@code spec.suspend},
   * no deadline, no sync request, and it is queued or running.
   */
  private boolean awaitingFirstList(TuningJob resource, String jobId) {
    var status = resource.getStatus();
    Phase phase = phase(resource);
    Instant since =
        shared.clock().instant().minus(shared.requeue().intervals().running().multipliedBy(2));
    return status != null
        && jobId.equals(status.getJobId())
        && (phase == Phase.Queued || phase == Phase.Running)
        && !PhaseMachine.cancelRequested(resource)
        && !PhaseMachine.suspended(resource)
        && resource.getSpec().getActiveDeadlineSeconds() == null
        && syncRequest(resource).isEmpty()
        && shared.poller().awaitingList(resource.getMetadata().getUid(), since);
  }

  /**
   * The value of {@code tuning.dev/reconcile-requested-at} when it asks for a read not served yet
   * (it differs from {@code status.lastSyncRequest}).
   */
  static Optional<String> syncRequest(TuningJob resource) {
    var annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(TuningJob.RECONCILE_REQUESTED_AT);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String served = resource.getStatus() == null ? null : resource.getStatus().getLastSyncRequest();
    return value.equals(served) ? Optional.empty() : Optional.of(value);
  }

  /**
   * The tenant rule for operator-wide credentials (docs/design.md section 5): with them, only a job
   * tagged with this TuningJob's UID may be adopted, mirrored, cancelled or paused. With the
   * tenant's own credential any job that credential can read may be adopted.
   */
  static boolean owned(JobContext job, ProviderJob current) {
    return !job.credential().operatorOwned()
        || job.resourceUid().equals(current.tags().get(TuningProvider.TAG_KEY));
  }

  /** Nothing of a job this TuningJob does not own is shown or changed; status says why. */
  private Step notOwned(TuningJob resource, String jobId) {
    String message =
        "provider job "
            + jobId
            + " is not tagged with this TuningJob's UID, so the operator's own credentials will"
            + " not adopt, mirror or cancel it; reference a credentials Secret of your own to"
            + " adopt it";
    if (!syncFailing(resource, Reason.JOB_NOT_OWNED)) {
      shared.events().warning(resource, Reason.JOB_NOT_OWNED, message);
    }
    var status = resource.getStatus();
    Phase phase = phase(resource);
    String recorded = status == null ? null : status.getJobId();
    Observed o =
        Observed.of(
                phase == null || recorded == null ? Phase.Pending : phase,
                recorded,
                null,
                Conditions.submittedReason(resource))
            .withSyncFailure(Reason.JOB_NOT_OWNED, message);
    Duration delay =
        shared
            .requeue()
            .afterError(
                resource.getMetadata().getUid(), ErrorKind.CREDENTIALS_REJECTED, Optional.empty());
    return new Step(o, Optional.of(delay), resource);
  }

  /**
   * A refusal before any exchange ({@link TuningProvider#checkAccess}): a spec the provider can
   * never serve fails a job that was never submitted; anything else (credentials, a possibly
   * created job) keeps the phase and retries slowly.
   */
  Step refused(TuningJob resource, ProviderException e) {
    Observed base = Observed.keeping(resource);
    if (e.kind() == ErrorKind.PERMANENT
        && base.jobId() == null
        && base.phase() != Phase.Submitting) {
      return rejected(resource, base, e);
    }
    return retry(resource, base, e);
  }

  private Step rejected(TuningJob resource, Observed base, ProviderException e) {
    log.atWarn()
        .addKeyValue("errorKind", e.kind())
        .log("Provider rejected the job: {}", e.getMessage());
    JobError error =
        new JobError(
            e.providerCode().orElse(e.kind().name()), e.getMessage(), e.param().orElse(null));
    Observed o =
        base.withFailure(Reason.PROVIDER_REJECTED, error)
            .withSyncFailure(Reason.PROVIDER_REJECTED, e.getMessage());
    shared.events().warning(resource, Reason.PROVIDER_REJECTED, e.getMessage());
    return new Step(o, Optional.empty(), resource);
  }

  /**
   * A 404 is not the end: a read can lag a create, and a key rotated to another project or
   * organization answers 404 for a job that is alive and billing. Keep polling with backoff and
   * {@code Synced=False JobNotFound}; only when the answer persists ({@code notFoundGrace} and
   * {@link #NOT_FOUND_READS} reads) is the job marked Failed.
   */
  private Step notFound(TuningJob resource, Observed base, ProviderException e) {
    String uid = resource.getMetadata().getUid();
    Instant since = notFoundSince(resource).orElse(shared.clock().instant());
    int reads = notFoundReads.merge(uid, 1, Integer::sum);
    Duration grace = shared.requeue().intervals().notFoundGrace();
    boolean persistent =
        reads >= NOT_FOUND_READS && !shared.clock().instant().isBefore(since.plus(grace));
    String message =
        "Provider job "
            + base.jobId()
            + " not found since "
            + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + ": check that the credential still belongs to the project or organization that owns"
            + " the job"
            + (persistent ? "" : "; marked Failed if this lasts " + grace)
            + " ("
            + e.getMessage()
            + ")";
    if (persistent) {
      shared.events().warning(resource, Reason.JOB_NOT_FOUND, message);
      Observed o =
          base.withFailure(Reason.JOB_NOT_FOUND, new JobError("NotFound", message, null))
              .withSyncFailure(Reason.JOB_NOT_FOUND, message)
              .withNotFoundSince(since);
      return new Step(o, Optional.empty(), resource);
    }
    if (!syncFailing(resource, Reason.JOB_NOT_FOUND)) {
      shared.events().warning(resource, Reason.JOB_NOT_FOUND, message);
    }
    Duration delay = shared.requeue().afterError(uid, ErrorKind.NOT_FOUND, Optional.empty());
    Observed o = base.withSyncFailure(Reason.JOB_NOT_FOUND, message).withNotFoundSince(since);
    return new Step(o, Optional.of(delay), resource);
  }

  /** Since when status has recorded "not found" answers, if it has. */
  static Optional<Instant> notFoundSince(TuningJob resource) {
    var status = resource.getStatus();
    return status == null ? Optional.empty() : StatusFactory.instant(status.getNotFoundSince());
  }

  /** A failure worth retrying: keep the phase, say why in Synced, back off. */
  Step retry(TuningJob resource, Observed base, ProviderException e) {
    if (BudgetedProvider.BUDGET.equals(e.providerCode().orElse(null))) {
      // Nothing was sent: the credential's budget says later. Status and Events stay as they
      // are (no write, no Warning per refusal); only the next reconcile moves.
      return new Step(Observed.keeping(resource), e.retryAfter(), resource);
    }
    Reason reason = Reason.forError(e.kind());
    String message =
        e.getMessage() + e.requestId().map(id -> " (request id " + id + ")").orElse("");
    Duration delay =
        shared.requeue().afterError(resource.getMetadata().getUid(), e.kind(), e.retryAfter());
    log.atInfo()
        .addKeyValue("errorKind", e.kind())
        .log("Provider call failed ({}), retrying in {}: {}", reason.value(), delay, message);
    if (!syncFailing(resource, reason)) {
      shared.events().warning(resource, reason, message);
    }
    return new Step(base.withSyncFailure(reason, message), Optional.of(delay), resource);
  }

  /**
   * Whether status already shows {@code Synced=False} with {@code reason}: a warning Event is
   * recorded only when a problem starts, not on every retry.
   */
  static boolean syncFailing(TuningJob resource, Reason reason) {
    return Conditions.reason(resource, ConditionType.SYNCED, ConditionStatus.FALSE)
        .filter(reason::equals)
        .isPresent();
  }

  static Phase phase(TuningJob resource) {
    return resource.getStatus() == null ? null : resource.getStatus().getPhase();
  }
}
