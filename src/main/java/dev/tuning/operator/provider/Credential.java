package dev.tuning.operator.provider;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A credential handed to a provider for one call. The secret bytes never appear in {@link
 * #toString()}, and nothing else in the operator prints them.
 */
public final class Credential {

  /** Where a credential came from; decides, for example, whether a custom endpoint may use it. */
  public enum Source {
    /** The TuningJob's own Secret. */
    JOB_SECRET,
    /** The operator-wide default key (e.g. OPENAI_API_KEY), when enabled. */
    OPERATOR_DEFAULT,
    /** The runtime's ambient identity (Google Application Default Credentials), when enabled. */
    AMBIENT
  }

  private final Source source;
  private final byte[] secret;
  private final String origin;
  private final Map<String, byte[]> companions;

  private Credential(Source source, byte[] secret, String origin, Map<String, byte[]> companions) {
    this.source = source;
    this.secret = secret;
    this.origin = origin;
    Map<String, byte[]> copy = new TreeMap<>();
    companions.forEach((k, v) -> copy.put(k, v.clone()));
    this.companions = Collections.unmodifiableMap(copy);
  }

  private Credential(Source source, byte[] secret, String origin) {
    this(source, secret, origin, Map.of());
  }

  /** A secret read from the TuningJob's Secret; {@code origin} names it (namespace/name/key). */
  public static Credential fromJobSecret(byte[] secret, String origin) {
    return new Credential(Source.JOB_SECRET, secret.clone(), origin);
  }

  /**
   * A secret read from the TuningJob's Secret with the other keys of the same Secret that the
   * provider asked for ({@link CredentialRef#companionKeys()}), e.g. an AWS access key id and
   * session token beside the secret access key.
   */
  public static Credential fromJobSecret(
      byte[] secret, String origin, Map<String, byte[]> companions) {
    return new Credential(Source.JOB_SECRET, secret.clone(), origin, companions);
  }

  /** The operator-wide default secret. */
  public static Credential operatorDefault(byte[] secret) {
    return new Credential(Source.OPERATOR_DEFAULT, secret.clone(), "operator default");
  }

  /** No secret: the provider uses the runtime's ambient identity. */
  public static Credential ambient() {
    return new Credential(Source.AMBIENT, null, "ambient identity");
  }

  public Source source() {
    return source;
  }

  /** A name for the credential's origin that is safe to log, e.g. {@code ml/openai/apiKey}. */
  public String origin() {
    return origin;
  }

  /**
   * Whether this credential belongs to the operator rather than the tenant (the default key or the
   * ambient identity): such credentials serve only allowed namespaces and targets, and adopt or
   * cancel only jobs tagged with the TuningJob's UID.
   */
  public boolean operatorOwned() {
    return source != Source.JOB_SECRET;
  }

  public boolean hasSecret() {
    return secret != null;
  }

  /** The secret bytes (a copy). Callers must not log or store them anywhere visible. */
  public byte[] secretBytes() {
    if (secret == null) {
      throw new IllegalStateException("credential from " + origin + " has no secret");
    }
    return secret.clone();
  }

  /** Another key of the same Secret as trimmed UTF-8 text, if the Secret had it. */
  public Optional<String> companionText(String key) {
    byte[] value = companions.get(key);
    return value == null
        ? Optional.empty()
        : Optional.of(new String(value, StandardCharsets.UTF_8).trim());
  }

  /** The secret as trimmed UTF-8 text (API keys). */
  public String secretText() {
    return new String(secretBytes(), StandardCharsets.UTF_8).trim();
  }

  /** A stable fingerprint for caching per credential; reveals nothing about the secret. */
  public String fingerprint() {
    if (secret == null) {
      return source.name();
    }
    try {
      var sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(secret);
      companions.forEach(
          (k, v) -> {
            sha.update(k.getBytes(StandardCharsets.UTF_8));
            sha.update(v);
          });
      var digest = sha.digest();
      return source.name() + ":" + java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credential c
        && source == c.source
        && Arrays.equals(secret, c.secret)
        && Objects.equals(origin, c.origin)
        && fingerprint().equals(c.fingerprint());
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, origin, Arrays.hashCode(secret));
  }

  @Override
  public String toString() {
    return "Credential[" + source + " from " + origin + ", secret redacted]";
  }
}
