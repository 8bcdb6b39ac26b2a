package dev.tuning.e2e.emulator;

import java.time.Duration;
import java.util.Locale;

/**
 * One injected fault, applied to a single request instead of (or, for {@link Kind#DELAY}, before)
 * the normal response. Each emulator renders it in its provider's error envelope.
 *
 * @param kind what happens
 * @param status HTTP status for {@link Kind#SERVER_ERROR} (500, 502, 503 …); 429 for rate limits,
 *     401 for {@link Kind#UNAUTHENTICATED}
 * @param retryAfterSeconds {@code Retry-After} value for the rate-limit kinds
 * @param delay pause before answering, for {@link Kind#DELAY}
 */
public record Fault(Kind kind, int status, long retryAfterSeconds, Duration delay) {

  /** The kinds of fault. */
  public enum Kind {
    /**
     * 429, OpenAI code {@code rate_limit_exceeded}, Vertex RESOURCE_EXHAUSTED, with Retry-After.
     */
    RATE_LIMIT,
    /** 429, OpenAI code {@code daily_rate_limit_exceeded}, Vertex RESOURCE_EXHAUSTED (quota). */
    DAILY_RATE_LIMIT,
    /** A 5xx error envelope. */
    SERVER_ERROR,
    /** Wait {@code delay}, then answer normally. */
    DELAY,
    /** Close the connection without any response. */
    DROP_CONNECTION,
    /** HTTP 200 with a truncated, unparsable JSON body. */
    MALFORMED_JSON,
    /** Handle the request (a create lands at once), then wait {@code delay} before answering. */
    REPLY_LATE,
    /** Handle the request (a create lands), then answer the 5xx {@code status} anyway. */
    ERROR_AFTER,
    /** Handle the request (a create lands), then close the connection without an answer. */
    DROP_AFTER,
    /** Answer the provider's 404 for the path although the job exists (a read that lags). */
    NOT_FOUND,
    /** Answer the provider's 401, as for a key or token revoked between two calls. */
    UNAUTHENTICATED;

    /** The snake_case name used by the admin endpoint. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind fromWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /** Validates the parameters of the kind. */
  public Fault {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if ((kind == Kind.SERVER_ERROR || kind == Kind.ERROR_AFTER) && (status < 500 || status > 599)) {
      throw new IllegalArgumentException(kind.wireName() + " needs a 5xx status, got " + status);
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
    }
    delay = delay == null ? Duration.ZERO : delay;
  }

  /** 429 {@code rate_limit_exceeded} with {@code Retry-After: seconds}. */
  public static Fault rateLimit(long retryAfterSeconds) {
    return new Fault(Kind.RATE_LIMIT, 429, retryAfterSeconds, Duration.ZERO);
  }

  /** 429 {@code daily_rate_limit_exceeded} with {@code Retry-After: seconds}. */
  public static Fault dailyRateLimit(long retryAfterSeconds) {
    return new Fault(Kind.DAILY_RATE_LIMIT, 429, retryAfterSeconds, Duration.ZERO);
  }

  /** A server error with the given 5xx status. */
  public static Fault serverError(int status) {
    return new Fault(Kind.SERVER_ERROR, status, 0, Duration.ZERO);
  }

  /** Answer normally after {@code delay}. */
  public static Fault delay(Duration delay) {
    return new Fault(Kind.DELAY, 0, 0, delay);
  }

  /** Close the connection without answering. */
  public static Fault dropConnection() {
    return new Fault(Kind.DROP_CONNECTION, 0, 0, Duration.ZERO);
  }

  /** Create (or do) what was asked, then answer only after {@code delay}. */
  public static Fault replyLate(Duration delay) {
    return new Fault(Kind.REPLY_LATE, 0, 0, delay);
  }

  /** Create (or do) what was asked, then answer the 5xx {@code status}. */
  public static Fault errorAfter(int status) {
    return new Fault(Kind.ERROR_AFTER, status, 0, Duration.ZERO);
  }

  /** Create (or do) what was asked, then drop the connection. */
  public static Fault dropAfter() {
    return new Fault(Kind.DROP_AFTER, 0, 0, Duration.ZERO);
  }

  /** Answer 404 for a job that exists. */
  public static Fault notFound() {
    return new Fault(Kind.NOT_FOUND, 404, 0, Duration.ZERO);
  }

  /** Answer 401 although the credentials are valid. */
  public static Fault unauthenticated() {
    return new Fault(Kind.UNAUTHENTICATED, 401, 0, Duration.ZERO);
  }

  /** Answer 200 with a body that is not valid JSON. */
  public static Fault malformedJson() {
    return new Fault(Kind.MALFORMED_JSON, 200, 0, Duration.ZERO);
  }
}
