package dev.tuning.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.it.OperatorRbac;
import dev.tuning.operator.it.RealApiServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * config/default (kustomize) and the chart's defaults install the same operator in substance: the
 * same RBAC, pod and container hardening, probes, ServiceAccount and operator settings.
 */
class ChartKustomizeParityIT {

  static List<HasMetadata> chart;
  static List<HasMetadata> kustomize;

  @BeforeAll
  static void render() throws Exception {
    HelmChartIT.helm = HelmChartIT.locateHelm();
    Files.createDirectories(HelmChartIT.WORK);
    var rendered =
        HelmChartIT.helm(
            List.of(
                "template",
                "tuning-operator",
                HelmChartIT.CHART.toString(),
                "--namespace",
                "tuning-operator-system",
                "--set",
                "replicaCount=2"));
    assertThat(rendered.exit()).as(rendered.output()).isZero();
    chart = parse(rendered.stdout());
    var built =
        HelmChartIT.run(
            new ProcessBuilder(RealApiServer.kubectl().toString(), "kustomize", "config/default"),
            "kubectl kustomize config/default");
    assertThat(built.exit()).as(built.output()).isZero();
    kustomize = parse(built.stdout());
  }

  @Test
  void rbacRulesAreTheSame() {
    assertThat(rules(only(chart, ClusterRole.class).getRules()))
        .isEqualTo(rules(only(kustomize, ClusterRole.class).getRules()));
    assertThat(rules(only(chart, Role.class).getRules()))
        .isEqualTo(rules(only(kustomize, Role.class).getRules()));
    // ... and both are the pinned least-privilege set (RbacRulesTest, RbacIT).
    assertThat(rules(only(chart, ClusterRole.class).getRules()))
        .isEqualTo(new TreeSet<>(OperatorRbac.OPERATOR_RULES));
    assertThat(rules(only(chart, Role.class).getRules()))
        .isEqualTo(new TreeSet<>(OperatorRbac.LEADER_ELECTION_RULES));
  }

  @Test
  void podsAreHardenedAlikeWithTheSameProbesAndSettings() {
    Deployment c = only(chart, Deployment.class);
    Deployment k = only(kustomize, Deployment.class);
    assertThat(c.getSpec().getReplicas()).isEqualTo(k.getSpec().getReplicas());
    PodSpec cp = c.getSpec().getTemplate().getSpec();
    PodSpec kp = k.getSpec().getTemplate().getSpec();
    assertThat(cp.getSecurityContext().getRunAsNonRoot())
        .isEqualTo(kp.getSecurityContext().getRunAsNonRoot());
    assertThat(cp.getSecurityContext().getRunAsUser())
        .isEqualTo(kp.getSecurityContext().getRunAsUser());
    assertThat(cp.getSecurityContext().getSeccompProfile())
        .isEqualTo(kp.getSecurityContext().getSeccompProfile());
    Container cc = cp.getContainers().get(0);
    Container kc = kp.getContainers().get(0);
    assertThat(cc.getSecurityContext().getReadOnlyRootFilesystem())
        .isEqualTo(kc.getSecurityContext().getReadOnlyRootFilesystem());
    assertThat(cc.getSecurityContext().getAllowPrivilegeEscalation())
        .isEqualTo(kc.getSecurityContext().getAllowPrivilegeEscalation());
    assertThat(cc.getSecurityContext().getCapabilities())
        .isEqualTo(kc.getSecurityContext().getCapabilities());
    assertThat(cc.getLivenessProbe().getHttpGet().getPath())
        .isEqualTo(kc.getLivenessProbe().getHttpGet().getPath());
    assertThat(cc.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo(kc.getReadinessProbe().getHttpGet().getPath());
    assertThat(cc.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/tmp");
    assertThat(kc.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/tmp");
    // every setting config/manager makes, the chart makes with the same value
    for (EnvVar e : kc.getEnv()) {
      EnvVar same =
          cc.getEnv().stream()
              .filter(x -> x.getName().equals(e.getName()))
              .findFirst()
              .orElse(null);
      assertThat(same).as("chart sets " + e.getName()).isNotNull();
      if (e.getValue() != null && !e.getName().equals("LEASE_NAME")) {
        assertThat(same.getValue()).as(e.getName()).isEqualTo(e.getValue());
      }
    }
  }

  private static Set<String> rules(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            r ->
                r.getResources().stream()
                    .flatMap(
                        res ->
                            r.getVerbs().stream()
                                .map(
                                    v -> String.join("/", r.getApiGroups()) + ":" + res + ":" + v)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> items, Class<T> type) {
    List<T> matching = items.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as(type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }

  private static List<HasMetadata> parse(String yaml) {
    var serialization = new KubernetesSerialization();
    return serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
