package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link TuningProvider} promises the reconciler, checked through the interface only, so
 * that the test fake and the real providers stay interchangeable (STYLE.md section 5). Run against
 * {@code FakeTuningProvider} ({@code FakeTuningProviderContractTest}), and against the real OpenAI
 * and Vertex AI providers on their emulators ({@code OpenAiProviderContractTest}, {@code
 * VertexProviderContractTest} in e2e/src/test).
 *
 * <p>A subclass builds a fresh provider (and emulator) per test and builds its {@link JobContext}s
 * in {@link #context} only. Provider time stands still until a test moves it ({@link
 * #letJobsStartRunning}, {@link #letJobsFinish}); the fake moves one state per read instead, so
 * tests read until the state they wait for ({@link #readUntil}).
 */
public abstract class TuningProviderContract {

  /** A provider answer a test asks for instead of the real one. */
  protected enum Failure {
    /** 401: the credentials are refused, also after any token refresh the provider does. */
    UNAUTHENTICATED,
    /** 429 asking to retry after {@link #RETRY_AFTER}. */
    RATE_LIMITED,
    /** 404 for a job that exists. */
    NOT_FOUND,
    /** 503. */
    SERVER_ERROR
  }

  /** The provider calls a {@link Failure} can be aimed at. */
  protected enum Call {
    CREATE,
    GET,
    FIND_BY_TAG,
    CANCEL
  }

  /** The retry hint of {@link Failure#RATE_LIMITED}. */
  protected static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  /** States of a job that is neither finished nor ending. */
  private static final Set<ProviderJobState> ACTIVE =
      EnumSet.of(ProviderJobState.QUEUED, ProviderJobState.RUNNING, ProviderJobState.UNKNOWN);

  private static final Set<ProviderJobState> CANCELLED_OR_ENDING =
      EnumSet.of(ProviderJobState.CANCELLING, ProviderJobState.CANCELLED);

  /** Other jobs created next to the one a tag search looks for, so that the search must page. */
  private static final int OTHER_JOBS = 4;

  /** The implementation under test, the same instance throughout one test. */
  protected abstract TuningProvider provider();

  /**
   * The only place this implementation's contexts are built: a valid job of its kind, with a
   * credential it accepts, for the TuningJob with this UID.
   */
  protected abstract JobContext context(String uid);

  /** The next {@code call} is answered with {@code failure}. */
  protected abstract void failNext(Call call, Failure failure);

  /**
   * From now on the tag search reads short pages and sees every job (as if the server ignored its
   * filter), so that a job among {@value #OTHER_JOBS} newer ones is on a later page.
   */
  protected abstract void makeTagSearchPage();

  /** The next tag search reads its first page, then the next page fails (5xx). */
  protected abstract void failTagSearchAfterItsFirstPage();

  /** How many list pages the provider has read so far; -1 for an implementation without pages. */
  protected abstract int listPagesRead();

  /** Provider time moves on until jobs created so far are running. */
  protected abstract void letJobsStartRunning();

  /** Provider time moves on until jobs created so far have succeeded. */
  protected abstract void letJobsFinish();

  /** Whether the provider's 429 says how long to wait (AWS's throttling answers do not). */
  protected boolean sendsRetryAfter() {
    return true;
  }

  /**
   * Whether {@link TuningProvider#progress} reports a running job's progress once it has trained a
   * while ({@link #letTrainingProgress}); providers that keep the default answer empty.
   */
  protected boolean reportsProgress() {
    return false;
  }

  /**
   * Provider time moves on while jobs that run keep running, so that a provider that reports
   * progress has some (OpenAI: the first checkpoint).
   */
  protected void letTrainingProgress() {}

  // --- create, get, findByTag --------------------------------------------------------------------

  @Test
  void shouldCreateATaggedJobThatGetReadsBackActive() throws ProviderException {
    String uid = uid();
    JobContext ctx = context(uid);

    ProviderJob created = provider().create(ctx);
    ProviderJob read = provider().get(ctx, created.id());

    assertThat(provider().isJobId(created.id())).as("id %s", created.id()).isTrue();
    assertThat(created.state()).isIn(ACTIVE);
    assertThat(created.tags()).containsEntry(TuningProvider.TAG_KEY, uid);
    assertThat(read.id()).isEqualTo(created.id());
    assertThat(read.state()).isIn(ACTIVE);
    assertThat(read.tags()).containsEntry(TuningProvider.TAG_KEY, uid);
  }

  @Test
  void shouldFindEachJobByItsTag() throws ProviderException {
    JobContext first = context(uid());
    JobContext second = context(uid());
    String firstId = provider().create(first).id();
    String secondId = provider().create(second).id();

    assertThat(provider().findByTag(first)).map(ProviderJob::id).contains(firstId);
    assertThat(provider().findByTag(second)).map(ProviderJob::id).contains(secondId);
  }

  @Test
  void shouldFindTheJobByTagWhenTheSearchMustPage() throws ProviderException {
    makeTagSearchPage();
    JobContext ctx = context(uid());
    String jobId = provider().create(ctx).id();
    createOtherJobs();
    int pagesBefore = listPagesRead();

    Optional<ProviderJob> found = provider().findByTag(ctx);

    assertThat(found).map(ProviderJob::id).contains(jobId);
    if (pagesBefore >= 0) {
      assertThat(listPagesRead() - pagesBefore).as("list pages read").isGreaterThan(1);
    }
  }

  @Test
  void shouldFindNothingForAnUnknownUid() throws ProviderException {
    provider().create(context(uid()));

    assertThat(provider().findByTag(context(uid()))).isEmpty();
  }

  @Test
  void shouldFailATagSearchThatCannotReadEveryPage() throws ProviderException {
    makeTagSearchPage();
    JobContext ctx = context(uid());
    provider().create(ctx);
    createOtherJobs();
    failTagSearchAfterItsFirstPage();

    // Never "no job" (nor the first page's answer): a partial answer could lead to a duplicate.
    assertFailsWith(ErrorKind.TRANSIENT, () -> provider().findByTag(ctx));
  }

  // --- cancel, pause, resume ---------------------------------------------------------------------

  @Test
  void shouldCancelIdempotently() throws ProviderException {
    JobContext ctx = context(uid());
    String jobId = provider().create(ctx).id();

    ProviderJob first = provider().cancel(ctx, jobId);
    ProviderJob second = provider().cancel(ctx, jobId);

    assertThat(first.id()).isEqualTo(jobId);
    assertThat(first.state()).isIn(CANCELLED_OR_ENDING);
    assertThat(second.id()).isEqualTo(jobId);
    assertThat(second.state()).isIn(CANCELLED_OR_ENDING);
    assertThat(provider().get(ctx, jobId).state()).isIn(CANCELLED_OR_ENDING);
  }

  @Test
  void shouldAnswerACancelOfAFinishedJobWithTheFinishedJob() throws ProviderException {
    JobContext ctx = context(uid());
    String jobId = provider().create(ctx).id();
    letJobsFinish();
    readUntil(ctx, jobId, ProviderJobState::isTerminal);

    ProviderJob cancelled = provider().cancel(ctx, jobId);

    assertThat(cancelled.id()).isEqualTo(jobId);
    assertThat(cancelled.state()).isEqualTo(ProviderJobState.SUCCEEDED);
  }

  @Test
  void shouldPauseAndResumeOnlyWhereSupported() throws ProviderException {
    JobContext ctx = context(uid());
    String jobId = provider().create(ctx).id();
    letJobsStartRunning();
    readUntil(ctx, jobId, s -> s == ProviderJobState.RUNNING);

    if (!provider().supportsPause()) {
      assertFailsWith(ErrorKind.PERMANENT, () -> provider().pause(ctx, jobId));
      assertFailsWith(ErrorKind.PERMANENT, () -> provider().resume(ctx, jobId));
      assertThat(provider().get(ctx, jobId).state()).isEqualTo(ProviderJobState.RUNNING);
      return;
    }
    ProviderJob paused = provider().pause(ctx, jobId);
    ProviderJob stillPaused = provider().get(ctx, jobId);
    ProviderJob resumed = provider().resume(ctx, jobId);

    assertThat(paused.state()).isEqualTo(ProviderJobState.PAUSED);
    assertThat(stillPaused.state()).isEqualTo(ProviderJobState.PAUSED);
    assertThat(resumed.id()).isEqualTo(jobId);
    assertThat(resumed.state()).isIn(ACTIVE);
  }

  // --- progress ----------------------------------------------------------------------------------

  @Test
  void shouldReportNoProgressBeforeTheJobRuns() throws ProviderException {
    JobContext ctx = context(uid());
    String jobId = provider().create(ctx).id();

    assertThat(provider().progress(ctx, jobId)).isEmpty();
  }

  @Test
  void shouldReportProgressOfARunningJobWithANonNegativeStepOrNothing() throws ProviderException {
    JobContext ctx = context(uid());
    String jobId = provider().create(ctx).id();
    letJobsStartRunning();
    readUntil(ctx, jobId, s -> s == ProviderJobState.RUNNING);
    letTrainingProgress();

    // never an error for a job that runs: the reconciler reads this on the side
    Optional<ProviderJob.Progress> progress = provider().progress(ctx, jobId);

    if (reportsProgress()) {
      assertThat(progress).isPresent();
    }
    progress.ifPresent(p -> assertThat(p.step()).as("step").isNotNull().isNotNegative());
  }

  // --- the list batched polling reads -----------------------------------------------------------

  /** A provider that lists its active jobs shows a created one, and never a finished one. */
  @Test
  void shouldListActiveJobsWhereItCan() throws ProviderException {
    JobContext ctx = context(uid());
    String running = provider().create(ctx).id();
    Optional<List<ProviderJob>> listed = provider().listActive(ctx, PageGate.OPEN);
    if (listed.isEmpty()) {
      return;
    }
    assertThat(listed.get()).extracting(ProviderJob::id).contains(running);
    assertThat(listed.get()).allSatisfy(j -> assertThat(j.state()).isIn(ACTIVE));
    letJobsFinish();
    readUntil(ctx, running, ProviderJobState::isTerminal);
    assertThat(provider().listActive(ctx, PageGate.OPEN).orElseThrow())
        .extracting(ProviderJob::id)
        .doesNotContain(running);
  }

  /** The batched poll's list shows a tracked job with the state a read shows. */
  @Test
  void shouldListTrackedJobsAsAReadShowsThem() throws ProviderException {
    JobContext ctx = context(uid());
    String first = provider().create(ctx).id();
    String second = provider().create(context(uid())).id();
    Optional<List<ProviderJob>> listed =
        provider().listTracked(ctx, java.util.Set.of(first), PageGate.OPEN);
    if (listed.isEmpty()) {
      return;
    }
    assertThat(listed.get()).extracting(ProviderJob::id).contains(first).doesNotContain(second);
    ProviderJob read = provider().get(ctx, first);
    assertThat(listed.get())
        .filteredOn(j -> j.id().equals(first))
        .singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(read.state()));
  }

  /**
   * Every list request asks the page gate first (the rate budget counts pages, not lists): a gate
   * that refuses fails the list with its answer, and the list is not read past it.
   */
  @Test
  void shouldAskThePageGateBeforeEveryListRequest() throws ProviderException {
    JobContext ctx = context(uid());
    String id = provider().create(ctx).id();
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    Optional<List<ProviderJob>> open =
        provider().listTracked(ctx, java.util.Set.of(id), asked::incrementAndGet);
    if (open.isEmpty()) {
      return;
    }
    assertThat(asked.get()).as("pages asked of the gate").isPositive();
    ProviderException refusal = new ProviderException(ErrorKind.RATE_LIMITED, "gate closed");
    assertThatThrownBy(
            () ->
                provider()
                    .listTracked(
                        ctx,
                        java.util.Set.of(id),
                        () -> {
                          throw refusal;
                        }))
        .isSameAs(refusal);
  }

  // --- errors by class ---------------------------------------------------------------------------

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(Call.CREATE, Failure.UNAUTHENTICATED, ErrorKind.AUTHENTICATION),
        Arguments.of(Call.GET, Failure.UNAUTHENTICATED, ErrorKind.AUTHENTICATION),
        Arguments.of(Call.FIND_BY_TAG, Failure.UNAUTHENTICATED, ErrorKind.AUTHENTICATION),
        Arguments.of(Call.CANCEL, Failure.UNAUTHENTICATED, ErrorKind.AUTHENTICATION),
        Arguments.of(Call.CREATE, Failure.RATE_LIMITED, ErrorKind.RATE_LIMITED),
        Arguments.of(Call.GET, Failure.RATE_LIMITED, ErrorKind.RATE_LIMITED),
        Arguments.of(Call.FIND_BY_TAG, Failure.RATE_LIMITED, ErrorKind.RATE_LIMITED),
        Arguments.of(Call.CANCEL, Failure.RATE_LIMITED, ErrorKind.RATE_LIMITED),
        Arguments.of(Call.GET, Failure.NOT_FOUND, ErrorKind.NOT_FOUND),
        Arguments.of(Call.CANCEL, Failure.NOT_FOUND, ErrorKind.NOT_FOUND),
        Arguments.of(Call.CREATE, Failure.SERVER_ERROR, ErrorKind.TRANSIENT),
        Arguments.of(Call.GET, Failure.SERVER_ERROR, ErrorKind.TRANSIENT),
        Arguments.of(Call.FIND_BY_TAG, Failure.SERVER_ERROR, ErrorKind.TRANSIENT),
        Arguments.of(Call.CANCEL, Failure.SERVER_ERROR, ErrorKind.TRANSIENT));
  }

  @ParameterizedTest(name = "{0} answered {1} is {2}")
  @MethodSource("failures")
  void shouldClassifyEveryFailure(Call call, Failure failure, ErrorKind kind)
      throws ProviderException {
    JobContext ctx = context(uid());
    String jobId = call == Call.CREATE ? null : provider().create(ctx).id();
    failNext(call, failure);

    ProviderException e = assertFailsWith(kind, () -> call(call, ctx, jobId));

    if (failure == Failure.RATE_LIMITED && sendsRetryAfter()) {
      assertThat(e.retryAfter()).contains(RETRY_AFTER);
    }
    if (failure == Failure.SERVER_ERROR) {
      // a create may have landed although it failed: look it up, never create again at once
      assertThat(e.outcomeUnknown()).isTrue();
    }
    // the failure was for one call only
    assertThat(call(call, ctx, jobId)).isNotNull();
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static String uid() {
    return UUID.randomUUID().toString();
  }

  private void createOtherJobs() throws ProviderException {
    for (int i = 0; i < OTHER_JOBS; i++) {
      provider().create(context(uid()));
    }
  }

  private Object call(Call call, JobContext ctx, String jobId) throws ProviderException {
    return switch (call) {
      case CREATE -> provider().create(ctx);
      case GET -> provider().get(ctx, jobId);
      case FIND_BY_TAG -> provider().findByTag(ctx);
      case CANCEL -> provider().cancel(ctx, jobId);
    };
  }

  /** Reads the job until its state matches (the fake moves one state per read). */
  protected ProviderJob readUntil(JobContext ctx, String jobId, Predicate<ProviderJobState> wanted)
      throws ProviderException {
    ProviderJob job = null;
    for (int i = 0; i < 10; i++) {
      job = provider().get(ctx, jobId);
      if (wanted.test(job.state())) {
        return job;
      }
    }
    return fail("job %s did not reach the wanted state; last %s", jobId, job.state());
  }

  private static ProviderException assertFailsWith(ErrorKind kind, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ProviderException.class);
    ProviderException e = (ProviderException) thrown;
    assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
    return e;
  }
}
