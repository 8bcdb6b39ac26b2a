package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reading and setting status conditions by type. Setting follows Kubernetes' {@code
 * meta.SetStatusCondition}: a condition keeps its lastTransitionTime while its status stays the
 * same, and only a new condition or a changed status takes the given time.
 */
public final class Conditions {

  private Conditions() {}

  /** A condition without transition time or generation (both are set when it is stored). */
  public static Condition of(
      ConditionType type, ConditionStatus status, Reason reason, String message) {
    return new ConditionBuilder()
        .withType(type.value())
        .withStatus(status.value())
        .withReason(reason.value())
        .withMessage(message == null ? "" : message)
        .build();
  }

  /** The first condition of {@code type} in {@code conditions} (which may be null). */
  public static Optional<Condition> get(List<Condition> conditions, ConditionType type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.value().equals(c.getType())).findFirst();
  }

  /** The resource's stored condition of {@code type}. */
  public static Optional<Condition> get(TuningJob resource, ConditionType type) {
    return resource.getStatus() == null
        ? Optional.empty()
        : get(resource.getStatus().getConditions(), type);
  }

  /**
   * The reason of the resource's condition of {@code type} while that condition has {@code status};
   * empty otherwise, or when the stored reason is not one this operator writes.
   */
  public static Optional<Reason> reason(
      TuningJob resource, ConditionType type, ConditionStatus status) {
    return get(resource, type)
        .filter(c -> status.value().equals(c.getStatus()))
        .flatMap(c -> Reason.fromValue(c.getReason()));
  }

  /** Submitted=True's reason (JobCreated or JobAdopted), or null when status has none. */
  static Reason submittedReason(TuningJob resource) {
    return reason(resource, ConditionType.SUBMITTED, ConditionStatus.TRUE).orElse(null);
  }

  /**
   * Puts {@code desired} in place of the condition of its type in {@code conditions}, or appends it
   * when there is none. Its lastTransitionTime is the replaced condition's while the status is
   * unchanged (and that time is known), else {@code now} in whole seconds. The replaced condition
   * object itself is not modified.
   */
  public static void set(List<Condition> conditions, Condition desired, Instant now) {
    int index = -1;
    for (int i = 0; i < conditions.size(); i++) {
      if (desired.getType().equals(conditions.get(i).getType())) {
        index = i;
        break;
      }
    }
    Condition old = index < 0 ? null : conditions.get(index);
    boolean unchanged =
        old != null
            && desired.getStatus().equals(old.getStatus())
            && old.getLastTransitionTime() != null;
    desired.setLastTransitionTime(
        unchanged
            ? old.getLastTransitionTime()
            : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    if (index < 0) {
      conditions.add(desired);
    } else {
      conditions.set(index, desired);
    }
  }
}
