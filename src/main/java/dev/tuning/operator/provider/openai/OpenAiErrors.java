package dev.tuning.operator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.operator.http.RetryAfter;
import dev.tuning.operator.provider.ErrorKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Classifies OpenAI failures into an {@link ErrorKind}, following docs/providers/openai.md section
 * 4: the error envelope {@code {"error":{message,type,param,code}}}, the HTTP status, the 429
 * flavours told apart by {@code error.code}, {@code retry-after-ms}/{@code retry-after}/{@code
 * x-ratelimit-reset-requests} and {@code x-should-retry}.
 *
 * <p>Messages are built from the provider's own message, with anything that looks like an API key
 * removed, cut to {@value #MAX_MESSAGE} characters, and end with the request id. They never contain
 * headers or request bodies.
 */
final class OpenAiErrors {

  static final int MAX_MESSAGE = 500;

  /** A daily creation cap resets within a day; never come back sooner than this. */
  static final Duration DAILY_LIMIT_BACKOFF = Duration.ofHours(1);

  private static final Pattern KEY_LIKE =
      Pattern.compile("\\b(sk|sess|org-sk)-[A-Za-z0-9_*.\\-]{6,}", Pattern.CASE_INSENSITIVE);
  private static final Pattern GO_DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)", Pattern.CASE_INSENSITIVE);
  private static final Pattern FINE_TUNING_UNAVAILABLE =
      Pattern.compile(
          "fine[- ]?tun.*(unavailable|not available|no longer|not eligible|disabled"
              + "|discontinued|deprecat|not allowed|not permitted)"
              + "|(unavailable|no longer|not eligible|disabled|discontinued|not allowed"
              + "|not permitted).*fine[- ]?tun",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private OpenAiErrors() {}

  /**
   * Classifies a non-2xx response.
   *
   * @param operation create, get, list, cancel, pause or resume
   * @param body the response body as text (may be empty or not JSON)
   * @param apiKey the key used for the request, removed from the provider's message if echoed
   */
  static OpenAiCallException fromResponse(
      String operation, int status, Headers headers, String body, Clock clock, String apiKey) {
    Envelope env = Envelope.parse(body);
    String code = env.code();
    String requestId = sanitize(headers.get("x-request-id"), apiKey);
    String param = sanitize(env.param(), apiKey);
    ErrorKind kind = kindOf(operation, status, code != null ? code : env.type(), env.message());
    Duration retryAfter = RetryAfter.parse(headers, clock).orElse(null);
    if (kind == ErrorKind.RATE_LIMITED && retryAfter == null) {
      retryAfter = parseGoDuration(headers.get("x-ratelimit-reset-requests")).orElse(null);
    }
    if ("daily_rate_limit_exceeded".equals(code)
        && (retryAfter == null || retryAfter.compareTo(DAILY_LIMIT_BACKOFF) < 0)) {
      retryAfter = DAILY_LIMIT_BACKOFF;
    }
    // A create that failed transiently (5xx, 408, 409) may have happened: the server's "do not
    // retry" must not turn it into a known rejection.
    if (!(operation.equals("create") && kind == ErrorKind.TRANSIENT)) {
      kind = applyShouldRetry(kind, headers.get("x-should-retry"));
    }
    String providerCode =
        sanitize(code != null ? code : env.type() != null ? env.type() : "http_" + status, apiKey);
    String text = sanitize(env.message(), apiKey);
    var msg =
        new StringBuilder("OpenAI ").append(operation).append(" failed: HTTP ").append(status);
    if (code != null || env.type() != null) {
      msg.append(" (").append(providerCode).append(')');
    }
    if (text != null && !text.isEmpty()) {
      msg.append(": ").append(text);
    }
    if (param != null) {
      msg.append(" [param ").append(param).append(']');
    }
    appendRequestId(msg, requestId);
    return new OpenAiCallException(
        kind, msg.toString(), providerCode, param, retryAfter, requestId, status, null);
  }

  /** A 2xx response whose body is not the JSON we expect: retried, as a proxy may be at fault. */
  static OpenAiCallException malformed(String operation, int status, String requestId) {
    var msg =
        new StringBuilder("OpenAI ")
            .append(operation)
            .append(" returned HTTP ")
            .append(status)
            .append(" with a malformed JSON body");
    appendRequestId(msg, requestId);
    return new OpenAiCallException(
        ErrorKind.TRANSIENT,
        msg.toString(),
        "MalformedResponse",
        null,
        null,
        requestId,
        status,
        null);
  }

  /** No response: connection refused or dropped, timeouts. Always transient. */
  static OpenAiCallException fromIo(String operation, IOException e) {
    String what = e instanceof InterruptedIOException ? "timed out" : "failed";
    String detail = e.getClass().getSimpleName();
    if (e.getMessage() != null) {
      detail += ": " + truncate(e.getMessage().replaceAll("\\p{Cntrl}", " "), 200);
    }
    return new OpenAiCallException(
        ErrorKind.TRANSIENT,
        "OpenAI " + operation + " " + what + " without a response (" + detail + ")",
        "ConnectionError",
        null,
        null,
        null,
        0,
        e);
  }

  /**
   * The kind for a status and the error's code (or, without a code, its type):
   * docs/providers/openai.md section 4 tells the 429 flavours apart by code, and the 404 on create
   * means a bad spec, not a lost job.
   */
  static ErrorKind kindOf(String operation, int status, String code, String message) {
    if (status == 429) {
      return "daily_rate_limit_exceeded".equals(code) || "insufficient_quota".equals(code)
          ? ErrorKind.QUOTA
          : ErrorKind.RATE_LIMITED;
    }
    if (status == 408 || status == 409 || status >= 500) {
      return ErrorKind.TRANSIENT;
    }
    if (status == 401) {
      return ErrorKind.AUTHENTICATION;
    }
    if (status == 403) {
      // docs/providers/openai.md section 0: orgs blocked by the fine-tuning wind-down get a
      // permission error
      // from create; a new key will not help, so do not retry it as an auth problem.
      boolean windDown =
          "create".equals(operation)
              && message != null
              && FINE_TUNING_UNAVAILABLE.matcher(message).find();
      return windDown ? ErrorKind.PERMANENT : ErrorKind.AUTHENTICATION;
    }
    if (status == 404) {
      return "create".equals(operation) || "list".equals(operation)
          ? ErrorKind.PERMANENT
          : ErrorKind.NOT_FOUND;
    }
    return ErrorKind.PERMANENT;
  }

  /** {@code x-should-retry} is the server's own verdict and overrides the status. */
  static ErrorKind applyShouldRetry(ErrorKind kind, String header) {
    if (header == null) {
      return kind;
    }
    String value = header.trim().toLowerCase(Locale.ROOT);
    if ("false".equals(value) && (kind == ErrorKind.TRANSIENT || kind == ErrorKind.RATE_LIMITED)) {
      return ErrorKind.PERMANENT;
    }
    if ("true".equals(value) && (kind == ErrorKind.PERMANENT || kind == ErrorKind.NOT_FOUND)) {
      return ErrorKind.TRANSIENT;
    }
    return kind;
  }

  /**
   * Parses OpenAI's reset durations such as {@code 6m0s}, {@code 1s}, {@code 20ms}, {@code 1h2m}.
   */
  static Optional<Duration> parseGoDuration(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    Matcher m = GO_DURATION_PART.matcher(v);
    double millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1_000;
            default -> n;
          };
      end = m.end();
    }
    return end == v.length() && end > 0
        ? Optional.of(Duration.ofMillis(Math.round(millis)))
        : Optional.empty();
  }

  /** Removes the key and anything key-shaped, control characters, and cuts to length. */
  static String sanitize(String text, String apiKey) {
    if (text == null) {
      return null;
    }
    String s = text;
    if (apiKey != null && !apiKey.isEmpty()) {
      s = s.replace(apiKey, "[redacted]");
    }
    s = KEY_LIKE.matcher(s).replaceAll("[redacted]");
    s = s.replaceAll("\\p{Cntrl}", " ").strip();
    return truncate(s, MAX_MESSAGE);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static void appendRequestId(StringBuilder msg, String requestId) {
    if (requestId != null && !requestId.isBlank()) {
      msg.append(" (request id ").append(truncate(requestId.strip(), 100)).append(')');
    }
  }

  /** The fields of the error envelope; all null when the body is not one. */
  record Envelope(String message, String type, String param, String code) {

    static Envelope parse(String body) {
      if (body == null || body.isBlank()) {
        return new Envelope(null, null, null, null);
      }
      try {
        JsonNode error = OpenAiMapper.JSON.readTree(body).path("error");
        if (error.isTextual()) {
          return new Envelope(error.asText(), null, null, null);
        }
        return new Envelope(
            text(error, "message"), text(error, "type"), text(error, "param"), text(error, "code"));
      } catch (IOException | RuntimeException notJson) {
        return new Envelope(null, null, null, null);
      }
    }

    private static String text(JsonNode node, String field) {
      JsonNode v = node.path(field);
      return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
  }
}
