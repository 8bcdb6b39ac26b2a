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
 * token bucket would let a full bucket and a second's refill out together). A call counts from when
 * it is let out ({@link #acquire}) until it {@link #landed lands}, and then a window (and {@link
 * #GUARD}) from when it went on the wire: a provider counts calls when they arrive, and calls let
 * out a window apart but sent late arrived closer together. A rate limit answered to any call (429,
 * Retry-After) pauses the whole scope for all its jobs at once, so they do not each back off alone
 * and return in a wave; other scopes go on.
 *
 * <p>Creates, cancels and deletions ({@link Priority#URGENT}) may use the whole window; routine
 * polls leave a reserve for them, so a tight budget delays reads, not the calls users wait for;
 * while a list of the scope is read ({@link #listStarted}), its pages go before routine reads.
 *
 * <p>Creates are {@link #admit admitted} in turn before they are sent, so that a create held back
 * writes and sends nothing, and many held back together come back one by one.
 *
 * <p>Thread-safe. Memory: per scope seen, the instants of the calls of the last window and of those
 * in flight, the turns promised and the creates admitted (at most a minute old), dropped when idle
 * for an hour.
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

  /**
   * How much longer than its window a call is counted: a call leaves some time after it is let out
   * (a thread switch, a busy CPU), and a provider counts when calls arrive, so calls let out
   * exactly a window apart could arrive closer together (6 in one second at 5/s, measured on a busy
   * 2-core machine).
   */
  static final Duration GUARD = Duration.ofMillis(100);

  /** How long a routine call waits while a list of its scope is read (the list goes first). */
  static final Duration LIST_FIRST = Duration.ofSeconds(1);

  /**
   * A call let out and not landed within this long is no longer counted (its caller is gone; a
   * provider call times out after 90 s).
   */
  static final Duration LANDED_BY = Duration.ofMinutes(2);

  /** How long after its time a promised turn waits to be claimed (the caller may have gone). */
  static final Duration PROMISE_KEPT = Duration.ofMinutes(1);

  private static final class Window {
    /** When the calls of the last window went on the wire, oldest first. */
    final ArrayDeque<Instant> calls = new ArrayDeque<>();

    /** When the calls let out and not yet {@link #landed} were let out, oldest first. */
    final ArrayDeque<Instant> flying = new ArrayDeque<>();

    Instant last = Instant.MIN;
    Instant pausedUntil = Instant.MIN;

    /** The first instant not yet promised to a refused caller. */
    Instant nextTurn = Instant.MIN;

    /** The turns promised to callers held back, by caller. */
    final Map<String, Instant> promised = new java.util.HashMap<>();

    /** Creates admitted and not yet sent, by caller, with when they were admitted. */
    final Map<String, Instant> pending = new java.util.HashMap<>();

    /** When the creates of the last window were admitted, oldest first. */
    final ArrayDeque<Instant> admitted = new ArrayDeque<>();

    /** Lists of this scope being read now. */
    int listing;
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
   * counted, in flight, until the caller says it {@link #landed}), else how long to wait before
   * asking again (nothing is counted, nothing promised). Callers are not lined up: whoever asks
   * when the window has room takes it.
   */
  public Duration acquire(Scope scope, Priority priority) {
    Instant now = clock.instant();
    if (windows.size() > 1024 && !windows.containsKey(scope)) {
      // Rotated keys and one-off targets leave idle scopes behind: drop them now and then.
      windows.entrySet().removeIf(e -> idle(e.getValue(), now));
    }
    Rate rate = rateOf(scope.provider());
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      if (now.isBefore(w.pausedUntil)) {
        return Duration.between(now, w.pausedUntil);
      }
      int counted = counted(w, rate, now);
      if (priority == Priority.ROUTINE && w.listing > 0 && tight(w, rate, now)) {
        // A list stands for every job of the scope: its pages go before single reads.
        return LIST_FIRST;
      }
      int allowed = priority == Priority.URGENT ? rate.calls() : rate.calls() - rate.reserve();
      if (counted < allowed) {
        w.flying.addLast(now);
        w.last = now;
        return Duration.ZERO;
      }
      int room = allowed - w.flying.size(); // calls on the wire that may stay in the window
      if (room <= 0) {
        return GUARD; // the window is all in flight: ask again once some have landed
      }
      // The call that must leave the window before this one may go.
      Instant blocking = w.calls.stream().skip(w.calls.size() - room).findFirst().orElseThrow();
      Duration wait = Duration.between(now, blocking.plus(rate.window()).plus(GUARD));
      return !wait.isNegative() && !wait.isZero() ? wait : Duration.ofNanos(1);
    }
  }

  /**
   * Admits a create: it may now write its intent and then send, taking its call from the window
   * when it is sent ({@link #release}, then {@link #acquire}); {@link Duration#ZERO} when admitted,
   * else how long until its turn.
   *
   * <p>At most {@code calls} creates are admitted in any window, at most that many admitted and not
   * yet sent, and none while the scope is paused or a list of it is read. Admission does not wait
   * for room in the window: a create is sent some time after it is admitted (its intent is written
   * first), and a window that had to hold the call from admission to send would let only {@code
   * calls} per {@code window + that time} out (2.6 a second at 5/s, measured). The window itself
   * stays exact, at send time.
   *
   * <p>Callers held back together are promised distinct turns, so they return one by one at the
   * rate in the order they first asked; one that comes back at its turn and finds it taken keeps
   * its place at the front. Promises not claimed within {@link #PROMISE_KEPT} are forgotten, and
   * admissions not sent within it too.
   *
   * @param caller who asks (a TuningJob's UID)
   */
  public Duration admit(Scope scope, String caller) {
    Objects.requireNonNull(caller, "caller");
    Instant now = clock.instant();
    Rate rate = rateOf(scope.provider());
    Duration share = rate.window().dividedBy(rate.calls());
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      Instant stale = now.minus(PROMISE_KEPT);
      if (!w.promised.isEmpty()) {
        w.promised.values().removeIf(t -> t.isBefore(stale));
        if (w.promised.isEmpty()) {
          w.nextTurn = Instant.MIN;
        }
      }
      w.pending.values().removeIf(t -> t.isBefore(stale));
      Instant promise = w.promised.get(caller);
      if (promise != null && promise.isAfter(now)) {
        return Duration.between(now, promise); // early: the turn stays promised
      }
      Instant earliest = now;
      if (w.pausedUntil.isAfter(earliest)) {
        earliest = w.pausedUntil;
      }
      Instant since = now.minus(rate.window());
      while (!w.admitted.isEmpty() && !w.admitted.peekFirst().isAfter(since)) {
        w.admitted.pollFirst();
      }
      if (w.admitted.size() >= rate.calls()) {
        Instant next = w.admitted.peekFirst().plus(rate.window());
        earliest = next.isAfter(earliest) ? next : earliest;
      }
      if (w.listing > 0 && tight(w, rate, now)) {
        // A list's pages go first: a create admitted now would take the window from them (lists
        // starved by 5 creates a second failed their time limit, and every job fell back to a
        // read of its own).
        Instant next = now.plus(LIST_FIRST);
        earliest = next.isAfter(earliest) ? next : earliest;
      }
      if (w.pending.size() >= rate.calls() && !w.pending.containsKey(caller)) {
        Instant next = now.plus(share);
        earliest = next.isAfter(earliest) ? next : earliest;
      }
      if (earliest.isAfter(now)) {
        return turn(w, rate, caller, promise, earliest, now);
      }
      w.promised.remove(caller);
      if (w.promised.isEmpty()) {
        w.nextTurn = Instant.MIN;
      }
      w.pending.put(caller, now);
      w.admitted.addLast(now);
      w.last = now;
      return Duration.ZERO;
    }
  }

  /**
   * Whether the scope's window is half used or more (calls of the last window and creates admitted,
   * not yet sent): only then do a list's pages need the rest to themselves. A generous budget
   * (1,000 calls a second) never holds reads or creates back for a list.
   */
  private static boolean tight(Window w, Rate rate, Instant now) {
    return counted(w, rate, now) + w.pending.size() >= Math.max(1, rate.calls() / 2);
  }

  /**
   * The calls the window counts now: those in flight, and those that went on the wire within the
   * window and its guard (older ones are dropped).
   */
  private static int counted(Window w, Rate rate, Instant now) {
    Instant since = now.minus(rate.window()).minus(GUARD);
    while (!w.calls.isEmpty() && !w.calls.peekFirst().isAfter(since)) {
      w.calls.pollFirst();
    }
    Instant lost = now.minus(LANDED_BY);
    while (!w.flying.isEmpty() && w.flying.peekFirst().isBefore(lost)) {
      w.flying.pollFirst();
    }
    return w.calls.size() + w.flying.size();
  }

  /**
   * A call {@link #acquire let out} is done, answered or failed: from now on it counts from {@code
   * wire}, when it was last written (or, not known, when it was answered: a provider counts a call
   * before it answers it), for a window and its guard.
   */
  public void landed(Scope scope, Instant wire) {
    Window w = windows.get(scope);
    if (w == null) {
      return;
    }
    Instant now = clock.instant();
    Instant at = wire.isAfter(now) ? now : wire;
    synchronized (w) {
      if (w.flying.pollFirst() == null) {
        return; // counted as lost already (LANDED_BY)
      }
      // Most land in the order they went; a late one goes back to its place.
      ArrayDeque<Instant> later = new ArrayDeque<>();
      while (!w.calls.isEmpty() && w.calls.peekLast().isAfter(at)) {
        later.addFirst(w.calls.pollLast());
      }
      w.calls.addLast(at);
      w.calls.addAll(later);
      w.last = now;
    }
  }

  /**
   * The create {@link #admit admitted} for {@code caller} is about to be sent: it no longer counts
   * as pending. True when it was admitted (and not forgotten).
   */
  public boolean release(Scope scope, String caller) {
    Window w = windows.get(scope);
    if (w == null) {
      return false;
    }
    synchronized (w) {
      Instant admitted = w.pending.remove(caller);
      return admitted != null && !admitted.isBefore(clock.instant().minus(PROMISE_KEPT));
    }
  }

  /**
   * A create held back ({@link #admit}): a caller whose promised turn has come keeps it and is told
   * {@code earliest} (the front of the line); a new one is promised the first free turn at or after
   * {@code earliest}, each a call's share of the window after the last one promised, so creates
   * held back together come back one by one at the rate, not in a wave (nor in a busy loop).
   */
  private static Duration turn(
      Window w, Rate rate, String caller, Instant promise, Instant earliest, Instant now) {
    Instant turn = earliest;
    if (promise == null) {
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

  /**
   * A list of the scope begins: until {@link #listEnded}, routine calls and new creates of the
   * scope wait and leave the window to its pages (a list with ten pages, starved to the reserve's
   * one call a second behind reads, failed its time limit and every job fell back to a read of its
   * own).
   */
  public void listStarted(Scope scope) {
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      w.listing++;
    }
  }

  /** The list {@link #listStarted} ended, read or failed. */
  public void listEnded(Scope scope) {
    Window w = windows.computeIfAbsent(scope, s -> new Window());
    synchronized (w) {
      w.listing = Math.max(0, w.listing - 1);
    }
  }

  /** The budget's clock, for callers that keep what they took. */
  public Instant now() {
    return clock.instant();
  }

  private static boolean idle(Window w, Instant now) {
    synchronized (w) {
      return w.last.plus(IDLE).isBefore(now) && w.pausedUntil.isBefore(now) && w.flying.isEmpty();
    }
  }
}
