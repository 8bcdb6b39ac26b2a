package dev.tuning.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.it.OperatorRbac;
import dev.tuning.operator.it.RealApiServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** config/default builds with kustomize and applies to the real API server. */
class KustomizeIT {

  @Test
  void defaultLayoutBuildsAndApplies() throws Exception {
    String built = kubectl("kustomize", "config/default");
    assertThat(built)
        .contains("kind: CustomResourceDefinition", "kind: ClusterRole", "kind: Deployment")
        .contains("image: tuning-operator:0.1.0");

    String applied = kubectl("apply", "--server-side", "--force-conflicts", "-k", "config/default");
    assertThat(applied).contains("deployment.apps/tuning-operator serverside-applied");

    try (var client = RealApiServer.client()) {
      Deployment d =
          client
              .apps()
              .deployments()
              .inNamespace("tuning-operator-system")
              .withName("tuning-operator")
              .get();
      var pod = d.getSpec().getTemplate().getSpec();
      var container = pod.getContainers().get(0);
      assertThat(pod.getServiceAccountName()).isEqualTo("tuning-operator");
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(client.rbac().clusterRoles().withName("tuning-operator").get().getRules())
          .anySatisfy(
              r -> {
                assertThat(r.getResources()).containsExactly("secrets");
                assertThat(r.getVerbs()).containsExactly("get");
              });
      assertThat(
              OperatorRbac.flatten(
                  client.rbac().clusterRoles().withName("tuning-operator").get().getRules()))
          .isEqualTo(new TreeSet<>(OperatorRbac.OPERATOR_RULES));
      assertThat(container.getEnv())
          .as("operator-wide credentials off")
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("DEFAULT_CREDENTIALS");
                assertThat(e.getValue()).isEqualTo("false");
              })
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("LEADER_ELECTION");
                assertThat(e.getValue()).isEqualTo("true");
              });
    }
  }

  private static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.kubectl().toString());
    command.add("--kubeconfig");
    command.add(RealApiServer.kubeconfigFile().toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }
}
