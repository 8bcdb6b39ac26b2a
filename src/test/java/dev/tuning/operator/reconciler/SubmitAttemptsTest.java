package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubmitAttemptsTest {

  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  static final Duration SETTLE = Duration.ofSeconds(120);
  static final Duration POLL = Duration.ofSeconds(15);

  private Instant now = T0;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final SubmitAttempts attempts = new SubmitAttempts(clock);

  private static TuningJob submitting(Instant attempt) {
    TuningJob job = TuningJobs.openAi("ml", "j");
    job.getMetadata().setUid("uid-1");
    TuningJobStatus status = new TuningJobStatus();
    status.setPhase(Phase.Submitting);
    status.setSubmitAttemptTime(attempt == null ? null : attempt.toString());
    job.setStatus(status);
    return job;
  }

  @Test
  void shouldCountTheWindowFromTheEndOfACallThatTimedOut() {
    TuningJob job = submitting(T0);
    attempts.started("uid-1", T0);
    now = T0.plusSeconds(90);
    attempts.unknown("uid-1");

    now = T0.plusSeconds(150);
    assertThat(attempts.unsettled(job, SETTLE, POLL))
        .as("120 s from the start have passed, 120 s from the end have not")
        .contains(POLL);
    now = T0.plusSeconds(200);
    assertThat(attempts.unsettled(job, SETTLE, POLL)).contains(Duration.ofSeconds(10));
    now = T0.plusSeconds(210);
    assertThat(attempts.unsettled(job, SETTLE, POLL)).isEmpty();
  }

  @Test
  void shouldSettleOnceTheProviderAnsweredTheLatestAttempt() {
    TuningJob job = submitting(T0);
    attempts.started("uid-1", T0);
    attempts.refused("uid-1");

    assertThat(attempts.unsettled(job, SETTLE, POLL)).isEmpty();
  }

  @Test
  void shouldWaitForALaterAttemptAnotherProcessRecorded() {
    attempts.started("uid-1", T0);
    attempts.refused("uid-1");
    now = T0.plusSeconds(300);
    TuningJob job = submitting(T0.plusSeconds(290));

    assertThat(attempts.unsettled(job, SETTLE, POLL)).contains(POLL);
  }

  @Test
  void shouldUseTheRecordedAttemptAfterARestart() {
    now = T0.plusSeconds(100);
    assertThat(attempts.unsettled(submitting(T0), SETTLE, POLL)).contains(POLL);
    now = T0.plusSeconds(121);
    assertThat(attempts.unsettled(submitting(T0), SETTLE, POLL)).isEmpty();
    assertThat(attempts.unsettled(submitting(null), SETTLE, POLL)).isEmpty();
  }

  @Test
  void shouldKeepACreatedIdUntilItIsRecorded() {
    attempts.started("uid-1", T0);
    attempts.created("uid-1", "ftjob-1");
    assertThat(attempts.createdId("uid-1")).contains("ftjob-1");
    attempts.recorded("uid-1");
    assertThat(attempts.createdId("uid-1")).isEqualTo(Optional.empty());
  }
}
