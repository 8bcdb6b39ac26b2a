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
import dev.tuning.operator.reconciler.TuningJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on a real API server: status subresource, finalizers, printer columns as kubectl
 * prints them, and kubectl wait on the Succeeded condition.
 */
class TuningJobLifecycleIT {

  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void shouldRunTheLifecycleOnARealApiServer() throws Exception {
    String ns = "lifecycle";
    FakeTuningProvider fake = new FakeTuningProvider("openai").holdRunning();
    try (KubernetesClient client = RealApiServer.client();
        var operator =
            new OperatorHarness(
                    client,
                    new ProviderRegistry().register(fake),
                    CredentialDefaults.none(),
                    Duration.ofMinutes(5))
                .start()) {
      RealApiServer.namespaceWithOpenAiSecret(client, ns);
      var jobs = client.resources(TuningJob.class).inNamespace(ns);
      jobs.resource(TuningJobs.openAi(ns, "first")).create();
      jobs.resource(TuningJobs.openAi(ns, "second")).create();

      await().atMost(WAIT).until(() -> phase(jobs.withName("first").get()) == Phase.Running);
      TuningJob running = jobs.withName("first").get();
      assertThat(running.getMetadata().getFinalizers()).contains(TuningJobReconciler.FINALIZER);
      // API server defaults from the CRD
      assertThat(running.getSpec().getDeletionPolicy()).hasToString("Cancel");
      assertThat(running.getSpec().getMethod()).hasToString("SUPERVISED");

      // status subresource: a spec update cannot change status
      TuningJob edited = jobs.withName("first").get();
      edited.getStatus().setPhase(Phase.Failed);
      edited.getSpec().setDeletionPolicy(dev.tuning.operator.api.v1alpha1.DeletionPolicy.Cancel);
      jobs.resource(edited).update();
      assertThat(jobs.withName("first").get().getStatus().getPhase()).isNotEqualTo(Phase.Failed);

      // finalizer: deletion waits for the operator's cancel
      fake.holdCancelling();
      jobs.withName("second").delete();
      await().atMost(WAIT).until(() -> fake.count("cancel") == 1);
      await().atMost(WAIT).until(() -> phase(jobs.withName("second").get()) == Phase.Cancelling);
      assertThat(jobs.withName("second").get().getMetadata().getDeletionTimestamp()).isNotNull();
      fake.releaseCancelling();
      await().atMost(WAIT).until(() -> jobs.withName("second").get() == null);

      fake.releaseRunning();
      String wait =
          kubectl("wait", "-n", ns, "tj/first", "--for=condition=Succeeded", "--timeout=60s");
      assertThat(wait).contains("condition met");

      String table = kubectl("get", "tj", "-n", ns);
      String header = table.lines().findFirst().orElseThrow();
      assertThat(header.split("\\s{2,}"))
          .containsExactly("NAME", "PROVIDER", "BASE MODEL", "PHASE", "TUNED MODEL", "AGE");
      assertThat(table)
          .contains("first")
          .contains("openai")
          .contains("gpt-4.1-mini-2025-04-14")
          .contains("Succeeded")
          .contains("ft:fake:");
      assertThat(fake.count("create")).isEqualTo(2);
    }
  }

  static String kubectl(String... args) throws IOException, InterruptedException {
    var command =
        new java.util.ArrayList<>(
            List.of(
                RealApiServer.kubectl().toString(),
                "--kubeconfig",
                RealApiServer.kubeconfigFile().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  static Phase phase(TuningJob job) {
    return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
  }
}
