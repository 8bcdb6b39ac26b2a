package dev.tuning.operator.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Headers;

/**
 * Reads how long a provider asked us to wait: {@code retry-after-ms} (OpenAI), then {@code
 * Retry-After} as delta-seconds or an HTTP date.
 */
public final class RetryAfter {

  private RetryAfter() {}

  public static Optional<Duration> parse(Headers headers, Clock clock) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        double value = Double.parseDouble(ms.trim());
        if (value >= 0 && Double.isFinite(value)) {
          return Optional.of(Duration.ofMillis((long) value));
        }
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    return parseRetryAfter(headers.get("Retry-After"), clock);
  }

  static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds >= 0 && Double.isFinite(seconds)
          ? Optional.of(Duration.ofMillis((long) (seconds * 1000)))
          : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        var when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        var wait = Duration.between(clock.instant(), when);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
