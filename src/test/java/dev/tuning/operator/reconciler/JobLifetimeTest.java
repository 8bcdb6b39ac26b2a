package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.ProviderRegistry;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What users of ML-job controllers ask for, on the real reconciler (JOSDK on the Fabric8 mock
 * server) with the fake provider: a deadline, clean-up after finish, a sync on demand, usage for
 * chargeback. The fake's jobs were created on 2026-11-23, so any deadline below a few days has
 * passed as soon as the job is read.
 */
@EnableKubernetesMockClient(crud = true)
class JobLifetimeTest extends FakeOperatorTest {

  @Test
  void shouldCancelOnceAndFailWithDeadlineExceeded() {
    fake.holdRunning();
    TuningJob job = TuningJobs.openAi(NS, "late");
    job.getSpec().setActiveDeadlineSeconds(60L);
    apply(job);

    TuningJob failed = awaitPhase("late", Phase.Failed);

    assertThat(reason(failed, "Failed")).isEqualTo(Reason.DEADLINE_EXCEEDED.value());
    assertThat(failed.getStatus().getError().getMessage())
        .contains("spec.activeDeadlineSeconds (60 s)");
    awaitEventReasons("late", Reason.DEADLINE_EXCEEDED.value());
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> fake.count("cancel") == 1);
  }

  /** Lowering the deadline of a running job applies it (raising it is refused by the CRD). */
  @Test
  void shouldApplyADeadlineLoweredAfterSubmission() {
    fake.holdRunning();
    TuningJob job = TuningJobs.openAi(NS, "lowered");
    job.getSpec().setActiveDeadlineSeconds(1_000_000_000L);
    apply(job);
    awaitPhase("lowered", Phase.Running);
    assertThat(fake.count("cancel")).isZero();

    tuningJobs()
        .withName("lowered")
        .edit(
            j -> {
              j.getSpec().setActiveDeadlineSeconds(3600L);
              return j;
            });

    TuningJob failed = awaitPhase("lowered", Phase.Failed);
    assertThat(reason(failed, "Failed")).isEqualTo(Reason.DEADLINE_EXCEEDED.value());
    assertThat(fake.count("cancel")).isEqualTo(1);
  }

  @Test
  void shouldDeleteAFinishedJobAfterItsTtlAndNeverAnUnfinishedOne() {
    TuningJob done = TuningJobs.openAi(NS, "done");
    done.getSpec().setTtlSecondsAfterFinished(1L);
    apply(done);
    TuningJob running = TuningJobs.openAi(NS, "running");
    running.getSpec().setTtlSecondsAfterFinished(1L);
    running.getSpec().setSuspend(true);

    TuningJob finished = awaitPhase("done", Phase.Succeeded);
    assertThat(finished.getStatus().getFinishedTime()).isNotNull();
    apply(running);

    await().atMost(WAIT).until(() -> get("done").isEmpty());
    assertThat(fake.count("cancel")).as("a finished job's deletion cancels nothing").isZero();
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> get("running").isPresent());
    awaitEventReasons("done", Reason.TTL_EXPIRED.value());
  }

  /** With routine polls an hour apart, each new annotation value is exactly one extra read. */
  @Test
  void shouldReadTheJobOnceForEachNewSyncRequest() {
    operator.close();
    var f = OperatorHarness.fastIntervals();
    operator =
        new OperatorHarness(
                client,
                new ProviderRegistry().register(fake),
                CredentialDefaults.none(),
                Duration.ofMinutes(10),
                null,
                new RequeuePolicy.Intervals(
                    f.submitting(),
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    f.cancelling(),
                    f.backoffBase(),
                    f.backoffMax(),
                    f.authenticationRetry(),
                    f.quotaRetry(),
                    f.submitSettle(),
                    f.notFoundGrace(),
                    f.callTimeout(),
                    f.jitter()))
            .start();
    fake.holdRunning();
    apply(TuningJobs.openAi(NS, "synced"));
    await().atMost(WAIT).until(() -> fake.count("create") == 1);
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
    int before = fake.count("get");

    annotate("synced", "2026-11-30T10:00:00Z");
    await().atMost(WAIT).until(() -> servedSyncRequest("synced", "2026-11-30T10:00:00Z"));
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
    assertThat(fake.count("get") - before).isEqualTo(1);

    annotate("synced", "2026-11-30T10:05:00Z");
    await().atMost(WAIT).until(() -> servedSyncRequest("synced", "2026-11-30T10:05:00Z"));
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
    assertThat(fake.count("get") - before).isEqualTo(2);
    assertThat(eventReasons("synced")).doesNotContain(Reason.SYNC_REQUESTED.value());
  }

  private boolean servedSyncRequest(String name, String value) {
    return value.equals(get(name).orElseThrow().getStatus().getLastSyncRequest());
  }

  /** The usage of a finished job is counted once, also across an operator restart. */
  @Test
  void shouldCountUsageOnceAcrossARestart() {
    apply(TuningJobs.openAi(NS, "first"));
    awaitPhase("first", Phase.Succeeded);
    double firstRun = trainedTokens(operator);

    operator.close();
    operator = startOperator();
    apply(TuningJobs.openAi(NS, "second"));
    awaitPhase("second", Phase.Succeeded);
    // the first job is reconciled again after the restart, and must not be counted again
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    double secondRun = trainedTokens(operator);

    assertThat(firstRun).isEqualTo(12345.0);
    assertThat(secondRun).isEqualTo(12345.0);
    assertThat(firstRun + secondRun).as("the fake's trained tokens of both jobs").isEqualTo(24690);
    assertThat(get("first").orElseThrow().getStatus().getUsageRecorded()).isTrue();
  }

  private static double trainedTokens(OperatorHarness harness) {
    var counter =
        harness
            .meters()
            .find("tuning.trained.tokens")
            .tags("tuningjob_namespace", NS, "provider", "openai")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private void annotate(String name, String value) {
    tuningJobs()
        .withName(name)
        .edit(
            j -> {
              var annotations =
                  j.getMetadata().getAnnotations() == null
                      ? new java.util.HashMap<String, String>()
                      : new java.util.HashMap<>(j.getMetadata().getAnnotations());
              annotations.put(TuningJob.RECONCILE_REQUESTED_AT, value);
              j.getMetadata().setAnnotations(annotations);
              return j;
            });
  }
}
