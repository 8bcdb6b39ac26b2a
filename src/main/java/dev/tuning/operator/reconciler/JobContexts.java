package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.JobContext;

/** Builds the provider's view of a TuningJob: identity, spec and credential, nothing else. */
final class JobContexts {
  private JobContexts() {}

  static JobContext of(TuningJob resource, Credential credential) {
    var meta = resource.getMetadata();
    return new JobContext(
        meta.getUid(), meta.getNamespace(), meta.getName(), resource.getSpec(), credential);
  }
}
