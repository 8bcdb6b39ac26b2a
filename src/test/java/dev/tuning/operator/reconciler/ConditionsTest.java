package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Instant T1 = T0.plusSeconds(60).plusMillis(250);

  private static Condition stored(String type, String status, String reason, Instant time) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("")
        .withLastTransitionTime(time == null ? null : time.toString())
        .build();
  }

  @Test
  void shouldKeepTheTransitionTimeWhileTheStatusHolds() {
    Condition old = stored("Synced", "False", "RateLimited", T0);
    List<Condition> conditions = new ArrayList<>(List.of(old));

    Conditions.set(
        conditions,
        Conditions.of(
            ConditionType.SYNCED, ConditionStatus.FALSE, Reason.PROVIDER_UNAVAILABLE, "503"),
        T1);

    assertThat(conditions).hasSize(1);
    Condition now = conditions.get(0);
    assertThat(now.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(now.getReason()).isEqualTo("ProviderUnavailable");
    assertThat(now.getMessage()).isEqualTo("503");
    assertThat(old.getReason())
        .as("the replaced condition is not modified")
        .isEqualTo("RateLimited");
  }

  @Test
  void shouldTakeTheGivenTimeWhenTheStatusFlips() {
    List<Condition> conditions = new ArrayList<>(List.of(stored("Synced", "False", "X", T0)));

    Conditions.set(
        conditions,
        Conditions.of(ConditionType.SYNCED, ConditionStatus.TRUE, Reason.SYNCED, ""),
        T1);

    assertThat(conditions.get(0).getStatus()).isEqualTo("True");
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2026-11-23T10:01:00Z");
  }

  @Test
  void shouldAppendANewConditionAndTimeOneWithoutAStoredTime() {
    List<Condition> conditions =
        new ArrayList<>(List.of(stored("Running", "False", "NotStarted", null)));

    Conditions.set(
        conditions,
        Conditions.of(ConditionType.RUNNING, ConditionStatus.FALSE, Reason.NOT_STARTED, null),
        T1);
    Conditions.set(
        conditions,
        Conditions.of(ConditionType.SUBMITTED, ConditionStatus.UNKNOWN, Reason.SUBMITTING, "s"),
        T1);

    assertThat(conditions)
        .extracting(Condition::getType, Condition::getLastTransitionTime, Condition::getMessage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Running", "2026-11-23T10:01:00Z", ""),
            org.assertj.core.groups.Tuple.tuple("Submitted", "2026-11-23T10:01:00Z", "s"));
  }

  @Test
  void shouldReadAConditionAndItsReasonByType() {
    TuningJob job = TuningJobs.openAi("ns", "j");
    assertThat(Conditions.get(job, ConditionType.SYNCED)).isEmpty();
    TuningJobStatus status = new TuningJobStatus();
    status.setConditions(
        List.of(
            stored("Submitted", "True", "JobAdopted", T0),
            stored("Synced", "False", "SomethingElse", T0)));
    job.setStatus(status);

    assertThat(Conditions.get(job, ConditionType.SUBMITTED)).isPresent();
    assertThat(Conditions.reason(job, ConditionType.SUBMITTED, ConditionStatus.TRUE))
        .contains(Reason.JOB_ADOPTED);
    assertThat(Conditions.reason(job, ConditionType.SUBMITTED, ConditionStatus.UNKNOWN)).isEmpty();
    assertThat(Conditions.reason(job, ConditionType.SYNCED, ConditionStatus.FALSE))
        .as("a reason this operator does not write")
        .isEmpty();
    assertThat(Conditions.get(status.getConditions(), ConditionType.FAILED)).isEmpty();
  }

  @Test
  void shouldShowTypesAndStatusesAsKubernetesSpellsThem() {
    assertThat(Arrays.stream(ConditionType.values()).map(ConditionType::value))
        .containsExactly("Failed", "Running", "Submitted", "Succeeded", "Suspended", "Synced")
        .isSorted();
    assertThat(Arrays.stream(ConditionStatus.values()).map(ConditionStatus::value))
        .containsExactly("True", "False", "Unknown");
  }
}
