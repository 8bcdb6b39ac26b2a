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
      assertThat(
              resolver
                  .resolve(job, new dev.tuning.operator.provider.fake.FakeTuningProvider("openai"))
                  .secretText())
          .isEqualTo("sk-1");
    }
    assertThat(server.getRequestCount() - before).isEqualTo(1);

    now[0] = now[0].plusSeconds(16);
    resolver.resolve(job, new dev.tuning.operator.provider.fake.FakeTuningProvider("openai"));
    assertThat(server.getRequestCount() - before).isEqualTo(2);
    assertThat(server.getLastRequest().getMethod()).isEqualTo("GET");
    assertThat(server.getLastRequest().getPath()).isEqualTo("/api/v1/namespaces/ml/secrets/openai");
  }

  /**
   * The provider says where its credential is. Before, every provider but OpenAI was resolved as
   * Vertex: a third provider's job without a Secret would have run on the operator's Google
   * identity.
   */
  @Test
  void shouldAskTheJobsProviderWhereItsCredentialIs() throws Exception {
    var third =
        new dev.tuning.operator.provider.fake.FakeTuningProvider("third") {
          @Override
          public dev.tuning.operator.provider.CredentialRef credentialRef(
              dev.tuning.operator.api.v1alpha1.TuningJobSpec spec) {
            return new dev.tuning.operator.provider.CredentialRef(
                java.util.Optional.empty(),
                "keys",
                "spec.third.credentialsSecretRef",
                "default third credentials");
          }
        };
    TuningJob job = TuningJobs.vertex("ml", "j");
    job.getMetadata().setUid("uid-3");
    var resolver =
        new CredentialResolver(
            client,
            new CredentialDefaults(dev.tuning.operator.provider.AllowList.any()),
            Duration.ofSeconds(15),
            Clock.systemUTC());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolver.resolve(job, third))
        .isInstanceOf(CredentialsMissingException.class)
        .hasMessage(
            "spec.third.credentialsSecretRef is not set, and the operator offers no default third"
                + " credentials");

    var own =
        dev.tuning.operator.provider.Credential.operatorDefault(
            "k".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    third.operatorCredential(own);
    assertThat(resolver.resolve(job, third)).isEqualTo(own);

    var strict =
        new CredentialResolver(
            client, CredentialDefaults.none(), Duration.ofSeconds(15), Clock.systemUTC());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> strict.resolve(job, third))
        .isInstanceOf(CredentialsMissingException.class)
        .hasMessageContaining("namespace ml may not use the operator's default credentials")
        .satisfies(e -> assertThat(((CredentialsMissingException) e).rejected()).isTrue());
  }
}
