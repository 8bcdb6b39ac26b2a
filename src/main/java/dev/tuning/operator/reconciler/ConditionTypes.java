package dev.tuning.operator.reconciler;

import java.util.List;

/** The six condition types every TuningJob status carries, sorted by type. */
public final class ConditionTypes {
  public static final String FAILED = "Failed";
  public static final String RUNNING = "Running";
  public static final String SUBMITTED = "Submitted";
  public static final String SUCCEEDED = "Succeeded";
  public static final String SUSPENDED = "Suspended";
  public static final String SYNCED = "Synced";

  /** All types in the order they appear in status. */
  public static final List<String> ALL =
      List.of(FAILED, RUNNING, SUBMITTED, SUCCEEDED, SUSPENDED, SYNCED);

  private ConditionTypes() {}
}
