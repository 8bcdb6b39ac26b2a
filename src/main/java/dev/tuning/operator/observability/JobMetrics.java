package dev.tuning.operator.observability;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.ProviderType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tuning_jobs} (gauge of TuningJobs by provider and phase), {@code tuning_job_duration}
 * (timer of provider jobs that ended, by provider and outcome) and, for chargeback, {@code
 * tuning_trained_tokens_total} and {@code tuning_billable_tokens_total} (counters by namespace and
 * provider, counted once per finished job; the TuningJob's namespace is the tag {@code
 * tuningjob_namespace}, so it never clashes with the {@code namespace} label Prometheus gives the
 * operator's own target). Tags hold only namespace, provider and phase names, never resource names
 * or ids.
 */
public final class JobMetrics {

  private record Key(String provider, Phase phase) {}

  private final MeterRegistry registry;
  private final Map<String, Key> jobs = new ConcurrentHashMap<>();

  public JobMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (ProviderType provider : ProviderType.values()) {
      for (Phase phase : Phase.values()) {
        Key key = new Key(provider.id(), phase);
        Gauge.builder("tuning.jobs", jobs, m -> count(m, key))
            .description("TuningJobs by provider and phase")
            .tag("provider", provider.id())
            .tag("phase", phase.name())
            .register(registry);
      }
    }
  }

  private static double count(Map<String, Key> jobs, Key key) {
    return jobs.values().stream().filter(key::equals).count();
  }

  /** Records the current phase of a TuningJob. */
  public void observe(String uid, String provider, Phase phase) {
    if (phase != null) {
      jobs.put(uid, new Key(provider, phase));
    }
  }

  /** Forgets a deleted TuningJob. */
  public void forget(String uid) {
    jobs.remove(uid);
  }

  /**
   * Counts a finished job's usage, once: the caller records in status that it did ({@code
   * status.usageRecorded}), so a restart never counts the job again.
   *
   * @param trainedTokens tokens the provider trained on (null: not reported)
   * @param billableTokens tokens the provider bills for the data (null: not reported)
   */
  public void usage(String namespace, String provider, Long trainedTokens, Long billableTokens) {
    if (trainedTokens != null && trainedTokens > 0) {
      registry
          .counter("tuning.trained.tokens", "tuningjob_namespace", namespace, "provider", provider)
          .increment(trainedTokens);
    }
    if (billableTokens != null && billableTokens > 0) {
      registry
          .counter("tuning.billable.tokens", "tuningjob_namespace", namespace, "provider", provider)
          .increment(billableTokens);
    }
  }

  /** Records how long a provider job ran, once, when it reaches a terminal phase. */
  public void jobEnded(String provider, Phase phase, Duration duration) {
    Timer.builder("tuning.job.duration")
        .description("Provider job duration from creation to end")
        .tag("provider", provider)
        .tag("outcome", phase.name())
        .register(registry)
        .record(duration.isNegative() ? Duration.ZERO : duration);
  }
}
