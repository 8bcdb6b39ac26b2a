package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusFactoryTest {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private TuningJob resource(TuningJobStatus status) {
    TuningJob job = TuningJobs.openAi("ns", "j");
    job.getMetadata().setGeneration(2L);
    job.setStatus(status);
    return job;
  }

  private static StatusFactory at(Instant now) {
    return new StatusFactory(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));
  }

  private static Condition cond(TuningJobStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldMapEveryJobFieldAndAllSixConditions() {
    var job =
        ProviderJob.builder("ftjob-1", ProviderJobState.SUCCEEDED)
            .rawState("succeeded")
            .createTime(T0)
            .startTime(T0.plusSeconds(5))
            .endTime(T0.plusSeconds(500))
            .updateTime(T0.plusSeconds(500))
            .tunedModel("ft:gpt:org:x:1")
            .tunedModelEndpoint("projects/p/endpoints/1")
            .trainedTokens(99L)
            .resultFiles(List.of("file-r"))
            .dataStats(new ProviderJob.DataStats(10L, 2000L, 30L))
            .hyperparameters(Map.of("n_epochs", "3"))
            .experiment("exp-1")
            .build();

    TuningJobStatus s =
        at(T0)
            .build(
                resource(null), Observed.of(Phase.Succeeded, "ftjob-1", job, Reason.JOB_CREATED));

    assertThat(s.getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(s.getProviderState()).isEqualTo("succeeded");
    assertThat(s.getStartTime()).isEqualTo("2026-11-23T10:00:05Z");
    assertThat(s.getEndTime()).isEqualTo("2026-11-23T10:08:20Z");
    assertThat(s.getTunedModel()).isEqualTo("ft:gpt:org:x:1");
    assertThat(s.getTunedModelEndpoint()).isEqualTo("projects/p/endpoints/1");
    assertThat(s.getTuningDataStats().getBillableTokens()).isEqualTo(2000L);
    assertThat(s.getExperiment()).isEqualTo("exp-1");
    assertThat(s.getObservedGeneration()).isEqualTo(2L);
    assertThat(s.getLastSyncTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(s.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Failed", "Running", "Submitted", "Succeeded", "Suspended", "Synced");
    assertThat(s.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
    assertThat(cond(s, "Succeeded").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Succeeded").getMessage()).contains("ft:gpt:org:x:1");
    assertThat(cond(s, "Submitted").getReason()).isEqualTo(Reason.JOB_CREATED.value());
  }

  @Test
  void shouldKeepTransitionTimesUntilAConditionFlips() {
    var running = ProviderJob.builder("ftjob-1", ProviderJobState.RUNNING).build();
    TuningJobStatus first =
        at(T0).build(resource(null), Observed.of(Phase.Running, "ftjob-1", running, null));
    TuningJobStatus second =
        at(T0.plusSeconds(60))
            .build(resource(first), Observed.of(Phase.Running, "ftjob-1", running, null));
    assertThat(cond(second, "Running").getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(StatusFactory.same(first, second)).isTrue();

    var done = ProviderJob.builder("ftjob-1", ProviderJobState.SUCCEEDED).build();
    TuningJobStatus third =
        at(T0.plusSeconds(120))
            .build(resource(second), Observed.of(Phase.Succeeded, "ftjob-1", done, null));
    assertThat(cond(third, "Running").getLastTransitionTime()).isEqualTo("2026-11-23T10:02:00Z");
    assertThat(cond(third, "Synced").getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
  }

  @Test
  void shouldRefreshLastSyncTimeOnlyAfterTheHeartbeat() {
    var running = ProviderJob.builder("ftjob-1", ProviderJobState.RUNNING).build();
    TuningJobStatus first =
        at(T0).build(resource(null), Observed.of(Phase.Running, "ftjob-1", running, null));
    TuningJobStatus soon =
        at(T0.plusSeconds(120))
            .build(resource(first), Observed.of(Phase.Running, "ftjob-1", running, null));
    TuningJobStatus later =
        at(T0.plusSeconds(600))
            .build(resource(first), Observed.of(Phase.Running, "ftjob-1", running, null));
    assertThat(soon.getLastSyncTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(later.getLastSyncTime()).isEqualTo("2026-11-23T10:10:00Z");
  }

  @Test
  void shouldKeepJobFieldsWhenTheProviderCannotBeRead() {
    var running =
        ProviderJob.builder("ftjob-1", ProviderJobState.RUNNING).tunedModel("ckpt").build();
    TuningJobStatus first =
        at(T0).build(resource(null), Observed.of(Phase.Running, "ftjob-1", running, null));
    TuningJobStatus failing =
        at(T0.plusSeconds(60))
            .build(
                resource(first),
                Observed.of(Phase.Running, "ftjob-1", null, null)
                    .withSyncFailure(Reason.RATE_LIMITED, "429 slow down"));
    assertThat(failing.getTunedModel()).isEqualTo("ckpt");
    assertThat(cond(failing, "Synced").getStatus()).isEqualTo("False");
    assertThat(cond(failing, "Synced").getReason()).isEqualTo("RateLimited");
    assertThat(failing.getLastSyncTime()).isEqualTo(first.getLastSyncTime());
  }

  @Test
  void shouldShowRejectionAsFailedWithoutJob() {
    TuningJobStatus s =
        at(T0)
            .build(
                resource(null),
                Observed.withoutJob(Phase.Submitting)
                    .withFailure(
                        Reason.PROVIDER_REJECTED, new JobError("400", "bad file", "training_file"))
                    .withSyncFailure(Reason.PROVIDER_REJECTED, "bad file"));
    assertThat(s.getPhase()).isEqualTo(Phase.Failed);
    assertThat(cond(s, "Failed").getReason()).isEqualTo("ProviderRejected");
    assertThat(cond(s, "Failed").getMessage()).isEqualTo("bad file");
    assertThat(cond(s, "Submitted").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Submitted").getReason()).isEqualTo("ProviderRejected");
    assertThat(s.getError().getParam()).isEqualTo("training_file");
  }

  @Test
  void shouldShowHeldAndNotSupportedSuspension() {
    TuningJob held = resource(null);
    held.getSpec().setSuspend(true);
    TuningJobStatus s = at(T0).build(held, Observed.withoutJob(Phase.Pending));
    assertThat(cond(s, "Suspended").getReason()).isEqualTo("Held");
    assertThat(cond(s, "Suspended").getStatus()).isEqualTo("True");

    var running = ProviderJob.builder("j", ProviderJobState.RUNNING).build();
    TuningJobStatus n =
        at(T0).build(held, Observed.of(Phase.Running, "j", running, null).withPauseNotSupported());
    assertThat(cond(n, "Suspended").getStatus()).isEqualTo("False");
    assertThat(cond(n, "Suspended").getReason()).isEqualTo("NotSupported");
  }

  /** One oversize provider value must not make every status write fail (422) and lose the id. */
  @Test
  void shouldClampProviderValuesToTheStatusSchema() {
    var job =
        ProviderJob.builder("ftjob-1", ProviderJobState.FAILED)
            .rawState("s".repeat(500))
            .tunedModel("m".repeat(2000))
            .tunedModelEndpoint("e".repeat(2000))
            .experiment("x".repeat(2000))
            .resultFiles(
                java.util.stream.IntStream.range(0, 500).mapToObj(i -> "f".repeat(400)).toList())
            .hyperparameters(
                java.util.stream.IntStream.range(0, 100)
                    .boxed()
                    .collect(
                        java.util.stream.Collectors.toMap(
                            i -> "k" + "y".repeat(80) + i, i -> "v".repeat(300))))
            .error(new ProviderJob.Failure("c".repeat(1000), "m".repeat(10_000), "p".repeat(1000)))
            .build();

    TuningJobStatus s =
        at(T0).build(resource(null), Observed.of(Phase.Failed, "ftjob-1", job, Reason.JOB_CREATED));

    assertThat(s.getProviderState()).hasSizeLessThanOrEqualTo(64);
    assertThat(s.getTunedModel()).hasSizeLessThanOrEqualTo(512);
    assertThat(s.getTunedModelEndpoint()).hasSizeLessThanOrEqualTo(512);
    assertThat(s.getExperiment()).hasSizeLessThanOrEqualTo(512);
    assertThat(s.getResultFiles())
        .hasSizeLessThanOrEqualTo(64)
        .allSatisfy(f -> assertThat(f).hasSizeLessThanOrEqualTo(256));
    assertThat(s.getHyperparameters()).hasSizeLessThanOrEqualTo(32);
    assertThat(s.getHyperparameters().values())
        .allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(64));
    assertThat(s.getError().getCode()).hasSizeLessThanOrEqualTo(256);
    assertThat(s.getError().getMessage()).hasSizeLessThanOrEqualTo(4096);
    assertThat(s.getError().getParam()).hasSizeLessThanOrEqualTo(256);

    TuningJobStatus rejected =
        at(T0)
            .build(
                resource(null),
                Observed.withoutJob(Phase.Submitting)
                    .withFailure(
                        Reason.PROVIDER_REJECTED,
                        new JobError("c".repeat(999), "m".repeat(9999), "p".repeat(999))));
    assertThat(rejected.getError().getCode()).hasSizeLessThanOrEqualTo(256);
    assertThat(rejected.getError().getParam()).hasSizeLessThanOrEqualTo(256);
  }

  @Test
  void shouldKeepTheAttemptAndNotFoundTimesUntilAReadSucceeds() {
    TuningJobStatus first =
        at(T0).build(resource(null), Observed.withoutJob(Phase.Submitting).withSubmitAttempt(T0));
    assertThat(first.getSubmitAttemptTime()).isEqualTo("2026-11-23T10:00:00Z");

    TuningJobStatus missing =
        at(T0.plusSeconds(5))
            .build(
                resource(first),
                Observed.of(Phase.Running, "ftjob-1", null, Reason.JOB_CREATED)
                    .withNotFoundSince(T0.plusSeconds(5)));
    assertThat(missing.getSubmitAttemptTime()).isEqualTo(first.getSubmitAttemptTime());
    assertThat(missing.getNotFoundSince()).isEqualTo("2026-11-23T10:00:05Z");

    TuningJobStatus found =
        at(T0.plusSeconds(9))
            .build(
                resource(missing),
                Observed.of(
                    Phase.Running,
                    "ftjob-1",
                    ProviderJob.builder("ftjob-1", ProviderJobState.RUNNING).build(),
                    Reason.JOB_CREATED));
    assertThat(found.getNotFoundSince()).isNull();
  }

  /**
   * A Failed phase shown again without a new failure (e.g. while credentials are missing) keeps its
   * reason; with none stored it is JobFailed, never an empty reason.
   */
  @Test
  void shouldKeepTheFailedReasonWhenAStepReportsNone() {
    TuningJobStatus rejected =
        at(T0)
            .build(
                resource(null),
                Observed.withoutJob(Phase.Failed)
                    .withFailure(Reason.PROVIDER_REJECTED, new JobError("400", "bad", null)));
    TuningJobStatus again =
        at(T0.plusSeconds(60))
            .build(
                resource(rejected),
                Observed.withoutJob(Phase.Failed)
                    .withSyncFailure(Reason.CREDENTIALS_MISSING, "Secret ml/openai not found"));

    assertThat(cond(again, "Failed").getReason()).isEqualTo("ProviderRejected");
    assertThat(cond(again, "Failed").getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    TuningJobStatus fresh = at(T0).build(resource(null), Observed.withoutJob(Phase.Failed));
    assertThat(cond(fresh, "Failed").getReason()).isEqualTo("JobFailed");
  }
}
