package dev.tuning.operator.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider calls one credential may make, shared by every job and every operation on it: a
 * token bucket per credential scope ({@link TuningProvider#rateScope}), refilled at the provider's
 * rate. A rate limit answered to any call (429, Retry-After) pauses the whole scope for all its
 * jobs at once, so they do not each back off alone and return in a wave; other scopes go on.
 *
 * <p>Creates, cancels and deletions ({@link Priority#URGENT}) may use the whole bucket; routine
 * polls leave a reserve for them, so a tight budget delays reads, not the calls users wait for.
 *
 * <p>Thread-safe. Memory: one small record per scope seen, dropped when idle for an hour.
 */
public final class RateBudget {

  /** What a call is for. */
  public enum Priority {
    /** Create, cancel, pause, resume: a user is waiting for it. */
    URGENT,
    /** Reads that keep status fresh: they may wait. */
    ROUTINE
  }

  /** A budget is per provider and scope (a credential and what it reaches). */
  public record Scope(String provider, String key) {
    public Scope {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * @param perSecond calls per second the scope may make on average
   * @param burst how many calls may go at once after a quiet time (at least 1)
   * @param reserve tokens routine calls leave for urgent ones
   */
  public record Rate(double perSecond, int burst, int reserve) {
    public Rate {
      if (!(perSecond > 0) || burst < 1 || reserve < 0 || reserve >= burst) {
        throw new IllegalArgumentException(
            "rate must be positive, burst at least 1 and the reserve below the burst");
      }
    }

    /** {@code perSecond} calls a second, a burst of one second's worth, a reserve of one call. */
    public static Rate of(double perSecond) {
      int burst = Math.max(2, (int) Math.ceil(perSecond));
      return new Rate(perSecond, burst, 1);
    }
  }

  private static final Duration IDLE = Duration.ofHours(1);

  private static final class Bucket {
    double tokens;
    Instant refilled;
    Instant pausedUntil = Instant.MIN;

    Bucket(double tokens, Instant now) {
      this.tokens = tokens;
      this.refilled = now;
    }
  }

  private final Clock clock;
  private final Map<String, Rate> rates;
  private final Rate fallback;
  private final Map<Scope, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param rates the rate of each provider id
   * @param fallback the rate of a provider not listed
   */
  public RateBudget(Map<String, Rate> rates, Rate fallback, Clock clock) {
    this.rates = Map.copyOf(rates);
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** No limit worth the name: for tests that do not exercise the budget. */
  public static RateBudget unlimited(Clock clock) {
    return new RateBudget(Map.of(), new Rate(1_000_000, 1_000_000, 0), clock);
  }

  public Rate rateOf(String provider) {
    return rates.getOrDefault(provider, fallback);
  }

  /**
   * Takes one call from the scope's budget: {@link Duration#ZERO} when the call may go now (the
   * permit is taken), else how long to wait before asking again (nothing is taken).
   */
  public Duration acquire(Scope scope, Priority priority) {
    Instant now = clock.instant();
    if (buckets.size() > 1024 && !buckets.containsKey(scope)) {
      // Rotated keys and one-off targets leave idle scopes behind: drop them now and then.
      buckets.entrySet().removeIf(e -> idle(e.getValue(), now));
    }
    Rate rate = rateOf(scope.provider());
    Bucket b = buckets.computeIfAbsent(scope, s -> new Bucket(rate.burst(), now));
    synchronized (b) {
      if (now.isBefore(b.pausedUntil)) {
        return Duration.between(now, b.pausedUntil);
      }
      refill(b, rate, now);
      double floor = priority == Priority.URGENT ? 1 : 1 + rate.reserve();
      if (b.tokens >= floor) {
        b.tokens -= 1;
        return Duration.ZERO;
      }
      double missing = floor - b.tokens;
      return Duration.ofNanos((long) Math.ceil(missing / rate.perSecond() * 1e9));
    }
  }

  /**
   * A call on the scope was answered with a rate limit: no call on it goes before {@code wait} has
   * passed (the longest pause asked wins), and the bucket starts empty afterwards.
   */
  public void pause(Scope scope, Duration wait) {
    Instant now = clock.instant();
    Rate rate = rateOf(scope.provider());
    Bucket b = buckets.computeIfAbsent(scope, s -> new Bucket(0, now));
    synchronized (b) {
      Instant until = now.plus(wait.isNegative() ? Duration.ZERO : wait);
      if (until.isAfter(b.pausedUntil)) {
        b.pausedUntil = until;
      }
      b.tokens = 0;
      b.refilled = b.pausedUntil;
    }
    if (buckets.size() > 1024) {
      buckets.entrySet().removeIf(e -> idle(e.getValue(), now));
    }
  }

  /** Until when the scope is paused by a rate limit, if it is. */
  public Instant pausedUntil(Scope scope) {
    Bucket b = buckets.get(scope);
    if (b == null) {
      return Instant.MIN;
    }
    synchronized (b) {
      return b.pausedUntil;
    }
  }

  private static void refill(Bucket b, Rate rate, Instant now) {
    if (now.isAfter(b.refilled)) {
      double seconds = Duration.between(b.refilled, now).toNanos() / 1e9;
      b.tokens = Math.min(rate.burst(), b.tokens + seconds * rate.perSecond());
      b.refilled = now;
    }
  }

  private static boolean idle(Bucket b, Instant now) {
    synchronized (b) {
      return b.refilled.plus(IDLE).isBefore(now) && b.pausedUntil.isBefore(now);
    }
  }
}
