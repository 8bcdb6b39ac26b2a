package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a provider reads a TuningJob's credential: a key of a Secret in the job's namespace, named
 * in the provider's block of the spec, else the operator's own credential ({@link
 * TuningProvider#operatorCredential()}) when the operator allows it.
 *
 * @param secret the Secret reference the spec names, if any
 * @param defaultKey the key read when the reference names none (e.g. {@code apiKey})
 * @param field the spec field of the reference, for messages (e.g. {@code
 *     spec.openai.apiKeySecretRef})
 * @param operatorCredential what the operator's own credential is called, for messages (e.g. {@code
 *     default OpenAI key})
 */
public record CredentialRef(
    Optional<SecretKeyRef> secret, String defaultKey, String field, String operatorCredential) {

  public CredentialRef {
    secret = Objects.requireNonNullElse(secret, Optional.empty());
    Objects.requireNonNull(defaultKey, "defaultKey");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(operatorCredential, "operatorCredential");
  }

  /** The key to read: the reference's own, else {@link #defaultKey}. */
  public String key() {
    return secret.map(SecretKeyRef::getKey).filter(k -> !k.isBlank()).orElse(defaultKey);
  }
}
