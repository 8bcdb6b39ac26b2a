package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.util.Objects;
import java.util.Optional;

/** The pure decisions of the reconcile loop (docs/design.md section 4). No I/O, no clock. */
public final class PhaseMachine {

  /**
   * What the reconciler does next with a TuningJob that is not being deleted. Consumers go through
   * {@link Visitor}, which has one method per decision, so a new decision fails to compile until
   * every consumer handles it (Java 17 has no exhaustive pattern switch).
   */
  public sealed interface Decision {
    <R> R accept(Visitor<R> visitor);

    /** One method per decision. */
    interface Visitor<R> {
      R hold(Hold decision);

      R create(Create decision);

      R findOrCreate(FindOrCreate decision);

      R returnToPending(ReturnToPending decision);

      R observe(Observe decision);

      R cancelUnsubmitted(CancelUnsubmitted decision);

      R done(Done decision);
    }
  }

  /** Suspended before submission: hold, no provider call. */
  public record Hold() implements Decision {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hold(this);
    }
  }

  /** No job yet: record intent (Submitting), then create. */
  public record Create() implements Decision {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.create(this);
    }
  }

  /**
   * Submitting without a job id: a previous create may have succeeded before the operator died;
   * look the job up by tag and adopt it. When none exists and none can still land, {@link
   * #afterLookup} decides what comes instead.
   */
  public record FindOrCreate() implements Decision {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.findOrCreate(this);
    }
  }

  /**
   * Settled without a job of its own while the user names one by annotation: leave Submitting, so
   * that the next reconcile adopts it through the annotation's checks instead of creating.
   */
  public record ReturnToPending() implements Decision {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.returnToPending(this);
    }
  }

  /** Observe an existing provider job by id (adopted by annotation when not yet in status). */
  public record Observe(String jobId, boolean adoptedByAnnotation) implements Decision {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.observe(this);
    }
  }

  /** Cancel requested before anything was submitted: end Cancelled without a provider call. */
  public record CancelUnsubmitted() implements Decision {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.cancelUnsubmitted(this);
    }
  }

  /** A terminal job or a rejected spec at this generation: nothing to do. */
  public record Done() implements Decision {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.done(this);
    }
  }

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
    if (phase == Phase.Failed && rejectedAtThisGeneration(job) && !cancelRequested(job)) {
      return new Done();
    }
    return beforeCreate(job).orElseGet(Create::new);
  }

  /**
   * The decision once {@link FindOrCreate}'s lookup found no job and no earlier create can still
   * land: the same cancel and hold rules as for a job never submitted; then a job named by
   * annotation is adopted through a fresh decision rather than a create.
   */
  public static Decision afterLookup(TuningJob job) {
    return beforeCreate(job)
        .orElseGet(() -> annotatedJobId(job) != null ? new ReturnToPending() : new Create());
  }

  /**
   * What stops a create when no provider job exists: a cancel request (the only place that decides
   * cancel-before-create), then {@code spec.suspend}.
   */
  private static Optional<Decision> beforeCreate(TuningJob job) {
    if (cancelRequested(job)) {
      return Optional.of(new CancelUnsubmitted());
    }
    return suspended(job) ? Optional.of(new Hold()) : Optional.empty();
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
