package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.provider.ErrorKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * When to look at a TuningJob again: by phase while all is well (terminal phases are not polled),
 * with exponential backoff per resource after failures, honouring the provider's Retry-After. Every
 * delay gets jitter so a thousand jobs created together do not poll together.
 */
public final class RequeuePolicy {

  /**
   * The intervals, all configurable (OperatorConfig). {@code submitSettle} is how long after a
   * create whose outcome is unknown (the operator died during it, or no response came back) the
   * operator only looks the job up and does not create again: a create still in flight at the
   * provider must land before a second one could be justified. It is counted from the latest
   * attempt's start (recorded in status before the call), so it must exceed the HTTP call timeout
   * by a margin (OperatorConfig refuses less): 120 s against the 90 s call timeout. {@code
   * notFoundGrace} is how long a provider must keep answering "not found" before a job is marked
   * Failed (a read can lag a create; a rotated key answers 404 for a live job).
   */
  public record Intervals(
      Duration submitting,
      Duration queued,
      Duration running,
      Duration cancelling,
      Duration backoffBase,
      Duration backoffMax,
      Duration authenticationRetry,
      Duration quotaRetry,
      Duration submitSettle,
      Duration notFoundGrace,
      Duration callTimeout,
      double jitter) {

    /**
     * How late after the client gave up a create may still land at the provider: a quarter of the
     * call timeout, at least a second. The settle window must cover the call and this margin.
     */
    public static Duration landingMargin(Duration callTimeout) {
      Duration quarter = callTimeout.dividedBy(4);
      return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
    }

    /**
     * How long after an attempt's recorded start its create request may still leave: the call and
     * the landing margin must both fit in what is left of the settle window.
     */
    public Duration sendBudget() {
      Duration budget = submitSettle.minus(callTimeout).minus(landingMargin(callTimeout));
      return budget.isNegative() ? Duration.ZERO : budget;
    }

    public static Intervals defaults() {
      return new Intervals(
          Duration.ofSeconds(15),
          Duration.ofSeconds(15),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          Duration.ofHours(1),
          Duration.ofSeconds(120),
          Duration.ofMinutes(10),
          Duration.ofSeconds(90),
          0.1);
    }
  }

  /** The longest a quota's Retry-After is honoured. */
  static final Duration MAX_QUOTA_WAIT = Duration.ofHours(24);

  private final Intervals intervals;
  private final RandomGenerator random;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  public RequeuePolicy(Intervals intervals, RandomGenerator random) {
    this.intervals = intervals;
    this.random = random;
  }

  public Intervals intervals() {
    return intervals;
  }

  /**
   * When a job with nothing due (finished, or held before its first submission) is looked at again.
   * It wakes at once on a change of its own (spec, annotations, deletion); without an explicit
   * delay JOSDK would use its safety-net interval, the longest active poll, and reconcile every
   * idle job once a minute: 167 reconciles a second with 10,000 held or finished jobs.
   */
  public static final Duration IDLE = Duration.ofHours(10);

  /** The poll interval of a phase; empty for phases that are not polled. */
  public Optional<Duration> forPhase(Phase phase) {
    Duration base =
        switch (phase) {
          case Submitting -> intervals.submitting();
          case Queued, Pending -> intervals.queued();
          case Running, Suspended -> intervals.running();
          case Cancelling -> intervals.cancelling();
          case Succeeded, Failed, Cancelled -> null;
        };
    return Optional.ofNullable(base).map(this::jitter);
  }

  /**
   * The delay after a failed provider exchange; counts consecutive failures per resource. The
   * provider's Retry-After is honoured up to {@code quotaRetry} (1 h by default), for a quota up to
   * a day.
   */
  public Duration afterError(String uid, ErrorKind kind, Optional<Duration> asked) {
    int attempt = failures.merge(uid, 1, Integer::sum);
    // A broken or hostile Retry-After (e.g. 99999999) must not park a job for years: a quota
    // (daily limits) is honoured up to a day, anything else up to quotaRetry.
    Duration cap = kind == ErrorKind.QUOTA ? MAX_QUOTA_WAIT : intervals.quotaRetry();
    Optional<Duration> retryAfter = asked.map(r -> min(r, cap));
    Duration backoff = backoff(attempt);
    Duration delay =
        switch (kind) {
          case QUOTA -> max(retryAfter.orElse(intervals.quotaRetry()), backoff);
          case AUTHENTICATION, CREDENTIALS_REJECTED ->
              max(intervals.authenticationRetry(), backoff);
          default -> retryAfter.map(r -> max(r, Duration.ofSeconds(1))).orElse(backoff);
        };
    return jitterUp(delay);
  }

  /** The delay while a Secret is missing: backoff from the base, capped. */
  public Duration afterMissingCredentials(String uid) {
    int attempt = failures.merge(uid, 1, Integer::sum);
    return jitterUp(backoff(attempt));
  }

  /** A successful exchange resets the backoff. */
  public void reset(String uid) {
    failures.remove(uid);
  }

  private Duration backoff(int attempt) {
    long factor = 1L << Math.min(attempt - 1, 20);
    Duration d = intervals.backoffBase().multipliedBy(factor);
    return d.compareTo(intervals.backoffMax()) > 0 ? intervals.backoffMax() : d;
  }

  private Duration jitter(Duration d) {
    double j = intervals.jitter();
    double factor = 1 + (random.nextDouble() * 2 - 1) * j;
    return Duration.ofMillis(Math.max(1, (long) (d.toMillis() * factor)));
  }

  /** Jitter that never shortens a delay the provider asked for. */
  private Duration jitterUp(Duration d) {
    double factor = 1 + random.nextDouble() * intervals.jitter();
    return Duration.ofMillis(Math.max(1, (long) (d.toMillis() * factor)));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
