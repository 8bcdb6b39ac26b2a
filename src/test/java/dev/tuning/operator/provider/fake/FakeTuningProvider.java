package dev.tuning.operator.provider.fake;

import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.provider.CommonSpec;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.CredentialRef;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.JobRequest;
import dev.tuning.operator.provider.PageGate;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.TuningProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful in-memory provider for tests: jobs indexed by id and by the tuningjob-uid tag, a
 * scripted state sequence advanced one step per read, progress a test sets per job, injectable
 * failures per operation, a simulated crash right after a create, and a call log. Create one per
 * test.
 */
public class FakeTuningProvider implements TuningProvider {

  /** A job held by the fake. */
  public static final class FakeJob {
    final String id;
    final Map<String, String> tags;
    final Deque<ProviderJobState> script;
    final Instant created = Instant.parse("2026-11-23T10:00:00Z");
    volatile ProviderJobState state;
    volatile ProviderJob.Failure error;
    volatile ProviderJob.Progress progress;
    volatile Instant visibleAfter = Instant.MIN;

    FakeJob(String id, Map<String, String> tags, List<ProviderJobState> script) {
      this.id = id;
      this.tags = tags;
      this.script = new ArrayDeque<>(script);
      this.state = this.script.poll();
    }
  }

  private final String id;
  private final Map<String, FakeJob> jobs = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, ConcurrentLinkedQueue<ProviderException>> failures =
      new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger crashesAfterCreate = new AtomicInteger();
  private volatile Duration nextCreateLandsAfter;
  private volatile ProviderException lateAnswer;
  private volatile boolean hiddenFromTagSearch;
  private volatile Duration createDuration;
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> unexpected =
      new ConcurrentHashMap<>();
  private final AtomicBoolean holdRunning = new AtomicBoolean();
  private final AtomicBoolean holdCancelling = new AtomicBoolean();
  private final AtomicBoolean holdQueued = new AtomicBoolean();
  private volatile List<ProviderJobState> script =
      List.of(ProviderJobState.QUEUED, ProviderJobState.RUNNING, ProviderJobState.SUCCEEDED);
  private volatile ProviderJob.Failure failWith;
  private volatile boolean supportsPause = true;
  private volatile boolean cancelIsImmediate;
  private final List<JobContext> contexts = new CopyOnWriteArrayList<>();
  private volatile Credential operatorCredential;

  /** The fake's typed request: the common part of the spec. */
  public record FakeRequest(CommonSpec job) implements JobRequest {}

  public FakeTuningProvider(String id) {
    this.id = id;
  }

  /** Offers the operator's own credential to jobs that name no Secret (null: none). */
  public FakeTuningProvider operatorCredential(Credential credential) {
    this.operatorCredential = credential;
    return this;
  }

  // --- test controls -------------------------------------------------------------------------

  /** States a new job goes through, one per read. */
  public FakeTuningProvider script(ProviderJobState... states) {
    this.script = List.of(states);
    return this;
  }

  /** New jobs end FAILED with this error. */
  public FakeTuningProvider failJobsWith(String code, String message) {
    this.failWith = new ProviderJob.Failure(code, message, "training_file");
    return script(ProviderJobState.QUEUED, ProviderJobState.RUNNING, ProviderJobState.FAILED);
  }

  /** Jobs stay RUNNING until {@link #releaseRunning()}. */
  public FakeTuningProvider holdRunning() {
    holdRunning.set(true);
    return this;
  }

  public void releaseRunning() {
    holdRunning.set(false);
  }

  /** Jobs stay QUEUED until {@link #releaseQueued()}. */
  public FakeTuningProvider holdQueued() {
    holdQueued.set(true);
    return this;
  }

  public void releaseQueued() {
    holdQueued.set(false);
  }

  /** Cancelled jobs stay CANCELLING until {@link #releaseCancelling()}. */
  public FakeTuningProvider holdCancelling() {
    holdCancelling.set(true);
    return this;
  }

  public void releaseCancelling() {
    holdCancelling.set(false);
  }

  public FakeTuningProvider supportsPause(boolean value) {
    this.supportsPause = value;
    return this;
  }

  public FakeTuningProvider cancelIsImmediate(boolean value) {
    this.cancelIsImmediate = value;
    return this;
  }

  /** The next call of {@code operation} fails with this exception. */
  public FakeTuningProvider failNext(String operation, ProviderException e) {
    failures.computeIfAbsent(operation, k -> new ConcurrentLinkedQueue<>()).add(e);
    return this;
  }

  public FakeTuningProvider failNext(String operation, ErrorKind kind, String message) {
    return failNext(operation, new ProviderException(kind, message));
  }

  public FakeTuningProvider failNext(
      String operation, ErrorKind kind, String message, Duration retryAfter) {
    return failNext(
        operation, new ProviderException(kind, message, "code", null, retryAfter, "req_1", null));
  }

  /** The next create succeeds at the "provider" but the operator "dies" before seeing the id. */
  public FakeTuningProvider crashAfterNextCreate() {
    crashesAfterCreate.incrementAndGet();
    return this;
  }

  /**
   * The next create reaches the provider but its answer is lost (a read timeout): the job becomes
   * visible only after {@code delay}, as a create still being processed would.
   */
  public FakeTuningProvider nextCreateLandsLate(Duration delay) {
    this.nextCreateLandsAfter = delay;
    return this;
  }

  /**
   * The next create reaches the provider and creates the job (visible after {@code delay}), but the
   * operator gets {@code answer} instead of the job: e.g. a 503 after the job was created.
   */
  public FakeTuningProvider nextCreateLandsLate(Duration delay, ProviderException answer) {
    this.nextCreateLandsAfter = delay;
    this.lateAnswer = answer;
    return this;
  }

  /** Every create blocks this long before it lands or answers (a slow provider). */
  public FakeTuningProvider createsTake(Duration duration) {
    this.createDuration = duration;
    return this;
  }

  /** The next {@code times} calls of {@code operation} fail with an unexpected exception. */
  public FakeTuningProvider failUnexpectedly(String operation, int times) {
    unexpected
        .computeIfAbsent(operation, k -> new java.util.concurrent.atomic.AtomicInteger())
        .addAndGet(times);
    return this;
  }

  /** A job tagged with {@code uid}, as a create made by an earlier process would have left it. */
  public String addTaggedJob(String uid, Duration visibleAfter, ProviderJobState... states) {
    String jobId = id + "-job-" + sequence.incrementAndGet();
    FakeJob job = new FakeJob(jobId, Map.of(TAG_KEY, uid), List.of(states));
    job.visibleAfter = Instant.now().plus(visibleAfter);
    jobs.put(jobId, job);
    return jobId;
  }

  /**
   * What {@link #progress} reports for the job from now on (null: nothing, as before any
   * checkpoint). Reading progress never moves the job's state.
   */
  public FakeTuningProvider reportProgress(String jobId, ProviderJob.Progress progress) {
    FakeJob job = jobs.get(jobId);
    if (job == null) {
      throw new IllegalArgumentException("no job " + jobId);
    }
    job.progress = progress;
    return this;
  }

  /** The tag search sees no job at all (a provider list that lags far behind its creates). */
  public FakeTuningProvider hideFromTagSearch() {
    this.hiddenFromTagSearch = true;
    return this;
  }

  /** Adds a job made outside Kubernetes (for adoption by annotation). */
  public String addExternalJob(ProviderJobState... states) {
    String jobId = "ext-" + sequence.incrementAndGet();
    jobs.put(jobId, new FakeJob(jobId, Map.of(), List.of(states)));
    return jobId;
  }

  public int count(String operation) {
    return (int) calls.stream().filter(operation::equals).count();
  }

  public List<String> calls() {
    return new ArrayList<>(calls);
  }

  public List<JobContext> contexts() {
    return new ArrayList<>(contexts);
  }

  public Optional<ProviderJobState> stateOf(String jobId) {
    return Optional.ofNullable(jobs.get(jobId)).map(j -> j.state);
  }

  public int jobCount() {
    return jobs.size();
  }

  // --- TuningProvider --------------------------------------------------------------------------

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean supportsPause() {
    return supportsPause;
  }

  /** The Secret reference of the block named like this fake ({@code vertex}, else openai). */
  @Override
  public CredentialRef credentialRef(TuningJobSpec spec) {
    if ("vertex".equals(id)) {
      return new CredentialRef(
          Optional.ofNullable(
              spec.getVertex() == null ? null : spec.getVertex().getCredentialsSecretRef()),
          "key.json",
          "spec.vertex.credentialsSecretRef",
          "default Google credentials");
    }
    return new CredentialRef(
        Optional.ofNullable(
            spec.getOpenai() == null ? null : spec.getOpenai().getApiKeySecretRef()),
        "apiKey",
        "spec.openai.apiKeySecretRef",
        "default OpenAI key");
  }

  @Override
  public Optional<Credential> operatorCredential() {
    return Optional.ofNullable(operatorCredential);
  }

  private volatile boolean lists;

  private volatile boolean wholeJobs;

  /**
   * The list shows whole jobs, finished ones included, as OpenAI's and Vertex AI's do ({@link
   * #listShowsWholeJobs}); by default it shows active jobs only and a change is read.
   */
  public FakeTuningProvider listsWholeJobs(boolean value) {
    this.wholeJobs = value;
    return this;
  }

  @Override
  public boolean listShowsWholeJobs() {
    return wholeJobs;
  }

  private volatile java.util.concurrent.CountDownLatch listHeld;
  private final java.util.concurrent.atomic.AtomicBoolean listWaiting = new AtomicBoolean();

  /**
   * The next list shows the jobs as they are now and answers only once the returned latch is
   * counted down (at most 30 s): a list that began before what happens meanwhile.
   */
  public java.util.concurrent.CountDownLatch holdNextList() {
    var latch = new java.util.concurrent.CountDownLatch(1);
    listHeld = latch;
    return latch;
  }

  /** A held list has read the jobs and waits for its latch. */
  public boolean listWaiting() {
    return listWaiting.get();
  }

  /** Jobs per page of the fake's list. */
  public static final int LIST_PAGE = 100;

  /** Offers a batched list ({@link #listTracked}) of the jobs asked for, counted as "list". */
  public FakeTuningProvider lists(boolean value) {
    this.lists = value;
    return this;
  }

  @Override
  public Optional<List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds, PageGate pages) throws ProviderException {
    if (!lists) {
      return Optional.empty();
    }
    List<ProviderJob> out = new ArrayList<>();
    int shown = 0;
    for (String id : jobIds) {
      if (shown++ % LIST_PAGE == 0) {
        // One page (one "list" call) per LIST_PAGE jobs, each asked of the gate first.
        pages.beforePage();
        enter("list", ctx);
      }
      FakeJob job = jobs.get(id);
      if (job != null) {
        advance(job); // a list reads every job it shows
        if (wholeJobs || !job.state.isTerminal()) {
          ProviderJob view = view(job);
          out.add(view);
          pages.seen(view);
        }
      }
    }
    var held = listHeld;
    if (held != null) {
      listHeld = null;
      listWaiting.set(true);
      try {
        held.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        listWaiting.set(false);
      }
    }
    return Optional.of(out);
  }

  @Override
  public JobRequest prepare(TuningJobSpec spec) {
    return new FakeRequest(CommonSpec.of(spec));
  }

  /** Letters, digits, '-' and '_' (the ids this fake and its tests use). */
  @Override
  public boolean isJobId(String jobId) {
    return jobId != null && jobId.matches("[A-Za-z0-9_-]{1,128}");
  }

  @Override
  public String jobIdFormat() {
    return "letters, digits, '-' and '_'";
  }

  @Override
  public ProviderJob create(JobContext ctx) throws ProviderException {
    enter("create", ctx);
    String jobId = id + "-job-" + sequence.incrementAndGet();
    FakeJob job = new FakeJob(jobId, Map.of(TAG_KEY, ctx.resourceUid()), script);
    job.error = null;
    jobs.put(jobId, job);
    Duration slow = createDuration;
    if (slow != null) {
      try {
        Thread.sleep(slow.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Duration late = nextCreateLandsAfter;
    if (late != null) {
      nextCreateLandsAfter = null;
      job.visibleAfter = Instant.now().plus(late);
      ProviderException answer = lateAnswer;
      if (answer != null) {
        lateAnswer = null;
        throw answer;
      }
      throw new ProviderException(
          ErrorKind.TRANSIENT,
          "create timed out without a response",
          null,
          null,
          null,
          null,
          new java.net.SocketTimeoutException("read timed out"));
    }
    if (crashesAfterCreate.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("simulated crash after create");
    }
    return view(job);
  }

  @Override
  public ProviderJob get(JobContext ctx, String jobId) throws ProviderException {
    enter("get", ctx);
    FakeJob job = find(jobId);
    advance(job);
    return view(job);
  }

  @Override
  public Optional<ProviderJob> findByTag(JobContext ctx) throws ProviderException {
    enter("findByTag", ctx);
    if (hiddenFromTagSearch) {
      return Optional.empty();
    }
    return jobs.values().stream()
        .filter(j -> ctx.resourceUid().equals(j.tags.get(TAG_KEY)))
        .filter(j -> Instant.now().isAfter(j.visibleAfter))
        .findFirst()
        .map(this::view);
  }

  /** The progress a test set with {@link #reportProgress}, counted as operation "progress". */
  @Override
  public Optional<ProviderJob.Progress> progress(JobContext ctx, String jobId)
      throws ProviderException {
    enter("progress", ctx);
    return Optional.ofNullable(find(jobId).progress);
  }

  @Override
  public ProviderJob cancel(JobContext ctx, String jobId) throws ProviderException {
    enter("cancel", ctx);
    FakeJob job = find(jobId);
    if (!job.state.isTerminal()) {
      job.script.clear();
      if (cancelIsImmediate) {
        job.state = ProviderJobState.CANCELLED;
      } else {
        job.state = ProviderJobState.CANCELLING;
        job.script.add(ProviderJobState.CANCELLED);
      }
    }
    return view(job);
  }

  @Override
  public ProviderJob pause(JobContext ctx, String jobId) throws ProviderException {
    enter("pause", ctx);
    refuseUnlessPausable();
    FakeJob job = find(jobId);
    job.script.addFirst(job.state);
    job.state = ProviderJobState.PAUSED;
    return view(job);
  }

  @Override
  public ProviderJob resume(JobContext ctx, String jobId) throws ProviderException {
    enter("resume", ctx);
    refuseUnlessPausable();
    FakeJob job = find(jobId);
    job.state = job.script.isEmpty() ? ProviderJobState.RUNNING : job.script.poll();
    return view(job);
  }

  private void enter(String operation, JobContext ctx) throws ProviderException {
    calls.add(operation);
    contexts.add(ctx);
    var failing = unexpected.get(operation);
    if (failing != null && failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("unexpected failure of " + operation);
    }
    var queue = failures.get(operation);
    ProviderException next = queue == null ? null : queue.poll();
    if (next != null) {
      throw next;
    }
  }

  /** As a provider without pause answers (the interface's default), after recording the call. */
  private void refuseUnlessPausable() throws ProviderException {
    if (!supportsPause) {
      throw new ProviderException(ErrorKind.PERMANENT, id + " jobs cannot be paused or resumed");
    }
  }

  private FakeJob find(String jobId) throws ProviderException {
    FakeJob job = jobs.get(jobId);
    if (job == null) {
      throw new ProviderException(ErrorKind.NOT_FOUND, "no job " + jobId);
    }
    return job;
  }

  private void advance(FakeJob job) {
    if (job.state == ProviderJobState.PAUSED) {
      return;
    }
    if (job.state == ProviderJobState.RUNNING && holdRunning.get()) {
      return;
    }
    if (job.state == ProviderJobState.QUEUED && holdQueued.get()) {
      return;
    }
    if (job.state == ProviderJobState.CANCELLING && holdCancelling.get()) {
      return;
    }
    ProviderJobState next = job.script.poll();
    if (next != null) {
      job.state = next;
      if (next == ProviderJobState.FAILED && failWith != null) {
        job.error = failWith;
      }
    }
  }

  private ProviderJob view(FakeJob job) {
    var b =
        ProviderJob.builder(job.id, job.state)
            .rawState("fake_" + job.state.name().toLowerCase())
            .createTime(job.created)
            .tags(job.tags)
            .hyperparameters(Map.of("n_epochs", "3"));
    if (job.state != ProviderJobState.QUEUED) {
      b.startTime(job.created.plusSeconds(60));
    }
    if (job.state.isTerminal()) {
      b.endTime(job.created.plusSeconds(600));
    }
    if (job.state == ProviderJobState.SUCCEEDED) {
      b.tunedModel("ft:fake:" + job.id).trainedTokens(12345L).resultFiles(List.of("file-result"));
    }
    if (job.error != null) {
      b.error(job.error);
    }
    return b.build();
  }
}
