package dev.tuning.operator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.operator.http.RetryAfter;
import dev.tuning.operator.provider.ErrorClassifier;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderJson;
import dev.tuning.operator.text.DurationSyntax;
import dev.tuning.operator.text.SafeText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Classifies OpenAI failures into an {@link ErrorKind}, following docs/providers/openai.md section
 * 4: the error envelope {@code {"error":{message,type,param,code}}}, the HTTP status, the 429
 * flavours told apart by {@code error.code}, {@code retry-after-ms}/{@code retry-after}/{@code
 * x-ratelimit-reset-requests} and {@code x-should-retry}.
 *
 * <p>One instance serves the requests made with one key: messages are built from the provider's own
 * message, sanitized by {@link SafeText} with that key removed, and end with the request id. They
 * never contain headers or request bodies.
 */
final class OpenAiErrors implements ErrorClassifier<OpenAiErrors.Operation, OpenAiCallException> {

  /** The calls the client makes; a 404 means different things for each. */
  enum Operation {
    CREATE("create"),
    GET("get"),
    LIST("list"),
    CANCEL("cancel"),
    PAUSE("pause"),
    RESUME("resume"),
    /** The newest checkpoint, read for the job's training progress. */
    PROGRESS("progress");

    final String tag;

    Operation(String tag) {
      this.tag = tag;
    }

    /** The operation named {@code tag} ({@code cancel}, {@code pause}, …). */
    static Operation of(String tag) {
      for (Operation op : values()) {
        if (op.tag.equals(tag)) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown OpenAI operation " + tag);
    }
  }

  /** A daily creation cap resets within a day; never come back sooner than this. */
  static final Duration DAILY_LIMIT_BACKOFF = Duration.ofHours(1);

  private static final Pattern FINE_TUNING_UNAVAILABLE =
      Pattern.compile(
          "fine[- ]?tun.*(unavailable|not available|no longer|not eligible|disabled"
              + "|discontinued|deprecat|not allowed|not permitted)"
              + "|(unavailable|no longer|not eligible|disabled|discontinued|not allowed"
              + "|not permitted).*fine[- ]?tun",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private final Clock clock;
  private final String apiKey;

  /**
   * @param apiKey the key used for the requests, removed from the provider's text if echoed
   */
  OpenAiErrors(Clock clock, String apiKey) {
    this.clock = clock;
    this.apiKey = apiKey;
  }

  /**
   * Classifies a non-2xx response.
   *
   * @param body the response body as text (may be empty, cut or not JSON)
   */
  @Override
  public OpenAiCallException fromResponse(
      Operation operation, int status, Headers headers, String body) {
    Envelope env = Envelope.parse(body);
    String code = env.code();
    String requestId = sanitize(headers.get("x-request-id"));
    String param = sanitize(env.param());
    ErrorKind kind = kindOf(operation, status, code != null ? code : env.type(), env.message());
    Duration retryAfter = RetryAfter.parse(headers, clock).orElse(null);
    if (kind == ErrorKind.RATE_LIMITED && retryAfter == null) {
      retryAfter = DurationSyntax.tryParse(headers.get("x-ratelimit-reset-requests")).orElse(null);
    }
    if ("daily_rate_limit_exceeded".equals(code)
        && (retryAfter == null || retryAfter.compareTo(DAILY_LIMIT_BACKOFF) < 0)) {
      retryAfter = DAILY_LIMIT_BACKOFF;
    }
    // A create that failed transiently (5xx, 408, 409) may have happened: the server's "do not
    // retry" must not turn it into a known rejection.
    if (!(operation == Operation.CREATE && kind == ErrorKind.TRANSIENT)) {
      kind = applyShouldRetry(kind, headers.get("x-should-retry"));
    }
    String providerCode =
        sanitize(code != null ? code : env.type() != null ? env.type() : "http_" + status);
    String text = sanitize(env.message());
    var msg =
        new StringBuilder("OpenAI ").append(operation.tag).append(" failed: HTTP ").append(status);
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
  @Override
  public OpenAiCallException malformed(Operation operation, int status, Headers headers) {
    String requestId = sanitize(headers.get("x-request-id"));
    var msg =
        new StringBuilder("OpenAI ")
            .append(operation.tag)
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
  @Override
  public OpenAiCallException fromIo(Operation operation, IOException e) {
    String what = e instanceof InterruptedIOException ? "timed out" : "failed";
    String detail = e.getClass().getSimpleName();
    if (e.getMessage() != null) {
      detail += ": " + SafeText.clip(sanitize(e.getMessage()), 200);
    }
    return new OpenAiCallException(
        ErrorKind.TRANSIENT,
        "OpenAI " + operation.tag + " " + what + " without a response (" + detail + ")",
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
  static ErrorKind kindOf(Operation operation, int status, String code, String message) {
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
          operation == Operation.CREATE
              && message != null
              && FINE_TUNING_UNAVAILABLE.matcher(message).find();
      return windDown ? ErrorKind.PERMANENT : ErrorKind.AUTHENTICATION;
    }
    if (status == 404) {
      return operation == Operation.CREATE || operation == Operation.LIST
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

  /** {@link SafeText#sanitize} with this instance's key. */
  private String sanitize(String text) {
    return SafeText.sanitize(text, apiKey);
  }

  private static void appendRequestId(StringBuilder msg, String requestId) {
    if (requestId != null && !requestId.isBlank()) {
      msg.append(" (request id ").append(SafeText.clip(requestId, 100)).append(')');
    }
  }

  /** The fields of the error envelope; all null when the body is not one. */
  record Envelope(String message, String type, String param, String code) {

    static Envelope parse(String body) {
      if (body == null || body.isBlank()) {
        return new Envelope(null, null, null, null);
      }
      try {
        JsonNode error = ProviderJson.MAPPER.readTree(body).path("error");
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
