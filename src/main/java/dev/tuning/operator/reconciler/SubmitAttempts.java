package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The never-a-duplicate window (docs/design.md section 4): after a create whose outcome is unknown,
 * the job may still come into being, so the operator only looks it up until {@code submitSettle}
 * has passed. The window runs from the later of the durable record of the latest attempt's start
 * ({@code status.submitAttemptTime}, written before every create call, so a restarted process or a
 * new leader computes the same window) and, in this process, the moment the outcome became unknown
 * (the end of the failed call). A create this process saw answered is settled; a create that
 * succeeded keeps its id here until the id is durably in status.
 */
final class SubmitAttempts {

  /**
   * One create attempt of this process.
   *
   * @param start when the attempt began (what status records)
   * @param unknownSince when its outcome became unknown (the end of the failed call), or null
   * @param answered the provider answered: the create happened ({@code createdId}) or was refused
   * @param createdId the job the provider created, until its id is in status
   */
  private record Attempt(Instant start, Instant unknownSince, boolean answered, String createdId) {}

  private final Clock clock;
  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

  SubmitAttempts(Clock clock) {
    this.clock = clock;
  }

  /** A create is about to be made. */
  void started(String uid, Instant start) {
    attempts.put(uid, new Attempt(start, null, false, null));
  }

  /** The provider refused the create: nothing exists. */
  void refused(String uid) {
    attempts.computeIfPresent(uid, (k, a) -> new Attempt(a.start(), null, true, null));
  }

  /** The create failed without a final answer: it may still land. */
  void unknown(String uid) {
    attempts.computeIfPresent(uid, (k, a) -> new Attempt(a.start(), clock.instant(), false, null));
  }

  /** The provider created {@code jobId}; kept until {@link #recorded}. */
  void created(String uid, String jobId) {
    attempts.computeIfPresent(uid, (k, a) -> new Attempt(a.start(), null, true, jobId));
  }

  /** The job id is durably in status. */
  void recorded(String uid) {
    attempts.remove(uid);
  }

  void forget(String uid) {
    attempts.remove(uid);
  }

  /** A job this process created whose id may not have reached status. */
  Optional<String> createdId(String uid) {
    return Optional.ofNullable(attempts.get(uid)).map(Attempt::createdId);
  }

  /**
   * This process's own create was the latest one status records and the provider refused it (or it
   * was never sent): no job can exist from it, and every earlier attempt had settled before it
   * began, so no lookup is owed before the next create.
   */
  boolean refusedLatest(TuningJob resource) {
    Attempt mine = attempts.get(resource.getMetadata().getUid());
    if (mine == null || !mine.answered() || mine.createdId() != null) {
      return false;
    }
    Instant recorded = recordedStart(resource).orElse(null);
    return recorded != null && !recorded.isAfter(mine.start());
  }

  /**
   * How long to keep looking instead of creating (at most {@code poll}); empty when no earlier
   * create can still land. Never settled while the start is {@link #startUnrecorded unrecorded}.
   */
  Optional<Duration> unsettled(TuningJob resource, Duration settle, Duration poll) {
    if (startUnrecorded(resource)) {
      return Optional.of(poll);
    }
    Instant recorded = recordedStart(resource).orElse(null);
    Attempt mine = attempts.get(resource.getMetadata().getUid());
    Instant deadline = null;
    if (mine != null) {
      boolean latest = recorded == null || !recorded.isAfter(mine.start());
      if (mine.answered() && latest) {
        return Optional.empty();
      }
      if (mine.unknownSince() != null) {
        deadline = mine.unknownSince().plus(settle);
      }
    }
    if (recorded != null) {
      Instant fromRecord = recorded.plus(settle);
      deadline = deadline == null || fromRecord.isAfter(deadline) ? fromRecord : deadline;
    }
    if (deadline == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      return Optional.empty();
    }
    return Optional.of(left.compareTo(poll) < 0 ? left : poll);
  }

  /**
   * The latest attempt's start as status records it: {@code status.submitAttemptTime} and nothing
   * else (a condition's transition time says when the condition last flipped, not when a create
   * began).
   */
  static Optional<Instant> recordedStart(TuningJob resource) {
    var status = resource.getStatus();
    return status == null ? Optional.empty() : StatusFactory.instant(status.getSubmitAttemptTime());
  }

  /**
   * Submitting without a readable {@code submitAttemptTime}: a status written before that field
   * existed, or edited. When its create began is unknown, so the caller records {@link #startNow}
   * (the attempt began no later) and waits a whole settle window from it before any create.
   */
  static boolean startUnrecorded(TuningJob resource) {
    return resource.getStatus() != null
        && resource.getStatus().getPhase() == Phase.Submitting
        && recordedStart(resource).isEmpty();
  }

  /**
   * Now as status records an attempt's start: whole seconds, rounded up, so that the window it
   * opens never ends before the one counted from the exact moment.
   */
  Instant startNow() {
    return recordable(clock.instant());
  }

  /** {@code now} in the whole seconds status keeps, rounded up. */
  static Instant recordable(Instant now) {
    Instant start = now.truncatedTo(ChronoUnit.SECONDS);
    return start.isBefore(now) ? start.plusSeconds(1) : start;
  }
}
