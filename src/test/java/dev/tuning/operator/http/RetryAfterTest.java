package dev.tuning.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void shouldReadSecondsMillisecondsAndHttpDates() {
    assertThat(RetryAfter.parse(Headers.of("Retry-After", "30"), clock))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse(Headers.of("retry-after-ms", "1500", "Retry-After", "30"), clock))
        .contains(Duration.ofMillis(1500));
    assertThat(RetryAfter.parse(Headers.of("Retry-After", "Mon, 23 Nov 2026 10:02:00 GMT"), clock))
        .contains(Duration.ofMinutes(2));
    assertThat(RetryAfter.parse(Headers.of("Retry-After", "Mon, 23 Nov 2026 09:00:00 GMT"), clock))
        .contains(Duration.ZERO);
  }

  @Test
  void shouldIgnoreGarbage() {
    assertThat(RetryAfter.parse(Headers.of("Retry-After", "soon"), clock)).isEmpty();
    assertThat(RetryAfter.parse(Headers.of("retry-after-ms", "x"), clock)).isEmpty();
    assertThat(RetryAfter.parse(Headers.of(), clock)).isEmpty();
  }
}
