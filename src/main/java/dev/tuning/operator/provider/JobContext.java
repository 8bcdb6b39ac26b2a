package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import java.util.Objects;

/**
 * What a provider needs for one call: the TuningJob's identity (its UID is the idempotency tag),
 * its desired spec (plain data) and the credential resolved for it.
 *
 * @param resourceUid the TuningJob's metadata.uid, stored on the provider job under {@link
 *     TuningProvider#TAG_KEY}
 * @param namespace the TuningJob's namespace (for display names and logs)
 * @param name the TuningJob's name
 * @param spec the desired job
 * @param credential the credential to authenticate with
 */
public record JobContext(
    String resourceUid, String namespace, String name, TuningJobSpec spec, Credential credential) {

  public JobContext {
    Objects.requireNonNull(resourceUid, "resourceUid");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(credential, "credential");
  }
}
