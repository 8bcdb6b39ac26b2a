package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.credentials.CredentialResolver;
import dev.tuning.operator.observability.JobMetrics;
import dev.tuning.operator.provider.ProviderRegistry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/** Runs the real reconciler in a JOSDK Operator against a Kubernetes API (mock or real). */
public final class OperatorHarness implements AutoCloseable {

  public static final Path CRD = Path.of("crds", "tuningjobs.tuning.dev.yaml");

  /** Short intervals so tests finish quickly; the logic is the production one. */
  public static RequeuePolicy.Intervals fastIntervals() {
    return new RequeuePolicy.Intervals(
        Duration.ofMillis(100),
        Duration.ofMillis(100),
        Duration.ofMillis(150),
        Duration.ofMillis(100),
        Duration.ofMillis(100),
        Duration.ofMillis(800),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(3),
        Duration.ofSeconds(3),
        Duration.ofMillis(500),
        0.1);
  }

  private final Operator operator;
  private final PrometheusMeterRegistry meters;
  private final TuningJobEvents events;

  public OperatorHarness(
      KubernetesClient client,
      ProviderRegistry registry,
      CredentialDefaults defaults,
      Duration cancelTimeout) {
    this(client, registry, defaults, cancelTimeout, null);
  }

  /** As above, reconciling only TuningJobs that match {@code labelSelector} (null: all). */
  public OperatorHarness(
      KubernetesClient client,
      ProviderRegistry registry,
      CredentialDefaults defaults,
      Duration cancelTimeout,
      String labelSelector) {
    this(client, registry, defaults, cancelTimeout, labelSelector, fastIntervals());
  }

  /** As above, with these poll and retry intervals. */
  public OperatorHarness(
      KubernetesClient client,
      ProviderRegistry registry,
      CredentialDefaults defaults,
      Duration cancelTimeout,
      String labelSelector,
      RequeuePolicy.Intervals intervals) {
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.events = new TuningJobEvents(client, Clock.systemUTC(), "test");
    var reconciler =
        new TuningJobReconciler(
            registry,
            // Secrets re-read within 200 ms, so tests that create a Secret late do not wait the
            // TTL.
            new CredentialResolver(client, defaults, Duration.ofMillis(200), Clock.systemUTC()),
            new RequeuePolicy(intervals, new Random(7)),
            events,
            new JobMetrics(meters),
            Duration.ofMinutes(5),
            cancelTimeout,
            TuningJobReconciler.DEFAULT_PROGRESS_EVERY,
            Clock.systemUTC());
    this.operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false)
                    // As OperatorMain: aggregate JOSDK meters, so tests can count reconciles.
                    .withMetrics(
                        io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics
                            .withoutPerResourceMetrics(meters)));
    operator.register(
        reconciler,
        c -> {
          reconciler.configure(c);
          if (labelSelector != null) {
            c.withLabelSelector(labelSelector);
          }
        });
  }

  public static void installCrd(KubernetesClient client) {
    try (InputStream in = new FileInputStream(CRD.toFile())) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public OperatorHarness start() {
    operator.start();
    return this;
  }

  public MeterRegistry meters() {
    return meters;
  }

  public String scrape() {
    return meters.scrape();
  }

  public static Class<TuningJob> type() {
    return TuningJob.class;
  }

  @Override
  public void close() {
    try {
      operator.stop();
    } finally {
      events.close();
    }
  }
}
