package dev.tuning.operator.reconciler;

/**
 * The six condition types every TuningJob status carries. Declared in the order status lists them
 * (sorted by type); {@link #value()} is the string on the wire.
 */
public enum ConditionType {
  FAILED("Failed"),
  RUNNING("Running"),
  SUBMITTED("Submitted"),
  SUCCEEDED("Succeeded"),
  SUSPENDED("Suspended"),
  SYNCED("Synced");

  private final String value;

  ConditionType(String value) {
    this.value = value;
  }

  /** The type as status shows it. */
  public String value() {
    return value;
  }
}
