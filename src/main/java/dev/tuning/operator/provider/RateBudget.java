package dev.tuning.operator.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider calls one credential may make, shared by every job and every operation on it: at
 * most {@link Rate#calls} calls in any {@link Rate#window} per credential scope ({@link
 * TuningProvider#rateScope}), a sliding window, so no second ever sees more calls than the rate (a
 * token bucket would let a full bucket and a second's refill out together). A rate limit answered
 * to any call (429, Retry-After) pauses the whole scope for all its jobs at once, so they do not
 * each back off alone and return in a wave; other scopes go on.
 *
 * <p>Creates, cancels and deletions ({@link Priority#URGENT}) may use the whole window; routine
 * polls leave a reserve for them, so a tight budget delays reads, not the calls users wait for.
 *
 * <p>Thread-safe. Memory: per scope seen, the instants of the calls of the last window, dropped
 * when idle for an hour.
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
   * @param calls how many calls may go in any {@code window}
   * @param window the sliding window
   * @param reserve calls of each window routine calls leave for urgent ones
   */
  public record Rate(int calls, Duration window, int reserve) {
    public Rate {
      Objects.requireNonNull(window, "window");
      if (calls < 1 || window.isNegative() || window.isZero() || reserve < 0 || reserve >= calls) {
        throw new IllegalArgumentException(
            "a rate needs at least one call in a positive window, and a reserve below the calls");
      }
    }

    /**
     * {@code perSecond} calls a second, never more in any second: the whole number of calls in a
     * one-second window (2.5 → 2), or for rates below one, one call per {@code 1/perSecond}
     * seconds; a reserve of one call when the window holds two or more.
     */
    public static Rate of(double perSecond) {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("a rate must be positive, got " + perSecond);
      }
      if (perSecond < 1) {
        return new Rate(1, Duration.ofNanos((long) Math.ceil(1e9 / perSecond)), 0);
      }
      int calls = (int) Math.min(Integer.MAX_VALUE, Math.floor(perSecond));
      return new Rate(calls, Duration.ofSeconds(1), calls >= 2 ? 1 : 0);
    }

    /** Calls per second on average. */
    public double perSecond() {
      return calls / (window.toNanos() / 1e9);
    }
  }

  private static final Duration IDLE = Duration.ofHours(1);

  /** How long after its time a promised turn waits to be claimed (the caller may have gone). */
  static final Duration PROMISE_KEPT = Duration.ofMinutes(1);

  private static final class Window {
    /** Instants of the calls let out in the last window, oldest first. */
    final ArrayDeque<Instant> calls = new ArrayDeque<>();

    Instant last = Instant.MIN;
    Instant pausedUntil = Instant.MIN;

    /** The first instant not yet promised to a refused caller. */
    Instant nextTurn = Instant.MIN;

    /** The turns promised to callers held back, by caller. */
    final Map<String, Instant> promised = new java.util.HashMap<>();
  }

  private final Clock clock;
  private final Map<String, Rate> rates;
  private final Rate fallback;
  private final Map<Scope, Window> windows = new ConcurrentHashMap<>();

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
    return new RateBudget(Map.of(), new Rate(1_000_000, Duration.ofMillis(1), 0), clock);
  }

  public Rate rateOf(String provider) {
    return rates.getOrDefault(provider, fallback);
  }

  /**
   * Takes one call from the scope's budget: {@link Duration#ZERO} when the call may go now (it is
   * counted), else how long to wait before asking again (nothing is counted, nothing promised).
   */
  public Duration acquire(Scope scope, Priority priority) {
    return acquire(scope, priority, null);
  }

  /**
   * As {@link #acquire} for an urgent call that will come back when told (a create held back):
   * callers held back together are promised distinct turns, so they return one by one at the rate
   * in the order they first asked; a caller that comes back at its turn and finds the window taken
   * (by reads, lists) keeps its place at the front. Promises not claimed within {@link
   * #PROMISE_KEPT} are forgotten.
   *
   * @param caller who asks (a TuningJob's UID)
   */
  public Duration acquireInTurn(Scope scope, String caller) {
    return acquire(scope, Priority.URGENT, Objects.requireNonNull(caller, "caller"));
  }

  private Duration acquire(Scope scope, Priority priority, String caller) {
    Instant now = clock.instant();
    if (windows.size() > 1024 && !windows.containsKey(scope)) {
      // Rotated keys and one-off targets leave idle scopes behind: drop them now and then.
      windows.entrySet().removeIf(e -> idle(e.getValue(), now));
    }
    Rate rate = rateOf(scope.provider());
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      if (!w.promised.isEmpty()) {
        Instant stale = now.minus(PROMISE_KEPT);
        w.promised.values().removeIf(t -> t.isBefore(stale));
        if (w.promised.isEmpty()) {
          w.nextTurn = Instant.MIN;
        }
      }
      Instant promise = caller == null ? null : w.promised.get(caller);
      if (promise != null && promise.isAfter(now)) {
        return Duration.between(now, promise); // early: the turn stays promised
      }
      if (now.isBefore(w.pausedUntil)) {
        return turn(w, rate, caller, promise, w.pausedUntil, now);
      }
      Instant since = now.minus(rate.window());
      while (!w.calls.isEmpty() && !w.calls.peekFirst().isAfter(since)) {
        w.calls.pollFirst();
      }
      int allowed = priority == Priority.URGENT ? rate.calls() : rate.calls() - rate.reserve();
      if (w.calls.size() < allowed) {
        if (caller != null) {
          w.promised.remove(caller);
          if (w.promised.isEmpty()) {
            w.nextTurn = Instant.MIN;
          }
        }
        w.calls.addLast(now);
        w.last = now;
        return Duration.ZERO;
      }
      // The call that must leave the window before this one may go.
      Instant blocking = w.calls.stream().skip(w.calls.size() - allowed).findFirst().orElseThrow();
      return turn(w, rate, caller, promise, blocking.plus(rate.window()), now);
    }
  }

  /**
   * A refused caller's turn. In turn ({@link #acquireInTurn}): a caller whose promised turn has
   * come keeps it and is told {@code earliest} (the front of the line); a new one is promised the
   * first free turn at or after {@code earliest}, each a call's share of the window after the last
   * one promised, so creates held back together come back one by one at the rate, not in a wave
   * (nor in a busy loop). Others are told {@code earliest} and promised nothing: they come back on
   * their own schedule, and a promise they did not keep would hold a create back.
   */
  private static Duration turn(
      Window w, Rate rate, String caller, Instant promise, Instant earliest, Instant now) {
    Instant turn = earliest;
    if (caller != null && promise == null) {
      turn = earliest.isAfter(w.nextTurn) ? earliest : w.nextTurn;
      w.nextTurn = turn.plus(rate.window().dividedBy(rate.calls()));
      w.promised.put(caller, turn);
    }
    Duration wait = Duration.between(now, turn);
    return !wait.isNegative() && !wait.isZero() ? wait : Duration.ofNanos(1);
  }

  /**
   * A call on the scope was answered with a rate limit: no call on it goes before {@code wait} has
   * passed (the longest pause asked wins), then at most the rate again.
   */
  public void pause(Scope scope, Duration wait) {
    Instant now = clock.instant();
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      Instant until = now.plus(wait.isNegative() ? Duration.ZERO : wait);
      if (until.isAfter(w.pausedUntil)) {
        w.pausedUntil = until;
      }
      w.last = now;
    }
    if (windows.size() > 1024) {
      windows.entrySet().removeIf(e -> idle(e.getValue(), now));
    }
  }

  /** The budget's clock, for callers that keep what they took. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * A call taken at {@code takenAt} ({@link #acquireInTurn}) is sent now: it counts from now.
   * {@link Duration#ZERO} when it fits the window now (it is moved), else how long until an urgent
   * call would (it no longer counts: the caller asks again with {@link #acquire}).
   */
  public Duration sendNow(Scope scope, Instant takenAt) {
    Instant now = clock.instant();
    Rate rate = rateOf(scope.provider());
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      w.calls.removeFirstOccurrence(takenAt);
      if (now.isBefore(w.pausedUntil)) {
        return Duration.between(now, w.pausedUntil);
      }
      Instant since = now.minus(rate.window());
      while (!w.calls.isEmpty() && !w.calls.peekFirst().isAfter(since)) {
        w.calls.pollFirst();
      }
      if (w.calls.size() < rate.calls()) {
        w.calls.addLast(now);
        w.last = now;
        return Duration.ZERO;
      }
      Instant blocking =
          w.calls.stream().skip(w.calls.size() - rate.calls()).findFirst().orElseThrow();
      Duration wait = Duration.between(now, blocking.plus(rate.window()));
      return !wait.isNegative() && !wait.isZero() ? wait : Duration.ofNanos(1);
    }
  }

  /** Counts a call that goes whatever the window holds (a create that may wait no longer). */
  public void count(Scope scope) {
    Instant now = clock.instant();
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      w.calls.addLast(now);
      w.last = now;
    }
  }

  private static boolean idle(Window w, Instant now) {
    synchronized (w) {
      return w.last.plus(IDLE).isBefore(now) && w.pausedUntil.isBefore(now);
    }
  }
}
