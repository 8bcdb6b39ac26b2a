package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
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
  }

  /**
   * The decision reads status.submitAttemptTime, never a condition's transition time: here
   * Submitted=Unknown flipped 21 s ago, but the latest attempt began 121 s ago, so the window has
   * passed.
   */
  @Test
  void shouldFollowTheAttemptFieldNotTheSubmittedConditionsTransitionTime() {
    now = T0.plusSeconds(121);
    TuningJob job = withSubmittedSince(submitting(T0), T0.plusSeconds(100));

    assertThat(SubmitAttempts.recordedStart(job)).contains(T0);
    assertThat(attempts.unsettled(job, SETTLE, POLL)).isEmpty();
  }

  /**
   * A Submitting status without the field (written before it existed) is never settled by the
   * condition's transition time, however old: the start is unknown until the caller records one.
   */
  @Test
  void shouldNotSettleOnATransitionTimeWhenNoAttemptIsRecorded() {
    now = T0.plusSeconds(600);
    TuningJob legacy = withSubmittedSince(submitting(null), T0);

    assertThat(SubmitAttempts.recordedStart(legacy)).isEmpty();
    assertThat(SubmitAttempts.startUnrecorded(legacy)).isTrue();
    assertThat(attempts.unsettled(legacy, SETTLE, POLL)).contains(POLL);

    TuningJob garbled = submitting(null);
    garbled.getStatus().setSubmitAttemptTime("yesterday");
    assertThat(SubmitAttempts.startUnrecorded(garbled)).isTrue();
  }

  @Test
  void shouldRecordStartsInWholeSecondsRoundedUp() {
    now = T0.plusMillis(1);
    assertThat(attempts.startNow()).isEqualTo(T0.plusSeconds(1));
    now = T0;
    assertThat(attempts.startNow()).isEqualTo(T0);
  }

  private static TuningJob withSubmittedSince(TuningJob job, Instant transition) {
    job.getStatus()
        .setConditions(
            new java.util.ArrayList<>(
                java.util.List.of(
                    new ConditionBuilder()
                        .withType("Submitted")
                        .withStatus("Unknown")
                        .withReason("Submitting")
                        .withMessage("Submitting to the provider")
                        .withLastTransitionTime(transition.toString())
                        .build())));
    return job;
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
