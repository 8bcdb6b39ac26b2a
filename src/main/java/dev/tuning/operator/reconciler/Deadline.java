package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code spec.activeDeadlineSeconds}, as a Kubernetes Job's field of that name: the provider job's
 * active time, from the provider's create time with paused time excluded ({@code
 * status.suspendedSeconds}, plus the current pause), against the deadline. Pure.
 */
final class Deadline {

  private Deadline() {}

  /**
   * How long the job may still be active (negative or zero: past the deadline); empty without a
   * deadline, for a job that ended, or before the provider's create time is known.
   */
  static Optional<Duration> remaining(TuningJob resource, ProviderJob job, Instant now) {
    Long limit = resource.getSpec().getActiveDeadlineSeconds();
    if (limit == null || job.state().isTerminal()) {
      return Optional.empty();
    }
    TuningJobStatus status = resource.getStatus();
    Instant created =
        job.createTime() != null
            ? job.createTime()
            : status == null ? null : StatusFactory.instant(status.getCreateTime()).orElse(null);
    if (created == null) {
      return Optional.empty();
    }
    Duration paused = Duration.ofSeconds(pausedSeconds(status));
    if (status != null && status.getSuspendedSince() != null) {
      paused =
          paused.plus(
              StatusFactory.instant(status.getSuspendedSince())
                  .map(since -> Duration.between(since, now))
                  .filter(d -> !d.isNegative())
                  .orElse(Duration.ZERO));
    }
    Duration active = Duration.between(created, now).minus(paused);
    return Optional.of(Duration.ofSeconds(limit).minus(active));
  }

  /** When to look again so the deadline is not overshot by a long poll interval. */
  static Optional<Duration> sooner(
      Optional<Duration> poll, Optional<Duration> remaining, ProviderJobState state) {
    if (remaining.isEmpty() || state == ProviderJobState.PAUSED) {
      return poll;
    }
    Duration left = remaining.get().plusSeconds(1);
    return Optional.of(poll.filter(p -> p.compareTo(left) < 0).orElse(left));
  }

  private static long pausedSeconds(TuningJobStatus status) {
    return status == null || status.getSuspendedSeconds() == null
        ? 0
        : status.getSuspendedSeconds();
  }
}
