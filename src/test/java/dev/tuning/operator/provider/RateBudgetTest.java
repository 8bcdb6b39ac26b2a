package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.provider.RateBudget.Priority;
import dev.tuning.operator.provider.RateBudget.Rate;
import dev.tuning.operator.provider.RateBudget.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
      new RateBudget(Map.of("openai", new Rate(5, Duration.ofSeconds(1), 1)), Rate.of(2), clock);
  private final Scope key = new Scope("openai", "key-a");
  private final Scope other = new Scope("openai", "key-b");

  /** Whatever the demand, one credential never makes more than its rate in any second. */
  @Test
  void shouldNeverGrantMoreThanTheRateOnOneCredential() {
    List<Instant> granted = new ArrayList<>();
    for (int tick = 0; tick < 1000; tick++) {
      for (int ask = 0; ask < 50; ask++) {
        if (budget.acquire(key, ask % 3 == 0 ? Priority.URGENT : Priority.ROUTINE).isZero()) {
          granted.add(now);
        }
      }
      now = now.plusMillis(10);
    }
    // 10 s at 5/s
    assertThat(granted).hasSizeBetween(45, 50);
    assertThat(peakInAnySecond(granted)).as("calls in any one-second window").isEqualTo(5);
  }

  /** The first second after a quiet time, too: a full bucket plus its refill would make 10. */
  @Test
  void shouldNotLetTheFirstSecondBurstAboveTheRate() {
    List<Instant> granted = new ArrayList<>();
    for (int tick = 0; tick < 100; tick++) {
      if (budget.acquire(key, Priority.URGENT).isZero()) {
        granted.add(now);
      }
      now = now.plusMillis(10);
    }
    assertThat(granted).hasSize(5);
    assertThat(peakInAnySecond(granted)).isEqualTo(5);
  }

  @Test
  void shouldRoundFractionalRatesDownPerSecondAndSpaceSlowOnes() {
    assertThat(Rate.of(2.5)).isEqualTo(new Rate(2, Duration.ofSeconds(1), 1));
    assertThat(Rate.of(1)).isEqualTo(new Rate(1, Duration.ofSeconds(1), 0));
    assertThat(Rate.of(0.5)).isEqualTo(new Rate(1, Duration.ofSeconds(2), 0));
    assertThat(Rate.of(0.5).perSecond()).isEqualTo(0.5);
  }

  /** Callers held back together are told distinct turns, one window share apart: no wave. */
  @Test
  void shouldGiveCallersHeldBackTogetherDistinctTurns() {
    for (int i = 0; i < 5; i++) {
      assertThat(budget.acquire(key, Priority.URGENT)).isZero();
    }
    List<Duration> turns = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      turns.add(budget.acquireInTurn(key, "job-" + i));
    }
    assertThat(turns)
        .containsExactly(
            Duration.ofMillis(1000),
            Duration.ofMillis(1200),
            Duration.ofMillis(1400),
            Duration.ofMillis(1600),
            Duration.ofMillis(1800),
            Duration.ofMillis(2000),
            Duration.ofMillis(2200),
            Duration.ofMillis(2400),
            Duration.ofMillis(2600),
            Duration.ofMillis(2800));
    // each coming back at its turn finds room
    int granted = 0;
    for (int i = 0; i < turns.size(); i++) {
      now = Instant.parse("2026-11-30T10:00:00Z").plus(turns.get(i));
      if (budget.acquireInTurn(key, "job-" + i).isZero()) {
        granted++;
      }
    }
    assertThat(granted).isEqualTo(10);
  }

  /**
   * A caller whose turn came but whose slot a read took keeps its place at the front: it is told
   * the window's next opening, not a turn behind every caller that asked after it.
   */
  @Test
  void shouldKeepACallerWhoseTurnCameAtTheFront() {
    for (int i = 0; i < 5; i++) {
      budget.acquire(key, Priority.URGENT);
    }
    Duration first = budget.acquireInTurn(key, "first");
    for (int i = 0; i < 100; i++) {
      budget.acquireInTurn(key, "later-" + i); // turns up to 21 s out
    }
    now = now.plus(first);
    budget.acquire(key, Priority.URGENT); // a list page takes the slot first
    assertThat(budget.acquireInTurn(key, "first"))
        .as("the next opening of the window, not the back of the line")
        .isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  /** Turns no one came back for are forgotten a minute after their time. */
  @Test
  void shouldForgetTurnsNoOneCameBackFor() {
    for (int i = 0; i < 5; i++) {
      budget.acquire(key, Priority.URGENT);
    }
    for (int i = 0; i < 50; i++) {
      budget.acquireInTurn(key, "gone-" + i); // turns up to 10.8 s out, then the callers went away
    }
    now = now.plusSeconds(72);
    assertThat(budget.acquire(key, Priority.URGENT)).isZero();
    for (int i = 0; i < 4; i++) {
      budget.acquire(key, Priority.URGENT);
    }
    assertThat(budget.acquireInTurn(key, "new"))
        .as("the next create waits for the window, not for turns no one will take")
        .isEqualTo(Duration.ofSeconds(1));
  }

  private static int peakInAnySecond(List<Instant> calls) {
    int peak = 0;
    for (int i = 0; i < calls.size(); i++) {
      Instant end = calls.get(i).plusSeconds(1);
      int n = 0;
      for (int j = i; j < calls.size() && calls.get(j).isBefore(end); j++) {
        n++;
      }
      peak = Math.max(peak, n);
    }
    return peak;
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

    assertThat(budget.acquireInTurn(key, "a")).isEqualTo(Duration.ofSeconds(30));
    assertThat(budget.acquireInTurn(key, "b"))
        .as("the next create's turn is one call later")
        .isEqualTo(Duration.ofMillis(30_200));
    assertThat(budget.acquire(key, Priority.ROUTINE))
        .as("a read is promised nothing")
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(budget.acquire(other, Priority.ROUTINE)).isZero();

    now = now.plusSeconds(10);
    budget.pause(key, Duration.ofSeconds(5));
    assertThat(budget.acquire(key, Priority.URGENT))
        .as("a shorter pause does not cut the longer one short")
        .isEqualTo(Duration.ofSeconds(20));

    now = now.plusSeconds(20);
    for (int i = 0; i < 5; i++) {
      assertThat(budget.acquire(key, Priority.URGENT)).isZero();
    }
    assertThat(budget.acquire(key, Priority.URGENT))
        .as("after the pause, at most the rate: the jobs do not come back in a wave")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void shouldUseTheFallbackRateForOtherProviders() {
    Scope vertex = new Scope("vertex", "sa-1");
    assertThat(budget.rateOf("vertex")).isEqualTo(Rate.of(2));
    assertThat(budget.acquire(vertex, Priority.URGENT)).isZero();
    assertThat(budget.acquire(vertex, Priority.URGENT)).isZero();
    assertThat(budget.acquire(vertex, Priority.URGENT)).isEqualTo(Duration.ofSeconds(1));
  }
}
