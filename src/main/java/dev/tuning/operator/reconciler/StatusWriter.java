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

  /** The spec changed between the read and the intent write; the reconcile must start over. */
  static final class SpecChangedException extends RuntimeException {
    SpecChangedException(String name) {
      super("spec of TuningJob " + name + " changed while submitting; reconciling again");
    }
  }

  /**
   * Writes {@code desired}. With {@code requireSameGeneration}, the write fails unless the stored
   * resource still has the generation the status was computed from: used for the Submitting intent,
   * so a job is never created from a spec the user has already replaced.
   */
  TuningJob write(
      TuningJob resource,
      Context<TuningJob> context,
      TuningJobStatus desired,
      boolean requireSameGeneration) {
    if (resource.getStatus() != null && StatusFactory.same(resource.getStatus(), desired)) {
      return resource;
    }
    Long generation = resource.getMetadata().getGeneration();
    var cloner = context.getControllerConfiguration().getConfigurationService().getResourceCloner();
    return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        resource,
        context,
        current -> {
          if (requireSameGeneration
              && !Objects.equals(generation, current.getMetadata().getGeneration())) {
            throw new SpecChangedException(current.getMetadata().getName());
          }
          TuningJob copy = cloner.clone(current);
          copy.setStatus(desired);
          return copy;
        });
  }
}
