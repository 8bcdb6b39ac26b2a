package dev.tuning.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.CrashOnceProvider;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import dev.tuning.operator.reconciler.OperatorHarness;
import dev.tuning.operator.reconciler.Reason;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator running as the project's ServiceAccount, bound only to config/rbac: the RBAC is
 * enough for the whole lifecycle (finalizer added, status written, Events, a failed reconcile
 * recorded from a fresh read, finalizer removed on deletion), and least: the API server's
 * authorizer allows that ServiceAccount exactly {@link OperatorRbac#OPERATOR_RULES} (plus the Lease
 * in its own namespace), nothing else.
 */
class RbacIT {

  static final String SYSTEM_NS = "tuning-operator-system";

  @Test
  void operatorWorksWithTheProjectRbacAndNothingMore() throws Exception {
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
      // The first create "crashes" after the job was created: the error path (updateErrorStatus
      // reads the TuningJob afresh, records ReconcileError) runs under the same RBAC.
      CrashOnceProvider crashy = new CrashOnceProvider(fake);
      try (KubernetesClient sa = new KubernetesClientBuilder().withConfig(saConfig).build();
          var operator =
              new OperatorHarness(
                      sa,
                      new ProviderRegistry().register(crashy),
                      CredentialDefaults.none(),
                      Duration.ofMinutes(5))
                  .start()) {
        var forbidden =
            catchThrowableOfType(
                KubernetesClientException.class, () -> sa.secrets().inNamespace(ns).list());
        assertThat(forbidden).isNotNull();
        assertThat(forbidden.getCode()).isEqualTo(403);
        assertThat(sa.secrets().inNamespace(ns).withName("openai").get()).isNotNull();

        // Exactly the pinned rules, in a job namespace, cluster-wide and in the operator's own
        // namespace (plus its Lease there): the verbs removed from the role stay refused.
        assertThat(OperatorRbac.allowed(sa, ns))
            .isEqualTo(new TreeSet<>(OperatorRbac.OPERATOR_RULES));
        assertThat(OperatorRbac.allowed(sa, ""))
            .isEqualTo(new TreeSet<>(OperatorRbac.OPERATOR_RULES));
        Set<String> inSystemNs = new TreeSet<>(OperatorRbac.OPERATOR_RULES);
        inSystemNs.addAll(OperatorRbac.LEADER_ELECTION_RULES);
        assertThat(OperatorRbac.allowed(sa, SYSTEM_NS)).isEqualTo(inSystemNs);

        var jobs = admin.resources(TuningJob.class).inNamespace(ns);
        jobs.resource(TuningJobs.openAi(ns, "rbac-job")).create();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  TuningJob job = jobs.withName("rbac-job").get();
                  return TuningJobLifecycleIT.phase(job) == Phase.Succeeded
                      && job.getMetadata().getFinalizers().size() == 1;
                });
        // Events are best effort (a refused create is only logged): check they were written. The
        // ReconcileError one follows a fresh get of the TuningJob and a status write; the phase
        // Event follows the status write, so it is awaited rather than raced.
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                        .allSatisfy(
                            e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("rbac-job"))
                        .anySatisfy(
                            e ->
                                assertThat(e.getReason()).isEqualTo(Reason.RECONCILE_ERROR.value()))
                        .anySatisfy(
                            e -> assertThat(e.getReason()).isEqualTo(Phase.Succeeded.name())));
        jobs.withName("rbac-job").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.withName("rbac-job").get() == null);
        assertThat(crashy.creates()).isEqualTo(1);
        assertThat(fake.count("create")).as("the crashed create's job was adopted").isEqualTo(1);
      }
    }
  }
}
