package dev.tuning.e2e.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link Clock} that stands still until a test moves it; thread-safe. */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;

  /** Starts at {@code start}. */
  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Starts at 2026-01-01T00:00:00Z, a fixed instant so that tests are reproducible. */
  public MutableClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward by {@code step} (negative steps are rejected). */
  public MutableClock advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("a clock only moves forward: " + step);
    }
    now.updateAndGet(t -> t.plus(step));
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("MutableClock is UTC only");
  }
}
