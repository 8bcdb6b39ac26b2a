package dev.tuning.operator.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed provider call, classified once in the provider layer.
 *
 * <p>The message is safe to show in status, Events and logs: providers build it from the provider's
 * own error message and never include credentials, headers or request bodies.
 */
public class ProviderException extends Exception {

  private final ErrorKind kind;
  private final String providerCode;
  private final String param;
  private final Duration retryAfter;
  private final String requestId;

  public ProviderException(ErrorKind kind, String message) {
    this(kind, message, null, null, null, null, null);
  }

  /** A failure the provider layer decides itself, with its own code (e.g. {@code InvalidSpec}). */
  public ProviderException(ErrorKind kind, String message, String providerCode) {
    this(kind, message, providerCode, null, null, null, null);
  }

  /** A spec the provider can never serve: {@link ErrorKind#PERMANENT}, code {@code InvalidSpec}. */
  public static ProviderException invalidSpec(String message) {
    return new ProviderException(ErrorKind.PERMANENT, message, "InvalidSpec");
  }

  /**
   * A credential that may not be used for this job (the operator's own identity outside its
   * allow-lists, or a Secret the operator refuses to use): {@link ErrorKind#CREDENTIALS_REJECTED}
   * with the code {@code CredentialsRejected}.
   */
  public static ProviderException credentialsRejected(String message) {
    return new ProviderException(ErrorKind.CREDENTIALS_REJECTED, message, "CredentialsRejected");
  }

  public ProviderException(
      ErrorKind kind,
      String message,
      String providerCode,
      String param,
      Duration retryAfter,
      String requestId,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.providerCode = providerCode;
    this.param = param;
    this.retryAfter = retryAfter;
    this.requestId = requestId;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The provider's error code (e.g. {@code invalid_request_error}, {@code INVALID_ARGUMENT}). */
  public Optional<String> providerCode() {
    return Optional.ofNullable(providerCode);
  }

  /** The request field the provider blamed, if any. */
  public Optional<String> param() {
    return Optional.ofNullable(param);
  }

  /** How long the provider asked us to wait before retrying, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Whether the call may have taken effect at the provider although it failed. That is every
   * transient failure: no response (timeouts, resets; providers keep the {@link
   * java.io.IOException} as the cause), a 5xx or Google's DEADLINE_EXCEEDED / INTERNAL /
   * UNAVAILABLE / UNKNOWN (a server can fail after it created the job), or a success answer that
   * could not be read. For a create this means: look the job up until the settle window has passed,
   * never create again at once. Rejections (4xx, rate limits, quota, authentication) are final
   * answers: the provider did nothing.
   */
  public boolean outcomeUnknown() {
    if (kind == ErrorKind.TRANSIENT) {
      return true;
    }
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** The provider's request id (e.g. {@code x-request-id}), for support tickets. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
