package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.DeletionPolicy;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderJobState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's whole lifecycle on JOSDK, the Fabric8 mock server (CRUD) and a fake provider.
 */
@EnableKubernetesMockClient(crud = true)
class TuningJobReconcilerTest extends FakeOperatorTest {

  @Override
  protected boolean secretFirst() {
    return false; // some scenarios start without it
  }

  /**
   * Every Event any of these scenarios recorded (creates, failures, retries, cancels, deletions,
   * missing credentials, pause) carries a reason from the closed set, as Normal or Warning.
   */
  @AfterEach
  @Override
  void stop() {
    super.stop();
    var values = Arrays.stream(Reason.values()).map(Reason::value).toList();
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .allSatisfy(
            e -> {
              assertThat(e.getReason()).isIn(values);
              assertThat(e.getType()).isIn("Normal", "Warning");
            });
  }

  @Test
  void shouldMirrorStatusThroughQueuedRunningSucceeded() {
    createSecret();
    apply(TuningJobs.openAi(NS, "happy"));

    TuningJob done = awaitPhase("happy", Phase.Succeeded);

    var status = done.getStatus();
    assertThat(status.getJobId()).isEqualTo("openai-job-1");
    assertThat(status.getProviderState()).isEqualTo("fake_succeeded");
    assertThat(status.getTunedModel()).isEqualTo("ft:fake:openai-job-1");
    assertThat(status.getTrainedTokens()).isEqualTo(12345L);
    assertThat(status.getResultFiles()).containsExactly("file-result");
    assertThat(status.getCreateTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(status.getEndTime()).isEqualTo("2026-11-23T10:10:00Z");
    assertThat(status.getHyperparameters()).containsEntry("n_epochs", "3");
    assertThat(status.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
    assertThat(status.getLastSyncTime()).isNotNull();
    assertThat(condition(done, "Succeeded")).extracting(Condition::getStatus).isEqualTo("True");
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_CREATED.value());
    assertThat(condition(done, "Synced").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Running").getStatus()).isEqualTo("False");
    assertThat(condition(done, "Failed").getStatus()).isEqualTo("False");
    assertThat(done.getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactly("Failed", "Running", "Submitted", "Succeeded", "Suspended", "Synced");
    awaitEventReasons("happy", "JobCreated", "Running", "Succeeded");
    assertThat(eventReasons("happy"))
        .as("no Event for the attempt itself")
        .doesNotContain("Submitting");
    assertThat(fake.count("create")).isEqualTo(1);
    assertThat(fake.contexts().get(0).credential().secretText()).isEqualTo("sk-test");
    // terminal jobs are not polled
    int reads = fake.count("get");
    await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> fake.count("get") == reads);
    assertThat(operator.scrape())
        .contains("tuning_jobs{phase=\"Succeeded\",provider=\"openai\"} 1.0")
        .contains("tuning_job_duration_seconds_count{outcome=\"Succeeded\",provider=\"openai\"} 1");
  }

  @Test
  void shouldReportFailedJobWithItsError() {
    fake.failJobsWith("invalid_training_file", "The training file has 3 malformed lines");
    createSecret();
    apply(TuningJobs.openAi(NS, "broken"));

    TuningJob failed = awaitPhase("broken", Phase.Failed);

    assertThat(failed.getStatus().getError().getCode()).isEqualTo("invalid_training_file");
    assertThat(failed.getStatus().getError().getMessage()).contains("3 malformed lines");
    assertThat(failed.getStatus().getError().getParam()).isEqualTo("training_file");
    assertThat(condition(failed, "Failed").getStatus()).isEqualTo("True");
    assertThat(condition(failed, "Failed").getReason()).isEqualTo(Reason.JOB_FAILED.value());
    assertThat(condition(failed, "Succeeded").getReason()).isEqualTo(Reason.JOB_FAILED.value());
    awaitEvents(
        "broken",
        events ->
            assertThat(events)
                .anySatisfy(
                    e -> {
                      assertThat(e.getType()).isEqualTo("Warning");
                      assertThat(e.getMessage()).contains("3 malformed lines");
                    }));
  }

  @Test
  void shouldAdoptTaggedJobAfterCrashBetweenCreateAndStatusWrite() {
    fake.crashAfterNextCreate();
    createSecret();
    apply(TuningJobs.openAi(NS, "crashy"));

    TuningJob done = awaitPhase("crashy", Phase.Succeeded);

    assertThat(fake.count("create")).isEqualTo(1);
    assertThat(fake.count("findByTag")).isGreaterThanOrEqualTo(1);
    assertThat(fake.jobCount()).isEqualTo(1);
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_ADOPTED.value());
  }

  @Test
  void shouldNotCreateAgainWhileAnUnansweredCreateMayStillLand() {
    // The harness settles for 3 s; the lost create becomes visible after 1.5 s, while the
    // backoff alone would create again after 100-800 ms.
    fake.nextCreateLandsLate(Duration.ofMillis(1500));
    createSecret();
    apply(TuningJobs.openAi(NS, "timeout"));

    TuningJob done = awaitPhase("timeout", Phase.Succeeded);

    assertThat(fake.count("create")).isEqualTo(1);
    assertThat(fake.jobCount()).isEqualTo(1);
    assertThat(fake.count("findByTag")).isGreaterThanOrEqualTo(1);
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_ADOPTED.value());
  }

  @Test
  void shouldCancelOnceAndKeepFinalizerUntilTheJobEnds() {
    fake.holdRunning();
    createSecret();
    apply(TuningJobs.openAi(NS, "doomed"));
    awaitPhase("doomed", Phase.Running);
    fake.holdCancelling();

    tuningJobs().withName("doomed").delete();

    await().atMost(WAIT).until(() -> fake.count("cancel") == 1);
    TuningJob cancelling = awaitPhase("doomed", Phase.Cancelling);
    assertThat(cancelling.getMetadata().getFinalizers()).contains(TuningJobReconciler.FINALIZER);
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> get("doomed").isPresent());

    fake.releaseCancelling();
    await().atMost(WAIT).until(() -> get("doomed").isEmpty());
    assertThat(fake.count("cancel")).isEqualTo(1);
    assertThat(fake.stateOf("openai-job-1")).contains(ProviderJobState.CANCELLED);
  }

  @Test
  void shouldCancelWithTheLastCredentialWhenTheSecretIsAlreadyGone() {
    fake.holdRunning();
    createSecret();
    apply(TuningJobs.openAi(NS, "ns-teardown"));
    awaitPhase("ns-teardown", Phase.Running);

    // namespace deletion may remove the Secret before the TuningJob
    client.secrets().inNamespace(NS).withName("openai").delete();
    await()
        .atMost(WAIT)
        .until(() -> client.secrets().inNamespace(NS).withName("openai").get() == null);
    tuningJobs().withName("ns-teardown").delete();

    await().atMost(WAIT).until(() -> get("ns-teardown").isEmpty());
    assertThat(fake.count("cancel")).isEqualTo(1);
    var contexts = fake.contexts();
    assertThat(contexts.get(contexts.size() - 1).credential().secretText()).isEqualTo("sk-test");
  }

  @Test
  void shouldCancelARunningJobOnAnnotationAndKeepTheResource() {
    fake.holdRunning();
    createSecret();
    apply(TuningJobs.openAi(NS, "stop-me"));
    awaitPhase("stop-me", Phase.Running);

    annotateCancel("stop-me");

    TuningJob cancelled = awaitPhase("stop-me", Phase.Cancelled);
    assertThat(fake.count("cancel")).isEqualTo(1);
    assertThat(condition(cancelled, "Succeeded").getReason())
        .isEqualTo(Reason.JOB_CANCELLED.value());
    awaitEventReasons("stop-me", Reason.CANCEL_REQUESTED.value(), "Cancelled");
    int reads = fake.count("get");
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> fake.count("get") == reads);
  }

  @Test
  void shouldNeverSubmitAJobCancelledBeforeSubmission() {
    createSecret();
    TuningJob job = TuningJobs.openAi(NS, "never");
    job.getSpec().setSuspend(true);
    apply(job);
    await()
        .atMost(WAIT)
        .until(() -> get("never").map(j -> reason(j, "Suspended")).orElse("").equals("Held"));

    annotateCancel("never");
    awaitPhase("never", Phase.Cancelled);
    setSuspend("never", false);

    await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> fake.calls().isEmpty());
    assertThat(get("never").orElseThrow().getStatus().getPhase()).isEqualTo(Phase.Cancelled);
  }

  @Test
  void shouldLeaveJobRunningWithOrphanPolicy() {
    fake.holdRunning();
    createSecret();
    TuningJob job = TuningJobs.openAi(NS, "orphan");
    job.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
    apply(job);
    awaitPhase("orphan", Phase.Running);

    tuningJobs().withName("orphan").delete();

    await().atMost(WAIT).until(() -> get("orphan").isEmpty());
    assertThat(fake.count("cancel")).isZero();
    assertThat(fake.stateOf("openai-job-1")).contains(ProviderJobState.RUNNING);
  }

  @Test
  void shouldWaitForMissingSecretWithoutCallingTheProvider() {
    apply(TuningJobs.openAi(NS, "nokey"));

    await()
        .atMost(WAIT)
        .until(
            () ->
                get("nokey")
                    .map(j -> reason(j, "Synced"))
                    .filter(Reason.CREDENTIALS_MISSING.value()::equals)
                    .isPresent());
    TuningJob waiting = get("nokey").orElseThrow();
    assertThat(condition(waiting, "Synced").getStatus()).isEqualTo("False");
    assertThat(condition(waiting, "Synced").getMessage()).contains("Secret ml/openai not found");
    assertThat(waiting.getStatus().getPhase()).isEqualTo(Phase.Pending);
    awaitEventReasons("nokey", Reason.CREDENTIALS_MISSING.value());
    assertThat(fake.calls()).isEmpty();

    createSecret();

    awaitPhase("nokey", Phase.Succeeded);
    assertThat(fake.count("create")).isEqualTo(1);
  }

  @Test
  void shouldFailWithoutRetriesOnPermanentRejectionUntilTheSpecChanges() {
    fake.failNext("create", ErrorKind.PERMANENT, "training_file file-train123 does not exist");
    createSecret();
    apply(TuningJobs.openAi(NS, "rejected"));

    TuningJob failed = awaitPhase("rejected", Phase.Failed);

    assertThat(condition(failed, "Failed").getReason()).isEqualTo(Reason.PROVIDER_REJECTED.value());
    assertThat(condition(failed, "Synced").getReason()).isEqualTo(Reason.PROVIDER_REJECTED.value());
    assertThat(failed.getStatus().getError().getMessage()).contains("does not exist");
    assertThat(failed.getStatus().getJobId()).isNull();
    await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> fake.count("create") == 1);

    tuningJobs()
        .withName("rejected")
        .edit(
            j -> {
              j.getSpec().setTrainingData("file-fixed456");
              return j;
            });

    TuningJob done = awaitPhase("rejected", Phase.Succeeded);
    assertThat(fake.count("create")).isEqualTo(2);
    assertThat(done.getStatus().getError()).isNull();
  }

  @Test
  void shouldRetryTransientErrorsWithBackoffAndStillSucceed() {
    fake.failNext("create", ErrorKind.TRANSIENT, "503 service unavailable")
        .failNext("get", ErrorKind.RATE_LIMITED, "429 slow down", Duration.ofMillis(200))
        .failNext("get", ErrorKind.TRANSIENT, "connection reset");
    createSecret();
    apply(TuningJobs.openAi(NS, "flaky"));

    TuningJob done = awaitPhase("flaky", Phase.Succeeded);

    assertThat(fake.jobCount()).isEqualTo(1);
    assertThat(fake.count("create")).isEqualTo(2);
    assertThat(fake.count("findByTag")).isGreaterThanOrEqualTo(1);
    awaitEventReasons("flaky", Reason.PROVIDER_UNAVAILABLE.value(), Reason.RATE_LIMITED.value());
    assertThat(condition(done, "Synced").getStatus()).isEqualTo("True");
  }

  @Test
  void shouldPauseAndResumeWithSuspend() {
    fake.holdRunning();
    createSecret();
    apply(TuningJobs.openAi(NS, "pausable"));
    awaitPhase("pausable", Phase.Running);

    setSuspend("pausable", true);
    TuningJob paused = awaitPhase("pausable", Phase.Suspended);
    assertThat(condition(paused, "Suspended").getStatus()).isEqualTo("True");
    assertThat(fake.count("pause")).isEqualTo(1);

    setSuspend("pausable", false);
    awaitPhase("pausable", Phase.Running);
    assertThat(fake.count("resume")).isEqualTo(1);
    fake.releaseRunning();
    awaitPhase("pausable", Phase.Succeeded);
  }

  @Test
  void shouldHoldSuspendedJobBeforeSubmission() {
    createSecret();
    TuningJob job = TuningJobs.openAi(NS, "held");
    job.getSpec().setSuspend(true);
    apply(job);

    await()
        .atMost(WAIT)
        .until(() -> get("held").map(j -> reason(j, "Suspended")).orElse("").equals("Held"));
    assertThat(get("held").orElseThrow().getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(fake.calls()).isEmpty();

    setSuspend("held", false);
    awaitPhase("held", Phase.Succeeded);
    assertThat(fake.count("create")).isEqualTo(1);
  }

  @Test
  void shouldReportSuspendNotSupported() {
    fake.supportsPause(false).holdRunning();
    createSecret();
    apply(TuningJobs.openAi(NS, "nopause"));
    awaitPhase("nopause", Phase.Running);

    setSuspend("nopause", true);

    await()
        .atMost(WAIT)
        .until(
            () ->
                get("nopause")
                    .map(j -> reason(j, "Suspended"))
                    .orElse("")
                    .equals(Reason.NOT_SUPPORTED.value()));
    assertThat(get("nopause").orElseThrow().getStatus().getPhase()).isEqualTo(Phase.Running);
    assertThat(fake.count("pause")).isZero();
  }

  @Test
  void shouldAdoptExistingJobByAnnotation() {
    String external = fake.addExternalJob(ProviderJobState.RUNNING, ProviderJobState.SUCCEEDED);
    createSecret();
    TuningJob job = TuningJobs.openAi(NS, "adopted");
    job.getMetadata().setAnnotations(Map.of(TuningJob.JOB_ID_ANNOTATION, external));
    apply(job);

    TuningJob done = awaitPhase("adopted", Phase.Succeeded);

    assertThat(done.getStatus().getJobId()).isEqualTo(external);
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_ADOPTED.value());
    assertThat(fake.count("create")).isZero();
  }

  // --- helpers -------------------------------------------------------------------------------
}
