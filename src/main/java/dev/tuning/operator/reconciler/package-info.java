/**
 * The TuningJob reconciler: {@link dev.tuning.operator.reconciler.TuningJobReconciler} is the only
 * JOSDK class and stays glue; the phase machine is pure ({@link
 * dev.tuning.operator.reconciler.PhaseMachine}) and its decisions are carried out by {@link
 * dev.tuning.operator.reconciler.DecisionRunner} through an exhaustive visitor; status is rebuilt
 * whole by {@link dev.tuning.operator.reconciler.StatusFactory} from typed conditions ({@link
 * dev.tuning.operator.reconciler.Conditions}, {@link dev.tuning.operator.reconciler.Reason}) and
 * written only when it changed, and deletion is handled by {@link
 * dev.tuning.operator.reconciler.JobCleanup}.
 */
package dev.tuning.operator.reconciler;
