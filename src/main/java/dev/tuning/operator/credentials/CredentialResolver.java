package dev.tuning.operator.credentials;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.CredentialRef;
import dev.tuning.operator.provider.TuningProvider;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the credential of a TuningJob where its provider says it is ({@link
 * TuningProvider#credentialRef}): its own Secret (read by name with a single GET, in its
 * namespace), else the provider's operator-wide credential when enabled and the namespace may use
 * it. Remembers the last credential each resource used, for cleanup.
 */
public final class CredentialResolver {

  /** How long a Secret read is reused: 1,000 running jobs must not mean 17 Secret GETs a second. */
  public static final Duration SECRET_TTL = Duration.ofSeconds(15);

  /** A Secret as last read (null: it did not exist), and when. */
  private record Cached(Secret secret, Instant readAt) {}

  private final KubernetesClient client;
  private final CredentialDefaults defaults;
  private final Duration secretTtl;
  private final Clock clock;
  private final Map<String, Credential> lastUsed = new ConcurrentHashMap<>();
  private final Map<String, Cached> secrets = new ConcurrentHashMap<>();

  public CredentialResolver(KubernetesClient client, CredentialDefaults defaults) {
    this(client, defaults, SECRET_TTL, Clock.systemUTC());
  }

  /**
   * @param secretTtl how long a Secret read (or its absence) is reused for further reconciles;
   *     Secrets are still read by name only, never listed or watched
   */
  public CredentialResolver(
      KubernetesClient client, CredentialDefaults defaults, Duration secretTtl, Clock clock) {
    this.client = client;
    this.defaults = defaults;
    this.secretTtl = secretTtl;
    this.clock = clock;
  }

  /**
   * Reads the credential now: the Secret the provider's block of the spec names (one GET by name,
   * in the job's namespace), else the provider's operator-wide credential for the namespaces the
   * operator allows. Throws with a message naming the Secret and key, never data.
   */
  public Credential resolve(TuningJob job, TuningProvider provider)
      throws CredentialsMissingException {
    String namespace = job.getMetadata().getNamespace();
    CredentialRef ref = provider.credentialRef(job.getSpec());
    Credential credential;
    if (ref.secret().isPresent()) {
      credential =
          fromSecret(namespace, ref.secret().get().getName(), ref.key(), ref.companionKeys());
    } else {
      Optional<Credential> own = provider.operatorCredential();
      if (own.isEmpty()) {
        throw new CredentialsMissingException(
            ref.field() + " is not set, and the operator offers no " + ref.operatorCredential());
      }
      checkNamespace(namespace, ref.field());
      credential = own.get();
    }
    lastUsed.put(job.getMetadata().getUid(), credential);
    return credential;
  }

  /**
   * The credential for cleanup: the current one if readable, else the last one this resource used
   * (namespace deletion may remove the Secret before the TuningJob).
   */
  public Credential resolveForCleanup(TuningJob job, TuningProvider provider)
      throws CredentialsMissingException {
    try {
      return resolve(job, provider);
    } catch (CredentialsMissingException e) {
      Credential last = lastUsed.get(job.getMetadata().getUid());
      // A refused credential stays refused: the remembered one is only for a vanished Secret.
      if (last == null || e.rejected()) {
        throw e;
      }
      return last;
    }
  }

  /** Drops the remembered credential once the resource is gone. */
  public void forget(String uid) {
    lastUsed.remove(uid);
  }

  /** How many resources' credentials are remembered (for tests of forgetting). */
  public int remembered() {
    return lastUsed.size();
  }

  /** One GET by name, reused for {@link #secretTtl}. */
  private Secret secret(String namespace, String name) {
    String key = namespace + "/" + name;
    Instant now = clock.instant();
    Cached cached = secrets.get(key);
    if (cached != null && now.isBefore(cached.readAt().plus(secretTtl))) {
      return cached.secret();
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    // Expired reads (the key bytes they hold included) go as soon as anything is read again.
    secrets.values().removeIf(c -> !now.isBefore(c.readAt().plus(secretTtl)));
    secrets.put(key, new Cached(secret, now));
    return secret;
  }

  /** The operator's own credentials serve only the namespaces it lists. */
  private void checkNamespace(String namespace, String field) throws CredentialsMissingException {
    if (!defaults.servesNamespace(namespace)) {
      throw CredentialsMissingException.rejected(
          field
              + " is not set and namespace "
              + namespace
              + " may not use the operator's default credentials (DEFAULT_CREDENTIALS_NAMESPACES)");
    }
  }

  private Credential fromSecret(
      String namespace, String name, String key, List<String> companionKeys)
      throws CredentialsMissingException {
    String origin = namespace + "/" + name + "/" + key;
    Secret secret = secret(namespace, name);
    if (secret == null) {
      throw new CredentialsMissingException("Secret " + namespace + "/" + name + " not found");
    }
    byte[] value = decode(secret, namespace, name, key);
    if (value == null) {
      throw new CredentialsMissingException(
          "Secret " + namespace + "/" + name + " has no key " + key);
    }
    Map<String, byte[]> companions = new LinkedHashMap<>();
    for (String companion : companionKeys) {
      byte[] v = decode(secret, namespace, name, companion);
      if (v != null) {
        companions.put(companion, v);
      }
    }
    return Credential.fromJobSecret(value, origin, companions);
  }

  /** A key's bytes; null when absent or blank. Messages name the key, never its data. */
  private static byte[] decode(Secret secret, String namespace, String name, String key)
      throws CredentialsMissingException {
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    if (encoded == null || encoded.isBlank()) {
      return null;
    }
    byte[] value;
    try {
      value = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      throw new CredentialsMissingException(
          "Secret " + namespace + "/" + name + " key " + key + " is not valid base64");
    }
    if (value.length == 0) {
      throw new CredentialsMissingException(
          "Secret " + namespace + "/" + name + " key " + key + " is empty");
    }
    return value;
  }
}
