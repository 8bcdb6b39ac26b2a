package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A job that never ends after cancel does not block deletion beyond the bounded wait. */
@EnableKubernetesMockClient(crud = true)
class CancelTimeoutTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void shouldDropTheFinalizerWithAWarningWhenCancelDoesNotFinish() {
    OperatorHarness.installCrd(client);
    FakeTuningProvider fake = new FakeTuningProvider("openai").holdRunning().holdCancelling();
    try (var operator =
        new OperatorHarness(
                client,
                new ProviderRegistry().register(fake),
                CredentialDefaults.none(),
                Duration.ofSeconds(2))
            .start()) {
      client
          .secrets()
          .inNamespace("ml")
          .resource(TuningJobs.secret("ml", "openai", "apiKey", "k"))
          .create();
      var jobs = client.resources(TuningJob.class).inNamespace("ml");
      jobs.resource(TuningJobs.openAi("ml", "stuck")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                TuningJob j = jobs.withName("stuck").get();
                return j.getStatus() != null && j.getStatus().getPhase() == Phase.Running;
              });

      jobs.withName("stuck").delete();

      await().atMost(Duration.ofSeconds(30)).until(() -> jobs.withName("stuck").get() == null);
      assertThat(fake.count("cancel")).isEqualTo(1);
      assertThat(fake.stateOf("openai-job-1")).contains(ProviderJobState.CANCELLING);
      // Events are written on the recorder's own thread, after the reconcile that recorded them.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().inNamespace("ml").list().getItems())
                      .extracting(Event::getReason)
                      .contains(Reason.CANCEL_REQUESTED.value(), Reason.CANCEL_TIMED_OUT.value()));
    }
  }
}
