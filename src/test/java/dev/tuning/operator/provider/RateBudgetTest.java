package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.provider.RateBudget.Priority;
import dev.tuning.operator.provider.RateBudget.Rate;
import dev.tuning.operator.provider.RateBudget.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateBudgetTest {

  private Instant now = Instant.parse("2026-11-30T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final RateBudget budget =
      new RateBudget(Map.of("openai", new Rate(5, 5, 1)), Rate.of(2), clock);
  private final Scope key = new Scope("openai", "key-a");
  private final Scope other = new Scope("openai", "key-b");

  /** Whatever the demand, one credential never makes more than its rate (plus the burst). */
  @Test
  void shouldNeverGrantMoreThanTheRateOnOneCredential() {
    int granted = 0;
    for (int tick = 0; tick < 1000; tick++) {
      for (int ask = 0; ask < 50; ask++) {
        if (budget.acquire(key, ask % 3 == 0 ? Priority.URGENT : Priority.ROUTINE).isZero()) {
          granted++;
        }
      }
      now = now.plusMillis(10);
    }
    // 10 s at 5/s, plus the initial burst of 5
    assertThat(granted).isLessThanOrEqualTo(55).isGreaterThanOrEqualTo(45);
  }

  @Test
  void shouldKeepAReserveForUrgentCalls() {
    for (int i = 0; i < 4; i++) {
      assertThat(budget.acquire(key, Priority.ROUTINE)).isZero();
    }
    assertThat(budget.acquire(key, Priority.ROUTINE)).isPositive();
    assertThat(budget.acquire(key, Priority.URGENT)).isZero();
    assertThat(budget.acquire(key, Priority.URGENT)).isPositive();
  }

  /** A 429 on one call pauses every job of that credential once; other credentials go on. */
  @Test
  void shouldPauseTheWholeCredentialOnARateLimit() {
    budget.pause(key, Duration.ofSeconds(30));

    assertThat(budget.acquire(key, Priority.URGENT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(budget.acquire(key, Priority.ROUTINE)).isEqualTo(Duration.ofSeconds(30));
    assertThat(budget.acquire(other, Priority.ROUTINE)).isZero();

    now = now.plusSeconds(10);
    budget.pause(key, Duration.ofSeconds(5));
    assertThat(budget.acquire(key, Priority.URGENT))
        .as("a shorter pause does not cut the longer one short")
        .isEqualTo(Duration.ofSeconds(20));

    now = now.plusSeconds(20);
    assertThat(budget.acquire(key, Priority.URGENT))
        .as("the bucket starts empty after a pause: no wave")
        .isPositive();
    now = now.plusMillis(200);
    assertThat(budget.acquire(key, Priority.URGENT)).isZero();
  }

  @Test
  void shouldUseTheFallbackRateForOtherProviders() {
    Scope vertex = new Scope("vertex", "sa-1");
    assertThat(budget.rateOf("vertex")).isEqualTo(Rate.of(2));
    assertThat(budget.acquire(vertex, Priority.URGENT)).isZero();
    assertThat(budget.acquire(vertex, Priority.URGENT)).isZero();
    assertThat(budget.acquire(vertex, Priority.URGENT)).isEqualTo(Duration.ofMillis(500));
  }
}
