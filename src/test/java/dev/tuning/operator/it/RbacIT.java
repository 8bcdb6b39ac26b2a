package dev.tuning.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import dev.tuning.operator.reconciler.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator running as the project's ServiceAccount, bound only to config/rbac: the RBAC is
 * enough for the whole lifecycle, and least (no listing Secrets).
 */
class RbacIT {

  static final String SYSTEM_NS = "tuning-operator-system";

  @Test
  void operatorWorksWithTheProjectRbacAndCannotListSecrets() throws Exception {
    String ns = "rbac";
    try (KubernetesClient admin = RealApiServer.client()) {
      for (String n : List.of(SYSTEM_NS, ns)) {
        admin
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(n).endMetadata().build())
            .serverSideApply();
      }
      try (Stream<Path> files = Files.list(Path.of("config", "rbac"))) {
        for (Path f : files.filter(p -> !p.endsWith("kustomization.yaml")).toList()) {
          try (var in = new FileInputStream(f.toFile())) {
            for (HasMetadata item : admin.load(in).items()) {
              admin.resource(item).serverSideApply();
            }
          }
        }
      }
      String token =
          admin
              .serviceAccounts()
              .inNamespace(SYSTEM_NS)
              .withName("tuning-operator")
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(3600L)
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      admin
          .secrets()
          .inNamespace(ns)
          .resource(TuningJobs.secret(ns, "openai", "apiKey", "sk-rbac"))
          .serverSideApply();

      Config adminConfig = admin.getConfiguration();
      // Same server and CA as the admin, but authenticated only by the ServiceAccount token.
      Config saConfig =
          new ConfigBuilder(adminConfig)
              .withClientCertData(null)
              .withClientCertFile(null)
              .withClientKeyData(null)
              .withClientKeyFile(null)
              .withUsername(null)
              .withPassword(null)
              .withOauthToken(token)
              .build();
      FakeTuningProvider fake = new FakeTuningProvider("openai");
      try (KubernetesClient sa = new KubernetesClientBuilder().withConfig(saConfig).build();
          var operator =
              new OperatorHarness(
                      sa,
                      new ProviderRegistry().register(fake),
                      CredentialDefaults.none(),
                      Duration.ofMinutes(5))
                  .start()) {
        var forbidden =
            catchThrowableOfType(
                KubernetesClientException.class, () -> sa.secrets().inNamespace(ns).list());
        assertThat(forbidden).isNotNull();
        assertThat(forbidden.getCode()).isEqualTo(403);
        assertThat(sa.secrets().inNamespace(ns).withName("openai").get()).isNotNull();

        var jobs = admin.resources(TuningJob.class).inNamespace(ns);
        jobs.resource(TuningJobs.openAi(ns, "rbac-job")).create();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    TuningJobLifecycleIT.phase(jobs.withName("rbac-job").get()) == Phase.Succeeded);
        assertThat(admin.v1().events().inNamespace(ns).list().getItems()).isNotEmpty();
        jobs.withName("rbac-job").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.withName("rbac-job").get() == null);
        assertThat(fake.count("create")).isEqualTo(1);
      }
    }
  }
}
