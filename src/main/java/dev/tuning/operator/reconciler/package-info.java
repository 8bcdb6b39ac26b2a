/**
 * The TuningJob reconciler: {@link dev.tuning.operator.reconciler.TuningJobReconciler} is the only
 * JOSDK class and stays glue; the phase machine is pure ({@link
 * dev.tuning.operator.reconciler.PhaseMachine}), status is rebuilt whole by {@link
 * dev.tuning.operator.reconciler.StatusFactory} and written only when it changed, and deletion is
 * handled by {@link dev.tuning.operator.reconciler.JobCleanup}.
 */
package dev.tuning.operator.reconciler;
