package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import java.util.List;
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
 * @param companionKeys other keys of the same Secret the provider reads when present (e.g. {@code
 *     accessKeyId}, {@code sessionToken}); the provider decides which of them it requires
 */
public record CredentialRef(
    Optional<SecretKeyRef> secret,
    String defaultKey,
    String field,
    String operatorCredential,
    List<String> companionKeys) {

  public CredentialRef {
    secret = Objects.requireNonNullElse(secret, Optional.empty());
    Objects.requireNonNull(defaultKey, "defaultKey");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(operatorCredential, "operatorCredential");
    companionKeys = companionKeys == null ? List.of() : List.copyOf(companionKeys);
  }

  /** A reference to one key, without companions. */
  public CredentialRef(
      Optional<SecretKeyRef> secret, String defaultKey, String field, String operatorCredential) {
    this(secret, defaultKey, field, operatorCredential, List.of());
  }

  /** The key to read: the reference's own, else {@link #defaultKey}. */
  public String key() {
    return secret.map(SecretKeyRef::getKey).filter(k -> !k.isBlank()).orElse(defaultKey);
  }
}
