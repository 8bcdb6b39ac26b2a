package dev.tuning.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import dev.tuning.operator.reconciler.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two active reconcilers on one set of TuningJobs (the overlap of a failover or of a rolling update
 * without leader election): the create intent is a compare-and-swap on the real API server, so the
 * loser of each race decides again and adopts instead of creating a second job.
 */
class TwoReconcilersIT {

  static final Duration WAIT = Duration.ofSeconds(90);
  static final String NS = "two-reconcilers";
  static final int JOBS = 16;

  @Test
  void shouldCreateEachJobOnceWithTwoActiveReconcilers() {
    FakeTuningProvider fake = new FakeTuningProvider("openai").createsTake(Duration.ofMillis(100));
    try (KubernetesClient client = RealApiServer.client();
        var first = operator(client, fake);
        var second = operator(client, fake)) {
      RealApiServer.namespaceWithOpenAiSecret(client, NS);
      var jobs = client.resources(TuningJob.class).inNamespace(NS);
      IntStream.range(0, JOBS)
          .forEach(i -> jobs.resource(TuningJobs.openAi(NS, "pair-" + i)).create());

      await()
          .atMost(WAIT)
          .until(
              () ->
                  jobs.list().getItems().stream()
                          .filter(
                              j ->
                                  j.getStatus() != null
                                      && j.getStatus().getPhase() == Phase.Succeeded)
                          .count()
                      == JOBS);
      assertThat(fake.jobCount()).as("provider jobs").isEqualTo(JOBS);
      assertThat(fake.count("create")).as("creates").isEqualTo(JOBS);
    }
  }

  private static OperatorHarness operator(KubernetesClient client, FakeTuningProvider fake) {
    return new OperatorHarness(
            client,
            new ProviderRegistry().register(fake),
            CredentialDefaults.none(),
            Duration.ofMinutes(5))
        .start();
  }
}
