package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** activeDeadlineSeconds counts active time from the provider's create time, pauses excluded. */
class DeadlineTest {

  static final Instant CREATED = Instant.parse("2026-11-30T10:00:00Z");

  private static TuningJob job(long deadline) {
    TuningJob job = TuningJobs.openAi("ml", "j");
    job.getSpec().setActiveDeadlineSeconds(deadline);
    job.setStatus(new TuningJobStatus());
    return job;
  }

  private static ProviderJob running(ProviderJobState state) {
    return ProviderJob.builder("ftjob-1", state).createTime(CREATED).build();
  }

  @Test
  void shouldCountFromTheProvidersCreateTime() {
    TuningJob job = job(600);
    assertThat(Deadline.remaining(job, running(ProviderJobState.RUNNING), CREATED.plusSeconds(100)))
        .contains(Duration.ofSeconds(500));
    assertThat(Deadline.remaining(job, running(ProviderJobState.RUNNING), CREATED.plusSeconds(700)))
        .contains(Duration.ofSeconds(-100));
  }

  @Test
  void shouldNotCountPausedTime() {
    TuningJob job = job(600);
    // paused 300 s earlier, and paused again since 10:10
    job.getStatus().setSuspendedSeconds(300L);
    job.getStatus().setSuspendedSince("2026-11-30T10:10:00Z");
    Instant now = CREATED.plusSeconds(1200); // 10:20: 1200 s since create, 900 of them paused

    assertThat(Deadline.remaining(job, running(ProviderJobState.PAUSED), now))
        .contains(Duration.ofSeconds(300));
  }

  @Test
  void shouldNotApplyWithoutADeadlineOrToAFinishedJob() {
    TuningJob none = TuningJobs.openAi("ml", "j");
    assertThat(Deadline.remaining(none, running(ProviderJobState.RUNNING), CREATED)).isEmpty();
    assertThat(Deadline.remaining(job(1), running(ProviderJobState.SUCCEEDED), CREATED)).isEmpty();
  }

  /** The status keeps the paused time: a pause starts a span, leaving it adds the span. */
  @Test
  void shouldAccumulatePausedTimeInStatus() {
    Instant[] now = {CREATED};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    StatusFactory factory = new StatusFactory(clock, Duration.ofMinutes(5));
    TuningJob job = job(600);
    job.getMetadata().setGeneration(1L);

    job.setStatus(factory.build(job, Observed.of(Phase.Suspended, "ftjob-1", null, null)));
    assertThat(job.getStatus().getSuspendedSince()).isEqualTo("2026-11-30T10:00:00Z");

    now[0] = CREATED.plusSeconds(90);
    job.setStatus(factory.build(job, Observed.of(Phase.Running, "ftjob-1", null, null)));
    assertThat(job.getStatus().getSuspendedSince()).isNull();
    assertThat(job.getStatus().getSuspendedSeconds()).isEqualTo(90L);

    now[0] = CREATED.plusSeconds(200);
    job.setStatus(factory.build(job, Observed.of(Phase.Succeeded, "ftjob-1", null, null)));
    assertThat(job.getStatus().getFinishedTime()).isEqualTo("2026-11-30T10:03:20Z");
    assertThat(job.getStatus().getUsageRecorded()).isTrue();

    now[0] = CREATED.plusSeconds(900);
    job.setStatus(factory.build(job, Observed.of(Phase.Succeeded, "ftjob-1", null, null)));
    assertThat(job.getStatus().getFinishedTime())
        .as("finishedTime stays when it was set")
        .isEqualTo("2026-11-30T10:03:20Z");
  }
}
