package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.http.RetryAfter;
import dev.tuning.operator.provider.ErrorClassifier;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.vertex.VertexDtos.ErrorBody;
import dev.tuning.operator.provider.vertex.VertexDtos.ErrorEnvelope;
import dev.tuning.operator.text.SafeText;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Classifies Vertex AI failures into {@link ErrorKind}s from the google.rpc status in the error
 * envelope (falling back to the HTTP status), reads {@code RetryInfo} and {@code Retry-After}, and
 * builds messages from the provider's own error message only, sanitized by {@link SafeText}: never
 * bodies, headers or tokens.
 */
final class VertexErrors implements ErrorClassifier<VertexErrors.Operation, ProviderException> {

  /** The calls the provider makes; NOT_FOUND means different things for each. */
  enum Operation {
    CREATE("create"),
    GET("get"),
    LIST("list"),
    CANCEL("cancel");

    final String tag;

    Operation(String tag) {
      this.tag = tag;
    }
  }

  private static final Pattern PERMISSION =
      Pattern.compile("(?i)permission\\W{1,3}([a-z][a-z0-9]*\\.[a-z0-9]+\\.[a-z0-9]+)");
  private static final Pattern DURATION = Pattern.compile("^(\\d+(?:\\.\\d+)?)s$");

  private final ObjectMapper json;
  private final Clock clock;

  VertexErrors(ObjectMapper json, Clock clock) {
    this.json = json;
    this.clock = clock;
  }

  /** The exception for a non-2xx answer; {@code body} is read only to find the envelope. */
  @Override
  public ProviderException fromResponse(Operation op, int httpCode, Headers headers, String body) {
    ErrorBody error = parse(body);
    String status = error != null && error.status() != null ? error.status() : statusOf(httpCode);
    String providerMessage = error == null ? null : SafeText.sanitize(error.message());
    List<Map<String, Object>> details =
        error == null || error.details() == null ? List.of() : error.details();
    ErrorKind kind = kindOf(op, httpCode, status, providerMessage, details);
    Duration retryAfter = null;
    if (kind == ErrorKind.RATE_LIMITED || kind == ErrorKind.TRANSIENT || kind == ErrorKind.QUOTA) {
      retryAfter = retryDelay(details).or(() -> RetryAfter.parse(headers, clock)).orElse(null);
    }
    StringBuilder message =
        new StringBuilder("Vertex AI ")
            .append(op.tag)
            .append(" failed: HTTP ")
            .append(httpCode)
            .append(' ')
            .append(status);
    if (kind == ErrorKind.AUTHENTICATION) {
      permission(providerMessage, details)
          .ifPresent(p -> message.append(": the credential lacks permission ").append(p));
    }
    if (providerMessage != null && !providerMessage.isBlank()) {
      message.append(": ").append(providerMessage);
    }
    return new ProviderException(
        kind, message.toString(), status, field(details), retryAfter, requestId(headers), null);
  }

  /** A 2xx answer that is empty, too large or not the expected JSON: retried. */
  @Override
  public ProviderException malformed(Operation op, int httpCode, Headers headers) {
    // The parser's message may quote the body, so there is none to keep.
    return new ProviderException(
        ErrorKind.TRANSIENT,
        "Vertex AI " + op.tag + " returned an unreadable answer (HTTP " + httpCode + ")",
        null,
        null,
        null,
        requestId(headers),
        null);
  }

  /** Timeouts, resets and refused connections: always worth another try. */
  @Override
  public ProviderException fromIo(Operation op, IOException e) {
    return new ProviderException(
        ErrorKind.TRANSIENT,
        "Vertex AI " + op.tag + " request failed: " + e.getClass().getSimpleName(),
        null,
        null,
        null,
        null,
        e);
  }

  private static ErrorKind kindOf(
      Operation op,
      int httpCode,
      String status,
      String message,
      List<Map<String, Object>> details) {
    return switch (status) {
      case "RESOURCE_EXHAUSTED" -> exhausted(message, details);
      case "UNAVAILABLE", "DEADLINE_EXCEEDED", "INTERNAL", "UNKNOWN", "ABORTED", "CANCELLED" ->
          ErrorKind.TRANSIENT;
      case "UNAUTHENTICATED", "PERMISSION_DENIED" -> ErrorKind.AUTHENTICATION;
      case "NOT_FOUND" ->
          op == Operation.GET || op == Operation.CANCEL ? ErrorKind.NOT_FOUND : ErrorKind.PERMANENT;
      case "ALREADY_EXISTS" -> ErrorKind.TRANSIENT;
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE", "UNIMPLEMENTED" ->
          ErrorKind.PERMANENT;
      default ->
          httpCode >= 500 || httpCode == 408 || httpCode == 409
              ? ErrorKind.TRANSIENT
              : ErrorKind.PERMANENT;
    };
  }

  /**
   * RESOURCE_EXHAUSTED is a rate limit unless it is a quota without a retry hint: Google words
   * per-minute request limits as "Quota exceeded ... per minute", and those clear in seconds.
   */
  private static ErrorKind exhausted(String message, List<Map<String, Object>> details) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    boolean shortWindow =
        m.contains("per minute") || m.contains("per second") || retryDelay(details).isPresent();
    return m.contains("quota") && !shortWindow ? ErrorKind.QUOTA : ErrorKind.RATE_LIMITED;
  }

  private static Optional<Duration> retryDelay(List<Map<String, Object>> details) {
    for (Map<String, Object> d : details) {
      if (String.valueOf(d.get("@type")).endsWith("google.rpc.RetryInfo")
          && d.get("retryDelay") instanceof String delay) {
        Matcher m = DURATION.matcher(delay.trim());
        if (m.matches()) {
          long ms = new BigDecimal(m.group(1)).movePointRight(3).longValue();
          return Optional.of(Duration.ofMillis(ms));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> permission(String message, List<Map<String, Object>> details) {
    for (Map<String, Object> d : details) {
      if (d.get("metadata") instanceof Map<?, ?> meta
          && meta.get("permission") instanceof String p) {
        return Optional.of(p);
      }
    }
    if (message != null) {
      Matcher m = PERMISSION.matcher(message);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** The first field a BadRequest detail blames, e.g. {@code tuning_job.base_model}. */
  private static String field(List<Map<String, Object>> details) {
    for (Map<String, Object> d : details) {
      if (d.get("fieldViolations") instanceof List<?> violations) {
        for (Object v : violations) {
          if (v instanceof Map<?, ?> fv && fv.get("field") instanceof String f) {
            return f;
          }
        }
      }
    }
    return null;
  }

  private ErrorBody parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      ErrorEnvelope envelope = json.readValue(body, ErrorEnvelope.class);
      return envelope == null ? null : envelope.error();
    } catch (IOException | RuntimeException notAnEnvelope) {
      return null;
    }
  }

  private static String requestId(Headers headers) {
    return SafeText.sanitize(headers.get("x-goog-request-id"));
  }

  private static String statusOf(int httpCode) {
    return switch (httpCode) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> httpCode >= 500 ? "INTERNAL" : "HTTP_" + httpCode;
    };
  }
}
