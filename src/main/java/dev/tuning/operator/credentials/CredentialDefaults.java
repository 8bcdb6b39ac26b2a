package dev.tuning.operator.credentials;

import dev.tuning.operator.provider.AllowList;

/**
 * Which namespaces may fall back to the operator's own credentials (a provider's default key or
 * ambient identity, see {@link dev.tuning.operator.provider.TuningProvider#operatorCredential})
 * when their TuningJobs name no Secret. On a shared cluster those credentials are the operator's
 * identity, so none may by default; each provider further limits the projects or organizations they
 * reach.
 *
 * @param namespaces the namespaces whose TuningJobs may use them; empty: none
 */
public record CredentialDefaults(AllowList namespaces) {

  public CredentialDefaults {
    namespaces = namespaces == null ? AllowList.none() : namespaces;
  }

  public static CredentialDefaults none() {
    return new CredentialDefaults(AllowList.none());
  }

  /** Whether a namespace may fall back to the operator's credentials at all. */
  public boolean servesNamespace(String namespace) {
    return namespaces.allows(namespace);
  }
}
