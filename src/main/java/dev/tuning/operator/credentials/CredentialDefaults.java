package dev.tuning.operator.credentials;

import java.util.Optional;

/**
 * Operator-wide fallbacks for TuningJobs without their own Secret. Both can be switched off for
 * multi-tenant clusters, where every job must bring its own credential.
 *
 * @param openAiApiKey the operator's OpenAI key, if configured and enabled
 * @param googleAmbient whether Vertex jobs without a Secret may use the operator's Application
 *     Default Credentials (e.g. GKE Workload Identity)
 */
public record CredentialDefaults(Optional<byte[]> openAiApiKey, boolean googleAmbient) {

  public static CredentialDefaults none() {
    return new CredentialDefaults(Optional.empty(), false);
  }

  @Override
  public String toString() {
    return "CredentialDefaults[openAiApiKey="
        + (openAiApiKey.isPresent() ? "set" : "unset")
        + ", googleAmbient="
        + googleAmbient
        + "]";
  }
}
