package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;

/**
 * Writes status with optimistic locking (a status PUT carrying the resourceVersion) and caches the
 * result so the next reconcile sees it. Skips the write when nothing changed. One write style for
 * the whole operator: SSA is off.
 */
final class StatusWriter {

  /**
   * The resource changed between the read a decision was made on and the intent write (a new spec,
   * or another reconciler recorded its own attempt or a job id): the reconcile must start over from
   * a fresh read.
   */
  static final class SpecChangedException extends RuntimeException {
    SpecChangedException(String name, String what) {
      super(what + " of TuningJob " + name + " changed while submitting; reconciling again");
    }
  }

  /** Writes {@code desired}. */
  TuningJob write(TuningJob resource, Context<TuningJob> context, TuningJobStatus desired) {
    return write(resource, context, desired, false);
  }

  /**
   * Writes a create intent ({@code Submitting} and the attempt's start) as a compare-and-swap on
   * what the decision read: if the stored resource has another generation, or its submission state
   * (phase, job id, latest attempt) differs, nothing is written and {@link SpecChangedException}
   * makes the reconcile decide again. Two active reconcilers (a failover, a rolling update) can
   * therefore never both announce, and then make, a create.
   */
  TuningJob writeIntent(TuningJob resource, Context<TuningJob> context, TuningJobStatus desired) {
    return write(resource, context, desired, true);
  }

  /**
   * Every write, on a 409, is re-applied by JOSDK to the freshest cached resource. A status built
   * from an older read must then never erase what another reconciler recorded since (a job id, a
   * later attempt): if the submission state moved, nothing is written and the reconcile starts
   * over. The intent write also requires the same generation.
   */
  private TuningJob write(
      TuningJob resource,
      Context<TuningJob> context,
      TuningJobStatus desired,
      boolean compareAndSwap) {
    if (!compareAndSwap
        && resource.getStatus() != null
        && StatusFactory.same(resource.getStatus(), desired)) {
      return resource;
    }
    Long generation = resource.getMetadata().getGeneration();
    TuningJobStatus read = resource.getStatus();
    var cloner = context.getControllerConfiguration().getConfigurationService().getResourceCloner();
    return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        resource,
        context,
        current -> {
          String name = current.getMetadata().getName();
          if (compareAndSwap
              && !Objects.equals(generation, current.getMetadata().getGeneration())) {
            throw new SpecChangedException(name, "spec");
          }
          if (!sameSubmission(read, current.getStatus())) {
            throw new SpecChangedException(name, "submission state");
          }
          TuningJob copy = cloner.clone(current);
          copy.setStatus(desired);
          return copy;
        });
  }

  private static boolean sameSubmission(TuningJobStatus read, TuningJobStatus stored) {
    TuningJobStatus a = read == null ? new TuningJobStatus() : read;
    TuningJobStatus b = stored == null ? new TuningJobStatus() : stored;
    return a.getPhase() == b.getPhase()
        && Objects.equals(a.getJobId(), b.getJobId())
        && Objects.equals(a.getSubmitAttemptTime(), b.getSubmitAttemptTime());
  }
}
