package dev.tuning.operator.provider.openai;

import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import java.time.Duration;

/**
 * A classified failure of one OpenAI request that also remembers the HTTP status (0 when no
 * response arrived), so that cancel, pause and resume can decide whether re-reading the job is
 * worthwhile. Callers outside this package see a plain {@link ProviderException}.
 */
final class OpenAiCallException extends ProviderException {

  private static final long serialVersionUID = 1L;

  private final int httpStatus;

  OpenAiCallException(
      ErrorKind kind,
      String message,
      String providerCode,
      String param,
      Duration retryAfter,
      String requestId,
      int httpStatus,
      Throwable cause) {
    super(kind, message, providerCode, param, retryAfter, requestId, cause);
    this.httpStatus = httpStatus;
  }

  /** The HTTP status of the failed response, or 0 if the request failed before one arrived. */
  int httpStatus() {
    return httpStatus;
  }
}
