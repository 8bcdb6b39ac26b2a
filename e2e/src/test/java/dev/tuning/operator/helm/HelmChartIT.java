package dev.tuning.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tuning.e2e.E2eEnvironment;
import dev.tuning.e2e.OperatorProcess;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults;
import dev.tuning.operator.OperatorConfig;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.it.OperatorRbac;
import dev.tuning.operator.it.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart with a real helm binary (built by e2e/bin/build-helm.sh) against the real API
 * server: lint, render, server-side dry run, restricted Pod Security, install, and the built
 * operator jar running with nothing but the chart's ServiceAccount and RBAC through a whole
 * TuningJob lifecycle against the OpenAI emulator.
 */
class HelmChartIT {

  static final String SYSTEM_NS = "tuning-operator-system";
  static final Path CHART = Path.of("helm", "tuning-operator").toAbsolutePath();
  static final Path WORK = Path.of("target", "helm-it").toAbsolutePath();
  static final Duration WAIT = Duration.ofMinutes(2);
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Path helm;
  static E2eEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    helm = locateHelm();
    Files.createDirectories(WORK);
    env =
        new E2eEnvironment(
            EmulatorConfig.defaults()
                .withValidating(Duration.ofMillis(500))
                .withQueued(Duration.ofMillis(500))
                .withRunning(Duration.ofSeconds(3)));
    namespace(SYSTEM_NS, Map.of());
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void shouldLintCleanAlsoStrict() throws Exception {
    for (List<String> args :
        List.of(
            List.of("lint", CHART.toString()),
            List.of("lint", "--strict", CHART.toString()),
            List.of(
                "lint",
                "--strict",
                CHART.toString(),
                "--set",
                "watchNamespaces={team-a,team-b}",
                "--set",
                "replicaCount=2",
                "--set",
                "metrics.serviceMonitor.enabled=true",
                "--set",
                "metrics.prometheusRule.enabled=true",
                "--set",
                "defaultCredentials.enabled=true",
                "--set",
                "defaultCredentials.openai.existingSecret=openai-default",
                "--set",
                "defaultCredentials.namespaces={team-a}",
                "--set",
                "defaultCredentials.vertex.projects={my-project}",
                "--set",
                "vertex.externalAccountSecrets.enabled=true",
                "--set",
                "vertex.externalAccountSecrets.urlHosts={sts.example.com}",
                "--set",
                "argocd.enabled=true"))) {
      Result lint = helm(args);
      assertThat(lint.exit()).as(lint.output()).isZero();
      assertThat(lint.output()).contains("1 chart(s) linted, 0 chart(s) failed");
      assertThat(lint.output()).doesNotContain("[WARNING]", "[ERROR]");
    }
  }

  @Test
  void shouldRefuseInvalidValuesWithClearMessages() throws Exception {
    assertRefused(
        List.of("--set", "replicaCount=3", "--set", "leaderElection.enabled=false"),
        "replicaCount is 3 but leaderElection.enabled is false");
    assertRefused(
        List.of(
            "--set",
            "defaultCredentials.enabled=false",
            "--set",
            "defaultCredentials.openai.existingSecret=openai-default"),
        "defaultCredentials.openai.existingSecret is set but defaultCredentials.enabled is false");
    assertRefused(List.of("--set", "unknownKey=1"), "additional properties 'unknownKey'");
    assertRefused(List.of("--set", "image.pullPolicy=Sometimes"), "/image/pullPolicy");
    assertRefused(List.of("--set", "poll.running=1x"), "/poll/running");
    assertRefused(List.of("--set", "watchNamespaces={Team_A}"), "/watchNamespaces/0");
    assertRefused(List.of("--set", "logging.format=xml"), "/logging/format");
    assertRefused(List.of("--set", "argocd.namespace=Argo_CD"), "/argocd/namespace");
    assertRefused(
        List.of("--set", "defaultCredentials.namespaces={Team_A}"),
        "/defaultCredentials/namespaces/0");
    assertRefused(
        List.of("--set", "defaultCredentials.vertex.serviceAccounts={not-an-email}"),
        "/defaultCredentials/vertex/serviceAccounts/0");
    assertRefused(
        List.of("--set", "vertex.externalAccountSecrets.urlHosts={https://sts.example.com}"),
        "/vertex/externalAccountSecrets/urlHosts/0");
    assertRefused(
        List.of("--set", "vertex.externalAccountSecrets.enabled=yes"),
        "/vertex/externalAccountSecrets/enabled");
    // Default credentials on without namespaces is legal: they then serve no namespace.
    assertThat(render("r", SYSTEM_NS, List.of("--set", "defaultCredentials.enabled=true")))
        .isNotEmpty();
    // Several replicas are fine with leader election (the default).
    assertThat(render("r", SYSTEM_NS, List.of("--set", "replicaCount=2"))).isNotEmpty();
  }

  @Test
  void shouldRenderManifestsTheApiServerAccepts() throws Exception {
    namespace("helm-dry-a", Map.of());
    namespace("helm-dry-b", Map.of());
    Result defaults =
        kubectlApplyDryRun("dry-default", renderText("dry", SYSTEM_NS, List.of("--include-crds")));
    assertThat(defaults.output())
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/tuningjobs.tuning.dev",
            "serviceaccount/dry-tuning-operator",
            "clusterrole.rbac.authorization.k8s.io/dry-tuning-operator",
            "clusterrolebinding.rbac.authorization.k8s.io/dry-tuning-operator",
            "role.rbac.authorization.k8s.io/dry-tuning-operator-leader-election",
            "rolebinding.rbac.authorization.k8s.io/dry-tuning-operator-leader-election",
            "service/dry-tuning-operator-metrics",
            "deployment.apps/dry-tuning-operator");

    List<String> namespaced =
        List.of(
            "--set",
            "watchNamespaces={helm-dry-a,helm-dry-b}",
            "--set",
            "defaultCredentials.enabled=true",
            "--set",
            "defaultCredentials.namespaces={helm-dry-a}",
            "--set",
            "defaultCredentials.openai.existingSecret=openai-default",
            "--set",
            "serviceAccount.annotations.iam\\.gke\\.io/gcp-service-account=op@p.iam.gserviceaccount.com",
            "--set",
            "replicaCount=2",
            "--set",
            "podAnnotations.example\\.com/team=ml",
            "--set",
            "nodeSelector.kubernetes\\.io/os=linux",
            "--set",
            "extraEnv[0].name=GCE_METADATA_HOST",
            "--set",
            "extraEnv[0].value=169.254.169.254");
    Result watched = kubectlApplyDryRun("dry-namespaced", renderText("dry", SYSTEM_NS, namespaced));
    assertThat(watched.output())
        .contains(
            "role.rbac.authorization.k8s.io/dry-tuning-operator",
            "rolebinding.rbac.authorization.k8s.io/dry-tuning-operator",
            "deployment.apps/dry-tuning-operator")
        .doesNotContain("clusterrole");
    assertThat(
            render("dry", SYSTEM_NS, namespaced).stream()
                .filter(d -> d.path("kind").asText().equals("Role"))
                .map(d -> d.path("metadata").path("namespace").asText())
                .toList())
        .containsExactlyInAnyOrder("helm-dry-a", "helm-dry-b", SYSTEM_NS);

    // Monitoring resources render as Prometheus Operator kinds (their CRDs are not on this server).
    List<JsonNode> monitoring =
        render(
            "dry",
            SYSTEM_NS,
            List.of(
                "--set",
                "metrics.serviceMonitor.enabled=true",
                "--set",
                "metrics.prometheusRule.enabled=true"));
    JsonNode monitor = kind(monitoring, "ServiceMonitor");
    assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    JsonNode service = kind(monitoring, "Service");
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    assertThat(alerts(monitoring).keySet())
        .containsExactly(
            "TuningJobsFailing", "TuningProviderRateLimited", "TuningOperatorReconcileErrors");
    assertThat(render("dry", SYSTEM_NS, List.of()).stream().map(d -> d.path("kind").asText()))
        .as("monitoring is off by default")
        .doesNotContain("ServiceMonitor", "PrometheusRule");
  }

  @Test
  void shouldRenderAPodThatMeetsRestrictedPodSecurity() throws Exception {
    String ns = "helm-restricted";
    namespace(
        ns,
        Map.of(
            "pod-security.kubernetes.io/enforce", "restricted",
            "pod-security.kubernetes.io/enforce-version", "latest"));
    Deployment deployment = deployment(render("psa", ns, List.of()));
    try (KubernetesClient admin = RealApiServer.client()) {
      admin
          .serviceAccounts()
          .inNamespace(ns)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                  .endMetadata()
                  .build())
          .serverSideApply();
      Pod pod =
          new PodBuilder()
              .withMetadata(deployment.getSpec().getTemplate().getMetadata())
              .editMetadata()
              .withName("operator-psa")
              .withNamespace(ns)
              .endMetadata()
              .withSpec(deployment.getSpec().getTemplate().getSpec())
              .build();
      Pod accepted = admin.pods().inNamespace(ns).resource(pod).dryRun().create();
      assertThat(accepted.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(65532L);

      // The namespace really enforces "restricted": the same pod, weakened, is refused.
      Pod weakened =
          new PodBuilder(pod)
              .editSpec()
              .editFirstContainer()
              .editSecurityContext()
              .withAllowPrivilegeEscalation(true)
              .endSecurityContext()
              .endContainer()
              .endSpec()
              .build();
      var refused =
          catchThrowableOfType(
              KubernetesClientException.class,
              () -> admin.pods().inNamespace(ns).resource(weakened).dryRun().create());
      assertThat(refused).isNotNull();
      assertThat(refused.getMessage()).contains("violates PodSecurity", "allowPrivilegeEscalation");
    }
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/tmp") && m.getName().equals("tmp"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);
  }

  @Test
  void shouldConfigureTheOperatorThroughValues() throws Exception {
    // Defaults: the operator's own defaults, plus leader election on with the Lease here, and
    // operator-wide credentials off.
    Map<String, String> defaults = literalEnv(deployment(render("cfg", SYSTEM_NS, List.of())));
    assertThat(OperatorConfig.fromEnv(defaults))
        .isEqualTo(
            OperatorConfig.fromEnv(
                Map.of(
                    "LEADER_ELECTION", "true",
                    "LEASE_NAMESPACE", SYSTEM_NS,
                    "DEFAULT_CREDENTIALS", "false",
                    "GOOGLE_EXTERNAL_ACCOUNT_SECRETS", "false")));
    assertThat(defaults)
        .containsEntry(
            "JAVA_TOOL_OPTIONS",
            "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75"
                + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+ExitOnOutOfMemoryError")
        .containsEntry("DEFAULT_CREDENTIALS", "false")
        .containsEntry("GOOGLE_EXTERNAL_ACCOUNT_SECRETS", "false")
        .doesNotContainKeys(
            "OPENAI_API_KEY",
            "WATCH_NAMESPACES",
            "LABEL_SELECTOR",
            "DEFAULT_CREDENTIALS_NAMESPACES",
            "OPENAI_DEFAULT_ORGANIZATIONS",
            "OPENAI_DEFAULT_PROJECTS",
            "VERTEX_DEFAULT_PROJECTS",
            "VERTEX_DEFAULT_SERVICE_ACCOUNTS",
            "GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS");
    // Values of an older chart (helm upgrade --reuse-values) lack the newer keys: same result.
    assertThat(
            literalEnv(
                deployment(
                    render(
                        "cfg",
                        SYSTEM_NS,
                        List.of(
                            "--set", "defaultCredentials.namespaces=null",
                            "--set", "defaultCredentials.openai.organizations=null",
                            "--set", "defaultCredentials.openai.projects=null",
                            "--set", "defaultCredentials.vertex=null",
                            "--set", "vertex.externalAccountSecrets=null")))))
        .isEqualTo(defaults);

    Deployment custom =
        deployment(
            render(
                "cfg",
                SYSTEM_NS,
                List.of(
                    "--set", "watchNamespaces={team-a,team-b}",
                    "--set", "labelSelector=tuning.dev/shard=a",
                    "--set", "poll.running=2m",
                    "--set", "openai.endpointAllowlist={my.openai.azure.com}",
                    "--set", "defaultCredentials.enabled=true",
                    "--set", "defaultCredentials.namespaces={team-a,team-b}",
                    "--set", "defaultCredentials.openai.existingSecret=openai-default",
                    "--set", "defaultCredentials.openai.key=token",
                    "--set", "defaultCredentials.openai.organizations={org-a,org-b}",
                    "--set", "defaultCredentials.openai.projects={proj_a}",
                    "--set", "defaultCredentials.vertex.projects={project-a,project-b}",
                    "--set",
                        "defaultCredentials.vertex.serviceAccounts="
                            + "{tuner@project-a.iam.gserviceaccount.com}",
                    "--set", "vertex.externalAccountSecrets.enabled=true",
                    "--set",
                        "vertex.externalAccountSecrets.urlHosts={sts.example.com,*.idp.example.com}",
                    "--set", "leaderElection.leaseName=shard-a",
                    "--set", "reconcileThreads=4",
                    "--set", "image.tag=1.2.3",
                    "--set", "javaToolOptions=")));
    Map<String, String> customEnv = literalEnv(custom);
    assertThat(customEnv)
        .containsEntry("DEFAULT_CREDENTIALS", "true")
        .containsEntry("DEFAULT_CREDENTIALS_NAMESPACES", "team-a,team-b")
        .containsEntry("OPENAI_DEFAULT_ORGANIZATIONS", "org-a,org-b")
        .containsEntry("OPENAI_DEFAULT_PROJECTS", "proj_a")
        .containsEntry("VERTEX_DEFAULT_PROJECTS", "project-a,project-b")
        .containsEntry("VERTEX_DEFAULT_SERVICE_ACCOUNTS", "tuner@project-a.iam.gserviceaccount.com")
        .containsEntry("GOOGLE_EXTERNAL_ACCOUNT_SECRETS", "true")
        .containsEntry("GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS", "sts.example.com,*.idp.example.com");
    OperatorConfig config = OperatorConfig.fromEnv(customEnv);
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(config.labelSelector()).contains("tuning.dev/shard=a");
    assertThat(config.intervals().running()).isEqualTo(Duration.ofMinutes(2));
    assertThat(
            dev.tuning.operator.provider.openai.OpenAiProvider.Settings.fromEnv(
                    new dev.tuning.operator.config.Env(customEnv), config.defaultCredentials())
                .allowedEndpointHosts())
        .containsExactly("my.openai.azure.com");
    assertThat(config.leaseName()).isEqualTo("shard-a");
    assertThat(config.reconcileThreads()).isEqualTo(4);
    var container = custom.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("tuning-operator:1.2.3");
    assertThat(container.getEnv()).noneMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS"));
    var key =
        container.getEnv().stream().filter(e -> e.getName().equals("OPENAI_API_KEY")).findFirst();
    assertThat(key).isPresent();
    assertThat(key.get().getValue()).as("never a key value in the manifest").isNull();
    assertThat(key.get().getValueFrom().getSecretKeyRef().getName()).isEqualTo("openai-default");
    assertThat(key.get().getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(
            container.getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
                .collect(
                    Collectors.toMap(
                        e -> e.getName(), e -> e.getValueFrom().getFieldRef().getFieldPath())))
        .containsEntry("POD_NAME", "metadata.name")
        .containsEntry("POD_NAMESPACE", "metadata.namespace");
  }

  @Test
  void shouldRunTheOperatorWithTheChartRbacAndNoMore() throws Exception {
    String release = "helm-it";
    String jobs = "helm-it-jobs";
    env.namespace(jobs);
    Result install =
        helmInstall(
            release,
            List.of(
                "--set", "image.tag=it",
                "--set", "leaderElection.leaseName=helm-it-lock",
                "--set",
                    "serviceAccount.annotations.iam\\.gke\\.io/gcp-service-account="
                        + "tuning-operator@my-project.iam.gserviceaccount.com"));
    try (KubernetesClient admin = RealApiServer.client()) {
      String sa = release + "-tuning-operator";
      assertThat(
              admin
                  .serviceAccounts()
                  .inNamespace(SYSTEM_NS)
                  .withName(sa)
                  .get()
                  .getMetadata()
                  .getAnnotations())
          .containsEntry(
              "iam.gke.io/gcp-service-account",
              "tuning-operator@my-project.iam.gserviceaccount.com");
      ClusterRole role = admin.rbac().clusterRoles().withName(sa).get();
      assertThat((JsonNode) YAML.valueToTree(role.getRules()))
          .isEqualTo(YAML.readTree(Path.of("config", "rbac", "role.yaml").toFile()).get("rules"));
      assertThat(admin.rbac().clusterRoleBindings().withName(sa).get()).isNotNull();
      Deployment deployment = admin.apps().deployments().inNamespace(SYSTEM_NS).withName(sa).get();
      assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("tuning-operator:it");
      assertThat(admin.services().inNamespace(SYSTEM_NS).withName(sa + "-metrics").get())
          .isNotNull();

      KubernetesClient operatorClient = serviceAccountClient(admin, sa);
      Path kubeconfig = serviceAccountKubeconfig(admin, sa);
      try (operatorClient;
          OperatorProcess operator =
              new OperatorProcess(kubeconfig, operatorEnv(deployment, release)).start()) {
        operator.awaitReady(WAIT);
        // Leader election through the chart's leader-election Role: acquired, then renewed.
        await("lease helm-it-lock held by the operator")
            .atMost(WAIT)
            .until(() -> leaseHolder(admin, "helm-it-lock"), (release + "-pod")::equals);
        var acquired = lease(admin, "helm-it-lock").getSpec().getRenewTime();
        await("lease helm-it-lock renewed")
            .atMost(WAIT)
            .until(
                () -> lease(admin, "helm-it-lock").getSpec().getRenewTime(),
                renewed -> renewed.isAfter(acquired.plusSeconds(2)));

        env.openAi().faults().enqueue(Faults.Operation.CREATE, Fault.rateLimit(1));
        var tj = admin.resources(TuningJob.class).inNamespace(jobs);
        tj.resource(TuningJobs.openAi(jobs, "ok")).create();
        TuningJob failing = TuningJobs.openAi(jobs, "failing");
        failing.getSpec().setTrainingData("file-fail-helm");
        tj.resource(failing).create();
        await("ok Succeeded, failing Failed")
            .atMost(WAIT)
            .until(
                () ->
                    phase(tj.withName("ok").get()) == Phase.Succeeded
                        && phase(tj.withName("failing").get()) == Phase.Failed);
        await("Events written")
            .atMost(WAIT)
            .until(() -> !admin.v1().events().inNamespace(jobs).list().getItems().isEmpty());

        // Least privilege: Secrets by name, never listed; exactly the pinned rules, nothing else.
        var forbidden =
            catchThrowableOfType(
                KubernetesClientException.class,
                () -> operatorClient.secrets().inNamespace(jobs).list());
        assertThat(forbidden).isNotNull();
        assertThat(forbidden.getCode()).isEqualTo(403);
        assertThat(operatorClient.secrets().inNamespace(jobs).withName("openai").get()).isNotNull();
        assertThat(OperatorRbac.allowed(operatorClient, jobs))
            .isEqualTo(new TreeSet<>(OperatorRbac.OPERATOR_RULES));

        // Every metric the chart's alerts use is one the operator exports.
        String metrics = operator.metrics();
        Set<String> used = alertMetricNames();
        // JOSDK creates the failure counter on the first failed reconcile: check its name against
        // JOSDK's own constants and its exported sibling instead.
        assertThat(used.remove(josdkFailedCounter())).isTrue();
        assertThat(metrics).containsPattern("(?m)^operator_sdk_reconciliations_success_total\\{");
        for (String name : used) {
          assertThat(metrics)
              .as("metric %s in /metrics", name)
              .containsPattern("(?m)^" + name + "\\{");
        }

        tj.withName("ok").delete();
        tj.withName("failing").delete();
        await("finalizers released")
            .atMost(WAIT)
            .until(() -> tj.withName("ok").get() == null && tj.withName("failing").get() == null);
        assertThat(operator.isAlive()).as("still leading, still running").isTrue();
        assertThat(operator.logs()).as("no request refused by RBAC").doesNotContain("forbidden");
      }
      Result uninstall =
          helm(
              List.of(
                  "uninstall",
                  release,
                  "-n",
                  SYSTEM_NS,
                  "--kubeconfig",
                  RealApiServer.kubeconfigFile().toString()));
      assertThat(uninstall.exit()).as(uninstall.output()).isZero();
      assertThat(admin.rbac().clusterRoles().withName(sa).get()).isNull();
      assertThat(admin.serviceAccounts().inNamespace(SYSTEM_NS).withName(sa).get()).isNull();
    }
    assertThat(install.output()).contains("STATUS: deployed", "kubectl get tj -A");
  }

  @Test
  void shouldGrantOnlyTheWatchedNamespaces() throws Exception {
    String release = "helm-ns";
    List<String> watched = List.of("helm-ns-a", "helm-ns-b");
    String unwatched = "helm-ns-other";
    for (String ns : List.of("helm-ns-a", "helm-ns-b", unwatched)) {
      env.namespace(ns);
    }
    helmInstall(
        release,
        List.of(
            "--set", "watchNamespaces={" + String.join(",", watched) + "}",
            "--set", "leaderElection.leaseName=helm-ns-lock",
            "--set", "image.tag=it"));
    String name = release + "-tuning-operator";
    try (KubernetesClient admin = RealApiServer.client()) {
      assertThat(
              namespacedNames(
                  admin
                      .rbac()
                      .roles()
                      .inAnyNamespace()
                      .withLabel("app.kubernetes.io/instance", release)
                      .list()
                      .getItems()))
          .containsExactlyInAnyOrder(
              "helm-ns-a/" + name,
              "helm-ns-b/" + name,
              SYSTEM_NS + "/" + name + "-leader-election");
      assertThat(
              namespacedNames(
                  admin
                      .rbac()
                      .roleBindings()
                      .inAnyNamespace()
                      .withLabel("app.kubernetes.io/instance", release)
                      .list()
                      .getItems()))
          .containsExactlyInAnyOrder(
              "helm-ns-a/" + name,
              "helm-ns-b/" + name,
              SYSTEM_NS + "/" + name + "-leader-election");
      assertThat(
              admin
                  .rbac()
                  .clusterRoles()
                  .withLabel("app.kubernetes.io/instance", release)
                  .list()
                  .getItems())
          .isEmpty();
      assertThat(
              admin
                  .rbac()
                  .clusterRoleBindings()
                  .withLabel("app.kubernetes.io/instance", release)
                  .list()
                  .getItems())
          .isEmpty();

      Deployment deployment =
          admin.apps().deployments().inNamespace(SYSTEM_NS).withName(name).get();
      KubernetesClient operatorClient = serviceAccountClient(admin, name);
      try (operatorClient;
          OperatorProcess operator =
              new OperatorProcess(
                      serviceAccountKubeconfig(admin, name), operatorEnv(deployment, release))
                  .start()) {
        operator.awaitReady(WAIT);
        var other = admin.resources(TuningJob.class).inNamespace(unwatched);
        other.resource(TuningJobs.openAi(unwatched, "ignored")).create();
        var mine = admin.resources(TuningJob.class).inNamespace("helm-ns-b");
        mine.resource(TuningJobs.openAi("helm-ns-b", "watched")).create();
        await("watched job Succeeded")
            .atMost(WAIT)
            .until(() -> phase(mine.withName("watched").get()) == Phase.Succeeded);
        TuningJob ignored = other.withName("ignored").get();
        assertThat(phase(ignored))
            .as("a job outside the watched namespaces is left alone")
            .isNull();
        assertThat(ignored.getMetadata().getFinalizers()).isEmpty();
        assertThat(operator.logs()).doesNotContain(unwatched);

        var clusterWide =
            catchThrowableOfType(
                KubernetesClientException.class,
                () -> operatorClient.resources(TuningJob.class).inAnyNamespace().list());
        assertThat(clusterWide).isNotNull();
        assertThat(clusterWide.getCode()).isEqualTo(403);
        var otherSecret =
            catchThrowableOfType(
                KubernetesClientException.class,
                () -> operatorClient.secrets().inNamespace(unwatched).withName("openai").get());
        assertThat(otherSecret).isNotNull();
        assertThat(otherSecret.getCode()).isEqualTo(403);
        assertThat(operatorClient.secrets().inNamespace("helm-ns-a").withName("openai").get())
            .isNotNull();

        mine.withName("watched").delete();
        await().atMost(WAIT).until(() -> mine.withName("watched").get() == null);
        other.withName("ignored").delete();
        assertThat(operator.logs()).as("no request refused by RBAC").doesNotContain("forbidden");
      }
      Result uninstall =
          helm(
              List.of(
                  "uninstall",
                  release,
                  "-n",
                  SYSTEM_NS,
                  "--kubeconfig",
                  RealApiServer.kubeconfigFile().toString()));
      assertThat(uninstall.exit()).as(uninstall.output()).isZero();
      assertThat(admin.rbac().roles().inNamespace("helm-ns-a").withName(name).get()).isNull();
    }
  }

  /**
   * A namespaced install (watchNamespaces) gives its ServiceAccount Secrets `get` in the watched
   * namespace and in no other: not in another tenant's namespace, not in the release namespace
   * (where the operator-wide key lives, read by the kubelet through secretKeyRef), not
   * cluster-wide. Asked of the API server's authorizer as the ServiceAccount's own token, and tried
   * for real.
   */
  @Test
  void shouldReadSecretsOnlyInTheWatchedNamespace() throws Exception {
    String release = "helm-sec";
    String watched = "helm-sec-a";
    String other = "helm-sec-b";
    env.namespace(watched);
    env.namespace(other);
    helmInstall(
        release,
        List.of(
            "--set", "watchNamespaces={" + watched + "}",
            "--set", "leaderElection.leaseName=helm-sec-lock",
            "--set", "image.tag=it"));
    String name = release + "-tuning-operator";
    try (KubernetesClient admin = RealApiServer.client();
        KubernetesClient operatorClient = serviceAccountClient(admin, name)) {
      admin
          .secrets()
          .inNamespace(SYSTEM_NS)
          .resource(TuningJobs.secret(SYSTEM_NS, "helm-sec-operator-key", "apiKey", "sk-operator"))
          .serverSideApply();

      assertThat(OperatorRbac.allowed(operatorClient, watched))
          .as("in the watched namespace: the operator's rules")
          .isEqualTo(new TreeSet<>(OperatorRbac.OPERATOR_RULES))
          .contains(":secrets:get");
      assertThat(OperatorRbac.allowed(operatorClient, other))
          .as("in another namespace: nothing")
          .isEmpty();
      assertThat(OperatorRbac.allowed(operatorClient, "")).as("cluster-wide: nothing").isEmpty();
      assertThat(OperatorRbac.allowed(operatorClient, SYSTEM_NS))
          .as("in the release namespace: its Lease only, no Secrets")
          .isEqualTo(new TreeSet<>(OperatorRbac.LEADER_ELECTION_RULES));

      assertThat(operatorClient.secrets().inNamespace(watched).withName("openai").get())
          .isNotNull();
      for (String namespace : List.of(other, SYSTEM_NS)) {
        String secret = namespace.equals(SYSTEM_NS) ? "helm-sec-operator-key" : "openai";
        assertThat(admin.secrets().inNamespace(namespace).withName(secret).get())
            .as("%s/%s exists", namespace, secret)
            .isNotNull();
        var refused =
            catchThrowableOfType(
                KubernetesClientException.class,
                () -> operatorClient.secrets().inNamespace(namespace).withName(secret).get());
        assertThat(refused).as("get %s/%s", namespace, secret).isNotNull();
        assertThat(refused.getCode()).isEqualTo(403);
      }
      var listed =
          catchThrowableOfType(
              KubernetesClientException.class,
              () -> operatorClient.secrets().inNamespace(watched).list());
      assertThat(listed).isNotNull();
      assertThat(listed.getCode()).isEqualTo(403);

      Result uninstall =
          helm(
              List.of(
                  "uninstall",
                  release,
                  "-n",
                  SYSTEM_NS,
                  "--kubeconfig",
                  RealApiServer.kubeconfigFile().toString()));
      assertThat(uninstall.exit()).as(uninstall.output()).isZero();
      admin.secrets().inNamespace(SYSTEM_NS).withName("helm-sec-operator-key").delete();
    }
  }

  // ---------------------------------------------------------------- helpers

  record Result(int exit, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  /**
   * The helm binary: $HELM_BIN, else the cache path e2e/bin/build-helm.sh writes to. The build runs
   * that script before the integration tests; this test never builds helm itself.
   */
  static Path locateHelm() throws IOException {
    String explicit = System.getenv("HELM_BIN");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException("HELM_BIN=" + explicit + " is not an executable file");
      }
      return p;
    }
    String version = System.getenv("HELM_VERSION");
    if (version == null || version.isBlank()) {
      Matcher m =
          Pattern.compile("(?m)^readonly DEFAULT_HELM_VERSION=([0-9.]+)$")
              .matcher(Files.readString(Path.of("e2e", "bin", "build-helm.sh")));
      if (!m.find()) {
        throw new IllegalStateException("no DEFAULT_HELM_VERSION in e2e/bin/build-helm.sh");
      }
      version = m.group(1);
    }
    version = version.startsWith("v") ? version.substring(1) : version;
    String cache = System.getenv("HELM_CACHE");
    if (cache == null || cache.isBlank()) {
      String xdg = System.getenv("XDG_CACHE_HOME");
      cache =
          (xdg == null || xdg.isBlank() ? System.getProperty("user.home") + "/.cache" : xdg)
              + "/tuning-operator";
    }
    Path p = Path.of(cache, "helm-" + version, "helm");
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(
          "helm "
              + version
              + " not found at "
              + p
              + ": run `bash e2e/bin/build-helm.sh` (the Maven build runs it before the"
              + " integration tests), or set HELM_BIN to a helm 3 binary");
    }
    return p;
  }

  static Result helm(List<String> args) throws IOException, InterruptedException {
    if (helm == null) {
      helm = locateHelm();
      Files.createDirectories(WORK);
    }
    List<String> command = new ArrayList<>();
    command.add(helm.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    // Helm's own state (repositories, cache) stays under target/.
    pb.environment().put("HELM_CACHE_HOME", WORK.resolve("home/cache").toString());
    pb.environment().put("HELM_CONFIG_HOME", WORK.resolve("home/config").toString());
    pb.environment().put("HELM_DATA_HOME", WORK.resolve("home/data").toString());
    return run(pb, "helm " + String.join(" ", args));
  }

  /** Runs a command; stdout and stderr are kept apart (rendered YAML is stdout only). */
  static Result run(ProcessBuilder pb, String what) throws IOException, InterruptedException {
    Path err = Files.createTempFile(WORK, "stderr", ".txt");
    try {
      Process p = pb.redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(what + " timed out: " + out + Files.readString(err));
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  static String renderText(String release, String namespace, List<String> extra)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(List.of("template", release, CHART.toString(), "-n", namespace));
    args.addAll(extra);
    Result r = helm(args);
    assertThat(r.exit()).as(r.output()).isZero();
    return r.stdout();
  }

  static List<JsonNode> render(String release, String namespace, List<String> extra)
      throws IOException, InterruptedException {
    List<JsonNode> docs = new ArrayList<>();
    try (var it =
        new YAMLMapper()
            .readerFor(JsonNode.class)
            .<JsonNode>readValues(renderText(release, namespace, extra))) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject() && doc.has("kind")) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
  }

  static Deployment deployment(List<JsonNode> docs) {
    return Serialization.unmarshal(kind(docs, "Deployment").toString(), Deployment.class);
  }

  static void assertRefused(List<String> set, String message) throws Exception {
    List<String> args = new ArrayList<>(List.of("template", "bad", CHART.toString()));
    args.addAll(set);
    Result r = helm(args);
    assertThat(r.exit()).as("helm template %s should fail", set).isNotZero();
    assertThat(r.output()).contains(message);
  }

  static Result kubectlApplyDryRun(String name, String manifests)
      throws IOException, InterruptedException {
    Path file = WORK.resolve(name + ".yaml");
    Files.writeString(file, manifests);
    Result r =
        run(
            new ProcessBuilder(
                RealApiServer.kubectl().toString(),
                "--kubeconfig",
                RealApiServer.kubeconfigFile().toString(),
                "apply",
                "--server-side",
                "--force-conflicts",
                "--field-manager=helm-chart-it",
                "--dry-run=server",
                "-f",
                file.toString()),
            "kubectl apply --server-side --dry-run=server -f " + file);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.stderr()).as("kubectl warnings").isEmpty();
    long documents = Pattern.compile("(?m)^kind: ").matcher(manifests).results().count();
    assertThat(r.stdout().lines().filter(l -> l.endsWith("(server dry run)")))
        .as("every document accepted")
        .hasSize((int) documents);
    return r;
  }

  static void namespace(String name, Map<String, String> labels) {
    try (KubernetesClient admin = RealApiServer.client()) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(labels)
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
  }

  static Result helmInstall(String release, List<String> set) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "install",
                release,
                CHART.toString(),
                "-n",
                SYSTEM_NS,
                "--create-namespace",
                "--kubeconfig",
                RealApiServer.kubeconfigFile().toString()));
    args.addAll(set);
    Result r = helm(args);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("STATUS: deployed");
    return r;
  }

  /** The alert names and expressions of a rendered PrometheusRule. */
  static Map<String, String> alerts(List<JsonNode> docs) {
    Map<String, String> alerts = new LinkedHashMap<>();
    for (JsonNode group : kind(docs, "PrometheusRule").at("/spec/groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
      }
    }
    return alerts;
  }

  /** Metric names used by the chart's alerts (identifiers followed by a label matcher). */
  static Set<String> alertMetricNames() throws Exception {
    List<JsonNode> docs =
        render("m", SYSTEM_NS, List.of("--set", "metrics.prometheusRule.enabled=true"));
    Set<String> names = new TreeSet<>();
    for (String expr : alerts(docs).values()) {
      Matcher m = Pattern.compile("([a-z_][a-z0-9_]*)\\{").matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    assertThat(names)
        .contains(
            "tuning_jobs",
            "tuning_provider_rate_limited_total",
            "operator_sdk_reconciliations_failed_total");
    return names;
  }

  /**
   * The Prometheus name of JOSDK's failed-reconciliations counter, from the constants of JOSDK's
   * micrometer-support (the Micrometer name "operator.sdk.reconciliations.failed" becomes
   * operator_sdk_reconciliations_failed_total).
   */
  static String josdkFailedCounter() throws ReflectiveOperationException {
    Class<?> metrics = MicrometerMetrics.class;
    var prefix = metrics.getDeclaredField("PREFIX");
    var failed = metrics.getDeclaredField("RECONCILIATIONS_FAILED");
    prefix.setAccessible(true);
    failed.setAccessible(true);
    String micrometer = (String) prefix.get(null) + failed.get(null);
    assertThat(micrometer).isEqualTo("operator.sdk.reconciliations.failed");
    return micrometer.replace('.', '_') + "_total";
  }

  /** Literal env of the operator container (valueFrom entries are resolved by the kubelet). */
  static Map<String, String> literalEnv(Deployment deployment) {
    Map<String, String> env = new HashMap<>();
    for (var e : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
      }
    }
    return env;
  }

  /**
   * The installed Deployment's environment, as the pod would get it, with the provider endpoints
   * pointed at the emulators (loopback) and fast polling. HTTP_PORT is left to OperatorProcess,
   * which picks a free port.
   */
  static Map<String, String> operatorEnv(Deployment deployment, String release) {
    Map<String, String> env = literalEnv(deployment);
    env.remove("HTTP_PORT");
    env.put("POD_NAME", release + "-pod");
    env.put("POD_NAMESPACE", deployment.getMetadata().getNamespace());
    String defaultCredentials = env.get("DEFAULT_CREDENTIALS");
    env.putAll(HelmChartIT.env.operatorEnv());
    // The chart's choice, not the e2e default: operator-wide credentials stay off.
    env.put("DEFAULT_CREDENTIALS", defaultCredentials);
    assertThat(env)
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("DEFAULT_CREDENTIALS", "false")
        .containsKey("JAVA_TOOL_OPTIONS");
    return env;
  }

  static String token(KubernetesClient admin, String serviceAccount) {
    return admin
        .serviceAccounts()
        .inNamespace(SYSTEM_NS)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /**
   * A kubeconfig with the API server's address and CA and a TokenRequest token of the chart's
   * ServiceAccount: exactly what the pod would authenticate with.
   */
  static Path serviceAccountKubeconfig(KubernetesClient admin, String serviceAccount)
      throws IOException {
    Config adminConfig = admin.getConfiguration();
    String ca = adminConfig.getCaCertData();
    if (ca == null || ca.isBlank()) {
      ca =
          Base64.getEncoder()
              .encodeToString(Files.readAllBytes(Path.of(adminConfig.getCaCertFile())));
    }
    ObjectNode kubeconfig = YAML.createObjectNode();
    kubeconfig.put("apiVersion", "v1").put("kind", "Config").put("current-context", "operator");
    ObjectNode cluster = kubeconfig.putArray("clusters").addObject().put("name", "real");
    cluster
        .putObject("cluster")
        .put("server", adminConfig.getMasterUrl())
        .put("certificate-authority-data", ca);
    ObjectNode user = kubeconfig.putArray("users").addObject().put("name", serviceAccount);
    user.putObject("user").put("token", token(admin, serviceAccount));
    ObjectNode context = kubeconfig.putArray("contexts").addObject().put("name", "operator");
    context
        .putObject("context")
        .put("cluster", "real")
        .put("user", serviceAccount)
        .put("namespace", SYSTEM_NS);
    Path file = WORK.resolve(serviceAccount + "-kubeconfig.yaml");
    Files.writeString(file, YAML.writeValueAsString(kubeconfig));
    return file;
  }

  static KubernetesClient serviceAccountClient(KubernetesClient admin, String serviceAccount)
      throws IOException {
    String yaml = Files.readString(serviceAccountKubeconfig(admin, serviceAccount));
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
  }

  static Lease lease(KubernetesClient admin, String name) {
    return admin.leases().inNamespace(SYSTEM_NS).withName(name).get();
  }

  static String leaseHolder(KubernetesClient admin, String name) {
    Lease lease = lease(admin, name);
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  static Phase phase(TuningJob job) {
    return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
  }

  static List<String> namespacedNames(List<? extends HasMetadata> items) {
    return items.stream()
        .map(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName())
        .toList();
  }
}
