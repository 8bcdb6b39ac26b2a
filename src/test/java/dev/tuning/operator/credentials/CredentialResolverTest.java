package dev.tuning.operator.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CredentialResolverTest {

  KubernetesMockServer server;
  KubernetesClient client;

  /** 1,000 running jobs must not mean a Secret GET per reconcile: one GET per TTL and name. */
  @Test
  void shouldReadEachSecretOncePerTtlByNameOnly() throws Exception {
    client
        .secrets()
        .inNamespace("ml")
        .resource(TuningJobs.secret("ml", "openai", "apiKey", "sk-1"))
        .create();
    Instant[] now = {Instant.parse("2026-11-29T10:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    var resolver =
        new CredentialResolver(client, CredentialDefaults.none(), Duration.ofSeconds(15), clock);
    TuningJob job = TuningJobs.openAi("ml", "j");
    job.getMetadata().setUid("uid-1");
    int before = server.getRequestCount();

    for (int i = 0; i < 50; i++) {
      assertThat(resolver.resolve(job).secretText()).isEqualTo("sk-1");
    }
    assertThat(server.getRequestCount() - before).isEqualTo(1);

    now[0] = now[0].plusSeconds(16);
    resolver.resolve(job);
    assertThat(server.getRequestCount() - before).isEqualTo(2);
    assertThat(server.getLastRequest().getMethod()).isEqualTo("GET");
    assertThat(server.getLastRequest().getPath()).isEqualTo("/api/v1/namespaces/ml/secrets/openai");
  }
}
