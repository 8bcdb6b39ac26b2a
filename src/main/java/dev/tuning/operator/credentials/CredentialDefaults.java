package dev.tuning.operator.credentials;

import dev.tuning.operator.provider.AllowList;
import java.util.Optional;

/**
 * Operator-wide fallbacks for TuningJobs without their own Secret. Off by default: on a shared
 * cluster they are the operator's identity, so they serve only the namespaces listed here (and each
 * provider further limits the projects or organizations they reach).
 *
 * @param openAiApiKey the operator's OpenAI key, if configured and enabled
 * @param googleAmbient whether Vertex jobs without a Secret may use the operator's Application
 *     Default Credentials (e.g. GKE Workload Identity)
 * @param namespaces the namespaces whose TuningJobs may use either; empty: none
 */
public record CredentialDefaults(
    Optional<byte[]> openAiApiKey, boolean googleAmbient, AllowList namespaces) {

  public CredentialDefaults {
    namespaces = namespaces == null ? AllowList.none() : namespaces;
  }

  public static CredentialDefaults none() {
    return new CredentialDefaults(Optional.empty(), false, AllowList.none());
  }

  /** Whether a namespace may fall back to these credentials at all. */
  public boolean servesNamespace(String namespace) {
    return namespaces.allows(namespace);
  }

  @Override
  public String toString() {
    return "CredentialDefaults[openAiApiKey="
        + (openAiApiKey.isPresent() ? "set" : "unset")
        + ", googleAmbient="
        + googleAmbient
        + ", namespaces="
        + namespaces
        + "]";
  }
}
