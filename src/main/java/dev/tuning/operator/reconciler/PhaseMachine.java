package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.util.Objects;

/** The pure decisions of the reconcile loop (docs/design.md section 4). No I/O, no clock. */
public final class PhaseMachine {

  /** What the reconciler does next with a TuningJob that is not being deleted. */
  public sealed interface Decision {}

  /** Suspended before submission: hold, no provider call. */
  public record Hold() implements Decision {}

  /** No job yet: record intent (Submitting), then create. */
  public record Create() implements Decision {}

  /**
   * Submitting without a job id: a previous create may have succeeded before the operator died;
   * look the job up by tag and adopt it, creating only if none exists.
   */
  public record FindOrCreate() implements Decision {}

  /** Observe an existing provider job by id (adopted by annotation when not yet in status). */
  public record Observe(String jobId, boolean adoptedByAnnotation) implements Decision {}

  /** Cancel requested before anything was submitted: end Cancelled without a provider call. */
  public record CancelUnsubmitted() implements Decision {}

  /** A terminal job or a rejected spec at this generation: nothing to do. */
  public record Done() implements Decision {}

  /** What to do about {@code spec.suspend} for an observed job. */
  public enum SuspendAction {
    NONE,
    PAUSE,
    RESUME,
    NOT_SUPPORTED
  }

  private PhaseMachine() {}

  public static Decision decide(TuningJob job) {
    TuningJobStatus status = job.getStatus();
    Phase phase = status == null ? null : status.getPhase();
    String jobId = status == null ? null : status.getJobId();
    if (jobId != null) {
      return phase != null && phase.isTerminal() ? new Done() : new Observe(jobId, false);
    }
    if (phase == Phase.Submitting) {
      // Intent was recorded; whether the create happened is unknown. Never create blindly, and
      // never let an annotation added now take the resource out of this state.
      return new FindOrCreate();
    }
    String annotated = annotatedJobId(job);
    if (annotated != null) {
      return new Observe(annotated, true);
    }
    if (phase == Phase.Cancelled) {
      return new Done();
    }
    if (cancelRequested(job)) {
      return new CancelUnsubmitted();
    }
    if (phase == Phase.Failed && rejectedAtThisGeneration(job)) {
      return new Done();
    }
    return suspended(job) ? new Hold() : new Create();
  }

  /** The phase a provider job's state maps to; unknown states keep an active phase. */
  public static Phase phaseOf(ProviderJob job, Phase previous) {
    return switch (job.state()) {
      case QUEUED -> Phase.Queued;
      case RUNNING -> Phase.Running;
      case PAUSED -> Phase.Suspended;
      case CANCELLING -> Phase.Cancelling;
      case SUCCEEDED -> Phase.Succeeded;
      case FAILED -> Phase.Failed;
      case CANCELLED -> Phase.Cancelled;
      case UNKNOWN ->
          previous == Phase.Running || previous == Phase.Suspended || previous == Phase.Cancelling
              ? previous
              : Phase.Queued;
    };
  }

  /** Pause a running job when suspend is set; resume a paused one when it is cleared. */
  public static SuspendAction suspendAction(
      boolean suspend, ProviderJobState state, boolean supportsPause) {
    if (state.isTerminal() || state == ProviderJobState.CANCELLING) {
      return SuspendAction.NONE;
    }
    if (suspend) {
      if (!supportsPause) {
        return SuspendAction.NOT_SUPPORTED;
      }
      return state == ProviderJobState.RUNNING ? SuspendAction.PAUSE : SuspendAction.NONE;
    }
    return state == ProviderJobState.PAUSED && supportsPause
        ? SuspendAction.RESUME
        : SuspendAction.NONE;
  }

  public static boolean suspended(TuningJob job) {
    return Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  /** Whether the cancel annotation is set to "true". */
  public static boolean cancelRequested(TuningJob job) {
    var annotations = job.getMetadata().getAnnotations();
    return annotations != null
        && "true"
            .equalsIgnoreCase(annotations.getOrDefault(TuningJob.CANCEL_ANNOTATION, "").trim());
  }

  static String annotatedJobId(TuningJob job) {
    var annotations = job.getMetadata().getAnnotations();
    String id = annotations == null ? null : annotations.get(TuningJob.JOB_ID_ANNOTATION);
    return id == null || id.isBlank() ? null : id.trim();
  }

  /** A provider rejection is final until the user changes the spec (a new generation). */
  private static boolean rejectedAtThisGeneration(TuningJob job) {
    return Objects.equals(
        job.getStatus().getObservedGeneration(), job.getMetadata().getGeneration());
  }
}
