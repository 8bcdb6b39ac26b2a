package dev.tuning.operator.helm;

import static dev.tuning.operator.argocd.ArgoCdConfigMaps.ARGO_SETTINGS;
import static dev.tuning.operator.argocd.ArgoCdConfigMaps.withTuningJobKeys;
import static dev.tuning.operator.helm.HelmChartIT.SYSTEM_NS;
import static dev.tuning.operator.helm.HelmChartIT.YAML;
import static dev.tuning.operator.helm.HelmChartIT.helm;
import static dev.tuning.operator.helm.HelmChartIT.kubectlApplyDryRun;
import static dev.tuning.operator.helm.HelmChartIT.namespace;
import static dev.tuning.operator.helm.HelmChartIT.render;
import static dev.tuning.operator.helm.HelmChartIT.renderText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.operator.argocd.ArgoCdConfigCommand;
import dev.tuning.operator.argocd.ArgoCdConfigMaps;
import dev.tuning.operator.helm.HelmChartIT.Result;
import dev.tuning.operator.it.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's Argo CD integration ({@code argocd.enabled}) with a real helm against the real API
 * server: hook Jobs that run the operator image's {@code argocd-config apply} after install and
 * upgrade and {@code remove} before uninstall, with RBAC that exists only while they run and allows
 * only get and patch on Argo CD's ConfigMap. {@link HookJobRunner} runs the Jobs' container (the
 * built jar) with the Job's ServiceAccount token, since this API server has no nodes.
 */
class ArgoCdHookIT {

  static final String COMPONENT = "app.kubernetes.io/component";

  static KubernetesClient admin;

  @BeforeAll
  static void start() {
    admin = RealApiServer.client();
    namespace(SYSTEM_NS, Map.of());
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  @Test
  void shouldRenderLeastPrivilegeHooksOnlyWhenEnabled() throws Exception {
    assertThat(render("argo", SYSTEM_NS, List.of()))
        .as("off by default")
        .noneMatch(d -> d.at("/metadata/labels").path(COMPONENT).asText().equals("argocd-config"));
    // `helm upgrade --reuse-values` from a chart that had no argocd values renders without them.
    assertThat(render("argo", SYSTEM_NS, List.of("--set", "argocd=null")))
        .as("values without an argocd block")
        .isNotEmpty()
        .noneMatch(d -> d.at("/metadata/labels").path(COMPONENT).asText().equals("argocd-config"));

    namespace("gitops", Map.of());
    List<String> enabled =
        List.of(
            "--set", "argocd.enabled=true",
            "--set", "argocd.namespace=gitops",
            "--set", "argocd.configMap=argocd-cm",
            "--set", "image.tag=1.2.3");
    List<JsonNode> docs = render("argo", SYSTEM_NS, enabled);
    List<JsonNode> hooks =
        docs.stream()
            .filter(d -> d.at("/metadata/labels").path(COMPONENT).asText().equals("argocd-config"))
            .toList();
    assertThat(hooks)
        .extracting(d -> d.path("kind").asText() + " " + namespacedName(d))
        .containsExactlyInAnyOrder(
            "ServiceAccount " + SYSTEM_NS + "/argo-tuning-operator-argocd-config",
            "Role gitops/argo-tuning-operator-argocd-config",
            "RoleBinding gitops/argo-tuning-operator-argocd-config",
            "Job " + SYSTEM_NS + "/argo-tuning-operator-argocd-config",
            "Job " + SYSTEM_NS + "/argo-tuning-operator-argocd-config-remove");
    for (JsonNode hook : hooks) {
      JsonNode annotations = hook.at("/metadata/annotations");
      assertThat(annotations.path("helm.sh/hook-delete-policy").asText())
          .isEqualTo("before-hook-creation,hook-succeeded");
      String events = annotations.path("helm.sh/hook").asText();
      if (hook.path("kind").asText().equals("Job")) {
        assertThat(annotations.path("helm.sh/hook-weight").asText()).isEqualTo("0");
        assertThat(events)
            .isEqualTo(
                hook.at("/metadata/name").asText().endsWith("-remove")
                    ? "pre-delete"
                    : "post-install,post-upgrade,post-rollback");
      } else {
        assertThat(annotations.path("helm.sh/hook-weight").asText())
            .as("RBAC before the Jobs")
            .isEqualTo("-10");
        assertThat(events).isEqualTo("post-install,post-upgrade,post-rollback,pre-delete");
      }
    }
    JsonNode role = HelmChartIT.kind(hooks, "Role");
    assertThat(role.path("rules"))
        .isEqualTo(
            YAML.readTree(
                """
                - apiGroups: [""]
                  resources: ["configmaps"]
                  resourceNames: ["argocd-cm"]
                  verbs: ["get", "patch"]
                """));
    JsonNode binding = HelmChartIT.kind(hooks, "RoleBinding");
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(SYSTEM_NS);
    assertThat(binding.at("/subjects/0/name").asText())
        .isEqualTo("argo-tuning-operator-argocd-config");

    // The Jobs run the operator's own image, hardened like the operator's pod.
    Deployment deployment = HelmChartIT.deployment(docs);
    var operatorPod = deployment.getSpec().getTemplate().getSpec();
    for (Job job : jobs(hooks)) {
      var pod = job.getSpec().getTemplate().getSpec();
      var container = pod.getContainers().get(0);
      assertThat(container.getImage()).isEqualTo("tuning-operator:1.2.3");
      boolean remove = job.getMetadata().getName().endsWith("-remove");
      List<String> args =
          new ArrayList<>(
              List.of(
                  ArgoCdConfigCommand.NAME,
                  remove ? "remove" : "apply",
                  "--namespace",
                  "gitops",
                  "--config-map",
                  "argocd-cm",
                  "--field-manager",
                  "tuning-operator-argocd/" + SYSTEM_NS + "/argo"));
      if (remove) {
        args.add("--best-effort");
      }
      assertThat(container.getArgs()).isEqualTo(args);
      assertThat(job.getSpec().getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues())
          .as("refusals are not retried")
          .containsExactly(1, 2);
      assertThat(pod.getServiceAccountName()).isEqualTo("argo-tuning-operator-argocd-config");
      assertThat(pod.getRestartPolicy()).isEqualTo("Never");
      assertThat(pod.getSecurityContext()).isEqualTo(operatorPod.getSecurityContext());
      assertThat(container.getSecurityContext())
          .isEqualTo(operatorPod.getContainers().get(0).getSecurityContext());
      assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(240L);
      assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
      assertThat(pod.getContainers().get(0).getResources().getLimits()).containsKey("memory");
      assertThat(
              job.getSpec()
                  .getTemplate()
                  .getMetadata()
                  .getLabels()
                  .entrySet()
                  .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()))
          .as("never selected by the operator's metrics Service")
          .isFalse();

      // The pod passes an enforced "restricted" Pod Security namespace.
      String restricted = "argo-hook-restricted";
      namespace(
          restricted,
          Map.of(
              "pod-security.kubernetes.io/enforce", "restricted",
              "pod-security.kubernetes.io/enforce-version", "latest"));
      Pod dryRun =
          new PodBuilder()
              .withNewMetadata()
              .withName(job.getMetadata().getName())
              .withNamespace(restricted)
              .endMetadata()
              .withSpec(pod)
              .editSpec()
              .withServiceAccountName("default")
              .endSpec()
              .build();
      assertThat(admin.pods().inNamespace(restricted).resource(dryRun).dryRun().create())
          .isNotNull();
    }

    // Every rendered document, hooks included, is accepted by the API server.
    Result applied = kubectlApplyDryRun("argo-enabled", renderText("argo", SYSTEM_NS, enabled));
    assertThat(applied.output())
        .contains(
            "role.rbac.authorization.k8s.io/argo-tuning-operator-argocd-config",
            "job.batch/argo-tuning-operator-argocd-config-remove");
  }

  @Test
  void shouldAddTheCustomizationsOnInstallAndUpgradeAndRemoveThemOnUninstall() throws Exception {
    String release = "helm-argo";
    String argo = "argocd";
    namespace(argo, Map.of());
    ArgoCdConfigMaps.argoInstall(admin, argo, ARGO_SETTINGS);
    admin
        .configMaps()
        .inNamespace(argo)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("argocd-rbac-cm")
                .endMetadata()
                .addToData("policy.csv", "")
                .build())
        .serverSideApply();

    // What the hook's ServiceAccount may do, probed while its RBAC exists.
    Map<String, Integer> probes = new ConcurrentHashMap<>();
    try (var runner =
        new HookJobRunner(
            admin,
            SYSTEM_NS,
            release,
            (job, kubeconfig) -> {
              try (KubernetesClient hook =
                  new KubernetesClientBuilder()
                      .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                      .build()) {
                var cms = hook.configMaps().inNamespace(argo);
                probes.put("get argocd-cm", code(() -> cms.withName("argocd-cm").get()));
                probes.put("get argocd-rbac-cm", code(() -> cms.withName("argocd-rbac-cm").get()));
                probes.put("list configmaps", code(() -> cms.list()));
                probes.put("list secrets", code(() -> hook.secrets().inNamespace(argo).list()));
                probes.put(
                    "create configmap",
                    code(
                        () ->
                            cms.resource(
                                    new ConfigMapBuilder()
                                        .withNewMetadata()
                                        .withName("argocd-cm-2")
                                        .endMetadata()
                                        .build())
                                .create()));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })) {
      Result install =
          helm(
              kubeconfigArgs(
                  "install",
                  release,
                  "--set",
                  "argocd.enabled=true",
                  "--set",
                  "image.tag=it",
                  "--set",
                  "leaderElection.leaseName=helm-argo-lock"));
      assertThat(install.exit()).as(install.output()).isZero();
      assertThat(install.output()).contains("Argo CD: the TuningJob health check");
      assertThat(runner.failures()).isEmpty();
      assertThat(runner.runs()).hasSize(1);
      var apply = runner.runs().get(0);
      assertThat(apply.args())
          .containsExactly(
              "argocd-config",
              "apply",
              "--namespace",
              argo,
              "--config-map",
              "argocd-cm",
              "--field-manager",
              "tuning-operator-argocd/" + SYSTEM_NS + "/" + release);
      assertThat(apply.exit()).as(apply.logs()).isZero();
      assertThat(apply.logs()).contains("(5 added, 0 updated, 0 unchanged)");
      assertThat(argocdCm(argo).getData()).isEqualTo(withTuningJobKeys(ARGO_SETTINGS));

      assertThat(probes)
          .containsEntry("get argocd-cm", 200)
          .containsEntry("get argocd-rbac-cm", 403)
          .containsEntry("list configmaps", 403)
          .containsEntry("list secrets", 403)
          .containsEntry("create configmap", 403);

      // hook-succeeded: the Job and the hook's RBAC are gone once the hook succeeded.
      awaitHooksGone(release, argo);

      // An upgrade applies again: nothing to change.
      Result upgrade =
          helm(
              kubeconfigArgs("upgrade", release, "--reuse-values", "--set", "logging.level=debug"));
      assertThat(upgrade.exit()).as(upgrade.output()).isZero();
      assertThat(runner.runs()).hasSize(2);
      assertThat(runner.runs().get(1).logs()).contains("(0 added, 0 updated, 5 unchanged)");
      awaitHooksGone(release, argo);

      Result uninstall = helm(kubeconfigArgs("uninstall", release));
      assertThat(uninstall.exit()).as(uninstall.output()).isZero();
      assertThat(runner.runs()).hasSize(3);
      var remove = runner.runs().get(2);
      assertThat(remove.args()).contains("remove");
      assertThat(remove.exit()).as(remove.logs()).isZero();
      assertThat(remove.logs()).contains("removed 5 TuningJob keys from argocd/argocd-cm");
      assertThat(argocdCm(argo).getData()).as("Argo's settings only").isEqualTo(ARGO_SETTINGS);
      awaitHooksGone(release, argo);
      assertThat(runner.failures()).isEmpty();
    }
  }

  @Test
  void shouldFailTheInstallClearlyWithoutArgoCdAndStillUninstall() throws Exception {
    String release = "helm-noargo";
    String argo = "argocd-missing-cm";
    namespace(argo, Map.of());
    try (var runner = new HookJobRunner(admin, SYSTEM_NS, release, (job, kubeconfig) -> {})) {
      Result install =
          helm(
              kubeconfigArgs(
                  "install",
                  release,
                  "--set",
                  "argocd.enabled=true",
                  "--set",
                  "argocd.namespace=" + argo,
                  "--set",
                  "leaderElection.leaseName=helm-noargo-lock"));
      assertThat(install.exit()).as(install.output()).isNotZero();
      assertThat(install.output())
          .contains("post-install", "helm-noargo-tuning-operator-argocd-config");
      assertThat(runner.runs()).hasSize(1);
      var apply = runner.runs().get(0);
      assertThat(apply.exit()).isEqualTo(1);
      assertThat(apply.logs())
          .contains(
              "ConfigMap " + argo + "/argocd-cm not found. Install Argo CD in this cluster first")
          .doesNotContain("Exception", "\tat ");
      assertThat(admin.configMaps().inNamespace(argo).withName("argocd-cm").get())
          .as("never created")
          .isNull();
      assertThat(
              admin
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(SYSTEM_NS)
                  .withName("helm-noargo-tuning-operator-argocd-config")
                  .get())
          .as("a failed hook Job is kept for kubectl logs")
          .isNotNull();
      String hook = release + "-tuning-operator-argocd-config";
      await("the hook's RBAC deleted after the failure")
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  admin.serviceAccounts().inNamespace(SYSTEM_NS).withName(hook).get() == null
                      && admin.rbac().roles().inNamespace(argo).withName(hook).get() == null
                      && admin.rbac().roleBindings().inNamespace(argo).withName(hook).get()
                          == null);

      // Uninstalling the failed release is never stuck on Argo CD's absence.
      Result uninstall = helm(kubeconfigArgs("uninstall", release));
      assertThat(uninstall.exit()).as(uninstall.output()).isZero();
      assertThat(runner.runs()).hasSize(2);
      assertThat(runner.runs().get(1).exit()).isZero();
      assertThat(runner.runs().get(1).logs()).contains("not found; nothing to remove");
      assertThat(runner.failures()).isEmpty();
    }
  }

  @Test
  void shouldKeepTheKeysWhileAnotherReleaseStillWantsThem() throws Exception {
    String argo = "argocd-shards";
    namespace(argo, Map.of());
    ArgoCdConfigMaps.argoInstall(admin, argo, ARGO_SETTINGS);
    List<String> shard =
        List.of("--set", "argocd.enabled=true", "--set", "argocd.namespace=" + argo);
    try (var a = new HookJobRunner(admin, SYSTEM_NS, "shard-a", (job, kubeconfig) -> {});
        var b = new HookJobRunner(admin, SYSTEM_NS, "shard-b", (job, kubeconfig) -> {})) {
      for (String release : List.of("shard-a", "shard-b")) {
        List<String> args = new ArrayList<>(shard);
        args.addAll(List.of("--set", "leaderElection.leaseName=" + release + "-lock"));
        Result install = helm(kubeconfigArgs("install", release, args.toArray(String[]::new)));
        assertThat(install.exit()).as(install.output()).isZero();
      }
      assertThat(argocdCm(argo).getData()).isEqualTo(withTuningJobKeys(ARGO_SETTINGS));

      // Sharded operators: uninstalling one release keeps what the other still co-owns.
      Result first = helm(kubeconfigArgs("uninstall", "shard-a"));
      assertThat(first.exit()).as(first.output()).isZero();
      assertThat(a.runs().get(a.runs().size() - 1).logs())
          .contains("removed 0 TuningJob keys", "(also managed by someone else)");
      assertThat(argocdCm(argo).getData()).isEqualTo(withTuningJobKeys(ARGO_SETTINGS));

      Result last = helm(kubeconfigArgs("uninstall", "shard-b"));
      assertThat(last.exit()).as(last.output()).isZero();
      assertThat(b.runs().get(b.runs().size() - 1).logs()).contains("removed 5 TuningJob keys");
      assertThat(argocdCm(argo).getData()).isEqualTo(ARGO_SETTINGS);
      assertThat(a.failures()).isEmpty();
      assertThat(b.failures()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- helpers

  static List<String> kubeconfigArgs(String verb, String release, String... more) {
    List<String> args = new ArrayList<>(List.of(verb, release));
    if (!verb.equals("uninstall")) {
      args.add(HelmChartIT.CHART.toString());
    }
    args.addAll(
        List.of(
            "-n",
            SYSTEM_NS,
            "--kubeconfig",
            RealApiServer.kubeconfigFile().toString(),
            "--timeout",
            "3m"));
    args.addAll(List.of(more));
    return args;
  }

  static ConfigMap argocdCm(String ns) {
    return ArgoCdConfigMaps.argocdCm(admin, ns);
  }

  static void awaitHooksGone(String release, String argoNamespace) {
    String name = release + "-tuning-operator-argocd-config";
    await(name + " hook resources deleted")
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                admin.batch().v1().jobs().inNamespace(SYSTEM_NS).withName(name).get() == null
                    && admin
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(SYSTEM_NS)
                            .withName(name + "-remove")
                            .get()
                        == null
                    && admin.serviceAccounts().inNamespace(SYSTEM_NS).withName(name).get() == null
                    && admin.rbac().roles().inNamespace(argoNamespace).withName(name).get() == null
                    && admin.rbac().roleBindings().inNamespace(argoNamespace).withName(name).get()
                        == null);
  }

  /** The HTTP status of a request: 200 when it succeeds. */
  static int code(Supplier<Object> request) {
    try {
      request.get();
      return 200;
    } catch (KubernetesClientException e) {
      return e.getCode();
    }
  }

  static List<Job> jobs(List<JsonNode> docs) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals("Job"))
        .map(d -> Serialization.unmarshal(d.toString(), Job.class))
        .toList();
  }

  static String namespacedName(JsonNode doc) {
    return doc.at("/metadata/namespace").asText() + "/" + doc.at("/metadata/name").asText();
  }
}
