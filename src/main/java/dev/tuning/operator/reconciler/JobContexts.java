package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.TuningProvider;

/**
 * Builds the provider's view of a TuningJob: identity, the provider's own typed request and the
 * credential, nothing else.
 */
final class JobContexts {
  private JobContexts() {}

  /** Throws the provider's refusal of a spec it can never serve (naming the field). */
  static JobContext of(TuningJob resource, TuningProvider provider, Credential credential)
      throws ProviderException {
    var meta = resource.getMetadata();
    return new JobContext(
        meta.getUid(),
        meta.getNamespace(),
        meta.getName(),
        provider.prepare(resource.getSpec()),
        credential);
  }
}
