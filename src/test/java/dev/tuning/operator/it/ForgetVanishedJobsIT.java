package dev.tuning.operator.it;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-job memory is dropped whenever a TuningJob leaves the operator's view without a normal
 * cleanup: moved out of the label selector, or its finalizer removed by hand while a cancel was
 * pending. The job gauge (one of those per-job maps, the one /metrics shows) proves it; the others
 * are cleared by the same call ({@code TuningJobReconciler.forget}).
 */
class ForgetVanishedJobsIT {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final String NS = "forget";
  static final String RUNNING = "tuning_jobs{phase=\"Running\",provider=\"openai\"} ";

  @Test
  void shouldForgetJobsThatLeaveTheOperatorsViewWithoutCleanup() {
    FakeTuningProvider fake = new FakeTuningProvider("openai").holdRunning().holdCancelling();
    try (KubernetesClient client = RealApiServer.client();
        var operator =
            new OperatorHarness(
                    client,
                    new ProviderRegistry().register(fake),
                    CredentialDefaults.none(),
                    Duration.ofMinutes(30),
                    "tuning.dev/shard=a")
                .start()) {
      RealApiServer.namespaceWithOpenAiSecret(client, NS);
      var jobs = client.resources(TuningJob.class).inNamespace(NS);
      for (String name : List.of("moved", "unfinalized")) {
        TuningJob job = TuningJobs.openAi(NS, name);
        job.getMetadata().setLabels(Map.of("tuning.dev/shard", "a"));
        jobs.resource(job).create();
      }
      await().atMost(WAIT).until(() -> operator.scrape().contains(RUNNING + "2.0"));

      // Relabelled into another shard: this operator no longer sees it.
      jobs.withName("moved")
          .edit(
              j -> {
                j.getMetadata().setLabels(Map.of("tuning.dev/shard", "b"));
                return j;
              });
      await().atMost(WAIT).until(() -> operator.scrape().contains(RUNNING + "1.0"));

      // Deleted while the cancel is pending, then its finalizer removed by hand.
      jobs.withName("unfinalized").delete();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                TuningJob j = jobs.withName("unfinalized").get();
                return j != null
                    && j.getStatus() != null
                    && j.getStatus().getPhase() == Phase.Cancelling;
              });
      jobs.withName("unfinalized")
          .edit(
              j -> {
                j.getMetadata().setFinalizers(List.of());
                return j;
              });
      await().atMost(WAIT).until(() -> jobs.withName("unfinalized").get() == null);
      await().atMost(WAIT).until(() -> operator.scrape().contains(RUNNING + "0.0"));
    }
  }
}
