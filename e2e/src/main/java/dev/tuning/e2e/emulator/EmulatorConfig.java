package dev.tuning.e2e.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Timing, clock and credentials of one emulator.
 *
 * <p>Each job spends {@code validating} in its first stage (OpenAI {@code validating_files}, Vertex
 * {@code JOB_STATE_PENDING}), then {@code queued}, then {@code running} before it succeeds. A
 * Vertex cancel leaves a job in {@code JOB_STATE_CANCELLING} for {@code cancelling}; OpenAI cancels
 * at once. States are computed lazily from {@code clock} on every read, so a {@link MutableClock}
 * drives them in tests without sleeping.
 *
 * @param validating time in the first (validation / pending) stage
 * @param queued time in the queue, also after an OpenAI resume
 * @param running total running time; a paused OpenAI job keeps what it had left
 * @param cancelling time a Vertex job stays CANCELLING before it is CANCELLED
 * @param clock the time source
 * @param validKeys accepted OpenAI API keys / Vertex bearer tokens; empty = any non-empty value
 *     (tokens issued by the Vertex token endpoints are always accepted)
 */
public record EmulatorConfig(
    Duration validating,
    Duration queued,
    Duration running,
    Duration cancelling,
    Clock clock,
    Set<String> validKeys) {

  /** Checks that durations are non-negative and copies the key set. */
  public EmulatorConfig {
    for (Duration d : new Duration[] {validating, queued, running, cancelling}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("durations must be >= 0, got " + d);
      }
    }
    Objects.requireNonNull(clock, "clock");
    validKeys = Set.copyOf(validKeys);
  }

  /** 2 s validating, 3 s queued, 20 s running, 2 s cancelling, system UTC clock, any key. */
  public static EmulatorConfig defaults() {
    return new EmulatorConfig(
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        Duration.ofSeconds(20),
        Duration.ofSeconds(2),
        Clock.systemUTC(),
        Set.of());
  }

  /** A copy with another validation / pending duration. */
  public EmulatorConfig withValidating(Duration d) {
    return new EmulatorConfig(d, queued, running, cancelling, clock, validKeys);
  }

  /** A copy with another queue duration. */
  public EmulatorConfig withQueued(Duration d) {
    return new EmulatorConfig(validating, d, running, cancelling, clock, validKeys);
  }

  /** A copy with another running duration. */
  public EmulatorConfig withRunning(Duration d) {
    return new EmulatorConfig(validating, queued, d, cancelling, clock, validKeys);
  }

  /** A copy with another Vertex cancelling duration. */
  public EmulatorConfig withCancelling(Duration d) {
    return new EmulatorConfig(validating, queued, running, d, clock, validKeys);
  }

  /** A copy with another clock. */
  public EmulatorConfig withClock(Clock c) {
    return new EmulatorConfig(validating, queued, running, cancelling, c, validKeys);
  }

  /** A copy that accepts only these keys / tokens. */
  public EmulatorConfig withValidKeys(Set<String> keys) {
    return new EmulatorConfig(validating, queued, running, cancelling, clock, keys);
  }
}
