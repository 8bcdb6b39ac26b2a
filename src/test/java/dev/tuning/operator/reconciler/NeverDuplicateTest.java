package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobTestSupport;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The windows in which a create could be duplicated or a job left unmanaged (issue: never a
 * duplicate, never stuck), each driven through the real reconciler on the mock API server with the
 * fake provider. The settle window and the not-found grace are 3 s here ({@link
 * OperatorHarness#fastIntervals()}). Window 4 (two reconcilers) needs the real API server's
 * optimistic locking: {@code TwoReconcilersIT}.
 */
@EnableKubernetesMockClient(crud = true)
class NeverDuplicateTest extends TuningJobTestSupport {

  static final String NS = "ml";

  KubernetesMockServer server;
  KubernetesClient client;
  FakeTuningProvider fake;
  final List<OperatorHarness> operators = new java.util.ArrayList<>();

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected String namespace() {
    return NS;
  }

  @BeforeEach
  void setUp() {
    OperatorHarness.installCrd(client);
    fake = new FakeTuningProvider("openai");
    client
        .secrets()
        .inNamespace(NS)
        .resource(TuningJobs.secret(NS, "openai", "apiKey", "sk-test"))
        .create();
  }

  @AfterEach
  void stop() {
    operators.forEach(OperatorHarness::close);
  }

  private OperatorHarness startOperator() {
    return startOperator(client);
  }

  /** An operator whose client does not retry 5xx itself, so an injected failure surfaces. */
  private OperatorHarness startOperatorWithoutClientRetries() {
    var config =
        new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0)
            .build();
    return startOperator(
        new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build());
  }

  private OperatorHarness startOperator(KubernetesClient operatorClient) {
    var operator =
        new OperatorHarness(
                operatorClient,
                new ProviderRegistry().register(fake),
                CredentialDefaults.none(),
                Duration.ofSeconds(20))
            .start();
    operators.add(operator);
    return operator;
  }

  /** Window 2: a 5xx can follow a create that happened; it is an unknown outcome, not a "no". */
  @Test
  void shouldAdoptAJobWhoseCreateAnswered503AfterItLanded() {
    fake.nextCreateLandsLate(
        Duration.ofSeconds(1), new ProviderException(ErrorKind.TRANSIENT, "HTTP 503 unavailable"));
    startOperator();
    apply(TuningJobs.openAi(NS, "five-hundred"));

    awaitPhase("five-hundred", Phase.Succeeded);
    assertThat(fake.count("create")).isEqualTo(1);
    assertThat(fake.jobCount()).isEqualTo(1);
    assertThat(reason(get("five-hundred").orElseThrow(), "Submitted")).isEqualTo("JobAdopted");
  }

  /** Window 1: the settle runs from the end of the failed call, not from its start. */
  @Test
  void shouldCountTheSettleWindowFromTheEndOfASlowFailedCreate() {
    // The call takes 2.5 s and times out; the job appears 2 s later (4.5 s after the start),
    // after a window counted from the start (3 s) but inside one counted from the end (5.5 s).
    fake.createsTake(Duration.ofMillis(2500)).nextCreateLandsLate(Duration.ofSeconds(2));
    startOperator();
    apply(TuningJobs.openAi(NS, "slow"));

    awaitPhase("slow", Phase.Succeeded);
    assertThat(fake.count("create")).isEqualTo(1);
    assertThat(fake.jobCount()).isEqualTo(1);
  }

  /**
   * Window 3: after a restart the window runs from the latest attempt recorded in status, not from
   * when the resource first entered Submitting.
   */
  @Test
  void shouldComputeTheWindowFromTheLatestRecordedAttemptAfterARestart() {
    apply(TuningJobs.openAi(NS, "retried"));
    TuningJob stored = get("retried").orElseThrow();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    TuningJobStatus status = new TuningJobStatus();
    status.setPhase(Phase.Submitting);
    status.setObservedGeneration(1L);
    // Entered Submitting ten minutes ago; a previous leader made another attempt just now.
    status.setSubmitAttemptTime(now.toString());
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Submitted")
                .withStatus("Unknown")
                .withReason("Submitting")
                .withMessage("Submitting")
                .withLastTransitionTime(now.minus(Duration.ofMinutes(10)).toString())
                .withObservedGeneration(1L)
                .build()));
    stored.setStatus(status);
    tuningJobs().resource(stored).updateStatus();
    fake.addTaggedJob(
        stored.getMetadata().getUid(),
        Duration.ofMillis(1500),
        ProviderJobState.RUNNING,
        ProviderJobState.SUCCEEDED);

    startOperator();

    awaitPhase("retried", Phase.Succeeded);
    assertThat(fake.count("create")).as("the in-flight create is adopted").isZero();
  }

  /**
   * Window 3: the job id's status write fails after a successful create, and the provider's list
   * does not show the job: the id this process kept is adopted, never a second create.
   */
  @Test
  void shouldKeepTheCreatedIdUntilItIsDurablyWritten() {
    fake.hideFromTagSearch().createsTake(Duration.ofMillis(1500));
    startOperatorWithoutClientRetries();
    apply(TuningJobs.openAi(NS, "unrecorded"));
    await().atMost(WAIT).until(() -> phaseOf("unrecorded") == Phase.Submitting);
    // The next status write (the job id, after the create returns) fails once.
    server
        .expect()
        .put()
        .withPath("/apis/tuning.dev/v1alpha1/namespaces/ml/tuningjobs/unrecorded/status")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500}")
        .once();

    awaitPhase("unrecorded", Phase.Succeeded);
    awaitEventReasons("unrecorded", "ReconcileError"); // the id write failed once
    assertThat(fake.count("create")).as(fake.calls().toString()).isEqualTo(1);
    assertThat(fake.jobCount()).isEqualTo(1);
  }

  /**
   * Window 9: a status write that keeps failing during deletion must not hold the finalizer past
   * the cancel deadline (20 s here).
   */
  @Test
  void shouldRemoveTheFinalizerAtTheDeadlineEvenWhenStatusWritesFail() {
    fake.holdRunning().holdCancelling();
    startOperatorWithoutClientRetries();
    apply(TuningJobs.openAi(NS, "unwritable"));
    awaitPhase("unwritable", Phase.Running);
    server
        .expect()
        .put()
        .withPath("/apis/tuning.dev/v1alpha1/namespaces/ml/tuningjobs/unwritable/status")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500}")
        .always();

    tuningJobs().withName("unwritable").delete();

    await().atMost(Duration.ofSeconds(40)).until(() -> get("unwritable").isEmpty());
    assertThat(fake.count("cancel")).isGreaterThanOrEqualTo(1);
  }

  /**
   * A create this process saw refused (a 429, or the operator's own rate budget) left no job: the
   * next attempt creates without a lookup, which on a busy key would spend the call the create
   * needs. A restarted process does not know this and looks up (the crash suites).
   */
  @Test
  void shouldCreateAgainWithoutALookupAfterItsOwnCreateWasRefused() {
    fake.failNext("create", ErrorKind.RATE_LIMITED, "429 slow down", Duration.ofMillis(200));
    startOperator();
    apply(TuningJobs.openAi(NS, "refused-once"));

    awaitPhase("refused-once", Phase.Succeeded);
    assertThat(fake.count("create")).isEqualTo(2);
    assertThat(fake.count("findByTag")).as("lookups after a refused create").isZero();
    assertThat(fake.jobCount()).isEqualTo(1);
  }

  /**
   * An annotation added while Submitting is used once no create can still land: the named job is
   * adopted instead of a new create.
   */
  @Test
  void shouldAdoptAnAnnotatedJobOnceSubmittingHasSettled() {
    fake.failNext("create", ErrorKind.QUOTA, "daily limit reached");
    String external = fake.addExternalJob(ProviderJobState.RUNNING, ProviderJobState.SUCCEEDED);
    startOperator();
    apply(TuningJobs.openAi(NS, "annotated-late"));
    await()
        .atMost(WAIT)
        .until(() -> "QuotaExceeded".equals(reason(get("annotated-late").orElseThrow(), "Synced")));
    tuningJobs()
        .withName("annotated-late")
        .edit(
            j -> {
              j.getMetadata()
                  .setAnnotations(java.util.Map.of(TuningJob.JOB_ID_ANNOTATION, external));
              return j;
            });

    awaitPhase("annotated-late", Phase.Succeeded);
    assertThat(get("annotated-late").orElseThrow().getStatus().getJobId()).isEqualTo(external);
    assertThat(fake.count("create")).isEqualTo(1);
  }

  /** Window 5: a lookup refused by the provider is not a rejection of the job. */
  @Test
  void shouldKeepSubmittingWhenTheLookupIsRefusedWhileACreateMayLand() {
    fake.nextCreateLandsLate(Duration.ofSeconds(2))
        .failNext("findByTag", ErrorKind.PERMANENT, "HTTP 400 invalid filter");
    startOperator();
    apply(TuningJobs.openAi(NS, "refused-lookup"));

    await()
        .atMost(WAIT)
        .until(
            () -> "ProviderRejected".equals(reason(get("refused-lookup").orElseThrow(), "Synced")));
    assertThat(phaseOf("refused-lookup")).isEqualTo(Phase.Submitting);
    awaitPhase("refused-lookup", Phase.Succeeded);
    assertThat(fake.count("create")).isEqualTo(1);
    assertThat(fake.jobCount()).isEqualTo(1);
  }

  /** Window 6: deleting while a create may still land waits for it and cancels it. */
  @Test
  void shouldCancelAJobThatLandsAfterItsTuningJobWasDeleted() {
    fake.holdRunning().nextCreateLandsLate(Duration.ofMillis(1500));
    startOperator();
    apply(TuningJobs.openAi(NS, "doomed"));
    await().atMost(WAIT).until(() -> fake.count("create") == 1);

    tuningJobs().withName("doomed").delete();

    await().atMost(WAIT).until(() -> get("doomed").isEmpty());
    assertThat(fake.jobCount()).isEqualTo(1);
    assertThat(fake.count("cancel")).as("the late job was cancelled").isEqualTo(1);
    assertThat(fake.calls()).contains("cancel");
  }

  /** Window 7: a 404 is not the end; only a persistent one fails the job. */
  @Test
  void shouldKeepPollingThroughATemporaryNotFound() {
    fake.holdRunning();
    startOperator();
    apply(TuningJobs.openAi(NS, "flaky-read"));
    awaitPhase("flaky-read", Phase.Running);
    fake.failNext("get", ErrorKind.NOT_FOUND, "HTTP 404 no such job")
        .failNext("get", ErrorKind.NOT_FOUND, "HTTP 404 no such job");

    await()
        .atMost(WAIT)
        .until(() -> "JobNotFound".equals(reason(get("flaky-read").orElseThrow(), "Synced")));
    TuningJob during = get("flaky-read").orElseThrow();
    assertThat(during.getStatus().getPhase()).isEqualTo(Phase.Running);
    assertThat(during.getStatus().getNotFoundSince()).isNotNull();
    assertThat(condition(during, "Synced").getMessage()).contains("check that the credential");

    await()
        .atMost(WAIT)
        .until(() -> "Synced".equals(reason(get("flaky-read").orElseThrow(), "Synced")));
    assertThat(get("flaky-read").orElseThrow().getStatus().getNotFoundSince()).isNull();
    fake.releaseRunning();
    awaitPhase("flaky-read", Phase.Succeeded);
  }

  /** Window 7, deletion: a 404 that does not persist must not skip the cancel. */
  @Test
  void shouldStillCancelWhenADeletionMeetsATemporaryNotFound() {
    fake.holdRunning();
    startOperator();
    apply(TuningJobs.openAi(NS, "deleted-during-404"));
    awaitPhase("deleted-during-404", Phase.Running);
    fake.failNext("get", ErrorKind.NOT_FOUND, "HTTP 404 no such job");

    tuningJobs().withName("deleted-during-404").delete();

    await().atMost(WAIT).until(() -> get("deleted-during-404").isEmpty());
    assertThat(fake.count("cancel")).isEqualTo(1);
  }

  @Test
  void shouldFailAJobOnlyWhenNotFoundPersists() {
    fake.holdRunning();
    startOperator();
    apply(TuningJobs.openAi(NS, "gone"));
    awaitPhase("gone", Phase.Running);
    for (int i = 0; i < 200; i++) {
      fake.failNext("get", ErrorKind.NOT_FOUND, "HTTP 404 no such job");
    }

    TuningJob failed = awaitPhase("gone", Phase.Failed);
    assertThat(reason(failed, "Failed")).isEqualTo("JobNotFound");
    Instant since = Instant.parse(failed.getStatus().getNotFoundSince());
    assertThat(Duration.between(since, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  /**
   * Window 8: a reconcile that keeps failing (here: an unexpected error, as an API-server outage
   * gives) is retried past JOSDK's default five attempts.
   */
  @Test
  void shouldKeepRetryingAReconcileThatFailsMoreThanFiveTimes() {
    fake.failUnexpectedly("get", 8);
    startOperator();
    apply(TuningJobs.openAi(NS, "outage"));

    awaitPhase("outage", Phase.Succeeded);
    assertThat(fake.count("get")).isGreaterThan(8);
  }

  /** Window 10: suspend set while Submitting stops further create attempts. */
  @Test
  void shouldStopCreatingWhenSuspendedWhileSubmitting() {
    fake.nextCreateLandsLate(Duration.ofHours(1));
    startOperator();
    apply(TuningJobs.openAi(NS, "held"));
    await().atMost(WAIT).until(() -> fake.count("create") == 1);

    setSuspend("held", true);

    await().atMost(WAIT).until(() -> phaseOf("held") == Phase.Pending);
    assertThat(reason(get("held").orElseThrow(), "Submitted")).isEqualTo("Held");
    // Well past the 3 s settle window: still one create.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(fake.count("create")).isEqualTo(1);
  }

  /** Window 10: a cancel request while Submitting ends the job once no create can still land. */
  @Test
  void shouldCancelWithoutCreatingWhenCancelledWhileSubmitting() {
    fake.nextCreateLandsLate(Duration.ofHours(1));
    startOperator();
    apply(TuningJobs.openAi(NS, "called-off"));
    await().atMost(WAIT).until(() -> fake.count("create") == 1);

    annotateCancel("called-off");

    awaitPhase("called-off", Phase.Cancelled);
    awaitEventReasons("called-off", Reason.JOB_CANCELLED.value(), "Cancelled");
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(fake.count("create")).isEqualTo(1);
  }

  /**
   * The settle window reads status.submitAttemptTime only. A Submitting status without it (written
   * before the field existed) whose Submitted condition flipped ten minutes ago is not settled: the
   * operator records now as the start and waits a whole window, so the create still in flight is
   * adopted. Reading the condition's transition time instead created a second job here.
   */
  @Test
  void shouldNotTakeTheSubmittedConditionsTransitionTimeForTheAttemptStart() {
    apply(TuningJobs.openAi(NS, "legacy"));
    TuningJob stored = get("legacy").orElseThrow();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    TuningJobStatus status = new TuningJobStatus();
    status.setPhase(Phase.Submitting);
    status.setObservedGeneration(1L);
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Submitted")
                .withStatus("Unknown")
                .withReason("Submitting")
                .withMessage("Submitting to the provider")
                .withLastTransitionTime(now.minus(Duration.ofMinutes(10)).toString())
                .withObservedGeneration(1L)
                .build()));
    stored.setStatus(status);
    tuningJobs().resource(stored).updateStatus();
    fake.addTaggedJob(
        stored.getMetadata().getUid(),
        Duration.ofMillis(1500),
        ProviderJobState.RUNNING,
        ProviderJobState.SUCCEEDED);

    startOperator();

    awaitPhase("legacy", Phase.Succeeded);
    assertThat(fake.count("create")).as("the in-flight create is adopted").isZero();
    assertThat(get("legacy").orElseThrow().getStatus().getSubmitAttemptTime())
        .as("the start the operator recorded")
        .isNotNull();
  }

  /**
   * A provider switched off keeps what status knows: the job id stays, so switching it on again
   * observes the job instead of creating a second one.
   */
  @Test
  void shouldKeepTheJobIdWhileTheProviderIsNotEnabled() {
    apply(TuningJobs.openAi(NS, "switched-off"));
    TuningJob stored = get("switched-off").orElseThrow();
    String jobId =
        fake.addTaggedJob(
            stored.getMetadata().getUid(),
            Duration.ZERO,
            ProviderJobState.RUNNING,
            ProviderJobState.SUCCEEDED);
    TuningJobStatus status = new TuningJobStatus();
    status.setPhase(Phase.Running);
    status.setJobId(jobId);
    status.setObservedGeneration(1L);
    stored.setStatus(status);
    tuningJobs().resource(stored).updateStatus();
    var disabled =
        new OperatorHarness(
                client, new ProviderRegistry(), CredentialDefaults.none(), Duration.ofSeconds(20))
            .start();
    operators.add(disabled);

    await()
        .atMost(WAIT)
        .until(() -> "InvalidSpec".equals(reason(get("switched-off").orElseThrow(), "Synced")));
    assertThat(get("switched-off").orElseThrow().getStatus().getJobId()).isEqualTo(jobId);
    disabled.close();
    operators.remove(disabled);

    startOperator();

    awaitPhase("switched-off", Phase.Succeeded);
    assertThat(fake.count("create")).isZero();
    assertThat(get("switched-off").orElseThrow().getStatus().getJobId()).isEqualTo(jobId);
  }
}
