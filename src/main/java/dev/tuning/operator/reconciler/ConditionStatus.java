package dev.tuning.operator.reconciler;

/** A condition's status; {@link #value()} is the string Kubernetes expects. */
public enum ConditionStatus {
  TRUE("True"),
  FALSE("False"),
  UNKNOWN("Unknown");

  private final String value;

  ConditionStatus(String value) {
    this.value = value;
  }

  /** The status as status shows it. */
  public String value() {
    return value;
  }
}
