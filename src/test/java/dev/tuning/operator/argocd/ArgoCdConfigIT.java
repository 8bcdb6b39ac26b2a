package dev.tuning.operator.argocd;

import static dev.tuning.operator.argocd.ArgoCdConfigMaps.ARGO_INSTALL;
import static dev.tuning.operator.argocd.ArgoCdConfigMaps.ARGO_SETTINGS;
import static dev.tuning.operator.argocd.ArgoCdConfigMaps.withTuningJobKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.argocd.ArgoCdConfigCommand.Options;
import dev.tuning.operator.it.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code argocd-config apply|remove} against the real API server, with an argocd-cm that Argo CD's
 * install already manages: only the TuningJob keys are added, kept and removed, whoever owns the
 * rest.
 */
class ArgoCdConfigIT {

  static KubernetesClient admin;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final ArgoCdConfigCommand command =
      new ArgoCdConfigCommand(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));

  @BeforeAll
  static void connect() {
    admin = RealApiServer.client();
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  @Test
  void shouldMergeOnlyTheTuningJobKeysAndBeIdempotent() {
    String ns = argoNamespace("argocd-merge");
    argoInstall(ns, ARGO_SETTINGS);

    assertThat(run("apply", ns)).as(err()).isZero();
    ConfigMap cm = argocdCm(ns);
    assertThat(cm.getData()).isEqualTo(withTuningJobKeys(ARGO_SETTINGS));
    assertThat(cm.getMetadata().getLabels())
        .as("labels stay Argo's")
        .containsExactlyInAnyOrderEntriesOf(Map.of("app.kubernetes.io/part-of", "argocd"));
    assertThat(out()).contains("now holds the 5 TuningJob keys (5 added, 0 updated, 0 unchanged)");
    assertThat(ownedDataKeys(cm, ArgoCdConfigCommand.FIELD_MANAGER))
        .containsExactlyInAnyOrderElementsOf(ArgoCdCustomizations.data().keySet());
    assertThat(ownedDataKeys(cm, ARGO_INSTALL))
        .containsExactlyInAnyOrderElementsOf(ARGO_SETTINGS.keySet());

    // Again: nothing changes, not even the resourceVersion.
    out.reset();
    assertThat(run("apply", ns)).isZero();
    assertThat(out()).contains("(0 added, 0 updated, 5 unchanged)");
    assertThat(argocdCm(ns).getMetadata().getResourceVersion())
        .isEqualTo(cm.getMetadata().getResourceVersion());

    // Argo's install is re-applied with new settings: the TuningJob keys survive it.
    Map<String, String> upgraded = new HashMap<>(ARGO_SETTINGS);
    upgraded.put("url", "https://argo.example.org");
    upgraded.remove("timeout.reconciliation");
    argoInstall(ns, upgraded);
    assertThat(argocdCm(ns).getData()).isEqualTo(withTuningJobKeys(upgraded));
  }

  @Test
  void shouldRestoreAKeySomeoneChanged() {
    String ns = argoNamespace("argocd-drift");
    argoInstall(ns, ARGO_SETTINGS);
    assertThat(run("apply", ns)).isZero();
    String health = "resource.customizations.health.tuning.dev_TuningJob";
    admin
        .configMaps()
        .inNamespace(ns)
        .withName("argocd-cm")
        .edit(cm -> new ConfigMapBuilder(cm).addToData(health, "return {}").build());

    out.reset();
    assertThat(run("apply", ns)).as(err()).isZero();
    assertThat(out()).contains("(0 added, 1 updated, 4 unchanged)", "updated " + health);
    assertThat(argocdCm(ns).getData()).isEqualTo(withTuningJobKeys(ARGO_SETTINGS));
  }

  @Test
  void shouldRemoveOnlyWhatItAdded() {
    String ns = argoNamespace("argocd-remove");
    argoInstall(ns, ARGO_SETTINGS);
    assertThat(run("apply", ns)).isZero();

    out.reset();
    assertThat(run("remove", ns)).as(err()).isZero();
    assertThat(argocdCm(ns).getData()).isEqualTo(ARGO_SETTINGS);
    assertThat(out()).contains("removed 5 TuningJob keys from " + ns + "/argocd-cm");
    assertThat(ownedDataKeys(argocdCm(ns), ArgoCdConfigCommand.FIELD_MANAGER)).isEmpty();

    out.reset();
    assertThat(run("remove", ns)).isZero();
    assertThat(out()).contains("holds no keys managed by tuning-operator-argocd");
    assertThat(argocdCm(ns).getData()).isEqualTo(ARGO_SETTINGS);
  }

  @Test
  void shouldKeepKeysAnotherManagerAlsoSets() {
    String ns = argoNamespace("argocd-shared");
    // docs/argocd.md's alternative: the keys also live in Argo's own configuration (configs.cm).
    argoInstall(ns, withTuningJobKeys(ARGO_SETTINGS));
    assertThat(run("apply", ns)).isZero();
    assertThat(out()).contains("(0 added, 0 updated, 5 unchanged)");

    out.reset();
    assertThat(run("remove", ns)).isZero();
    assertThat(argocdCm(ns).getData())
        .as("still wanted by Argo's own configuration")
        .isEqualTo(withTuningJobKeys(ARGO_SETTINGS));
    assertThat(out()).contains("removed 0 TuningJob keys", "(also managed by someone else)");
  }

  @Test
  void shouldNeverCreateArgoCdsConfigMap() {
    String ns = argoNamespace("argocd-absent");
    assertThat(run("apply", ns)).isEqualTo(1);
    assertThat(err())
        .contains("ConfigMap " + ns + "/argocd-cm not found. Install Argo CD in this cluster first")
        .doesNotContain("Exception", "\tat ");
    assertThat(argocdCm(ns)).isNull();

    assertThat(run("remove", ns)).isZero();
    assertThat(out()).contains(ns + "/argocd-cm not found; nothing to remove");

    // No namespace at all: the same clear answer.
    err.reset();
    assertThat(run("apply", "no-such-argocd")).isEqualTo(1);
    assertThat(err()).contains("no-such-argocd/argocd-cm not found");
  }

  @Test
  void bestEffortRemoveReportsAFailureButNeverBlocks() {
    // An API server that answers nothing: the remove reports it, names the way out, exits 0.
    Config unreachable =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("https://127.0.0.1:1")
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2_000)
            .build();
    try (KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(unreachable).build()) {
      var remove =
          Options.parse(List.of("remove", "--best-effort", "--field-manager", "mgr/ns/release"));
      assertThat(command.run(nowhere, remove)).isZero();
      assertThat(err())
          .contains(
              "--best-effort: carrying on",
              "argocd-config remove --namespace argocd --config-map argocd-cm --field-manager"
                  + " mgr/ns/release")
          .doesNotContain("\tat ");

      err.reset();
      assertThat(command.run(nowhere, Options.parse(List.of("remove")))).isEqualTo(1);
      assertThat(err()).doesNotContain("carrying on");
    }
  }

  // ---------------------------------------------------------------- helpers

  int run(String action, String ns) {
    return command.run(admin, Options.parse(List.of(action, "--namespace", ns)));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  static String argoNamespace(String name) {
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  static void argoInstall(String ns, Map<String, String> data) {
    ArgoCdConfigMaps.argoInstall(admin, ns, data);
  }

  static ConfigMap argocdCm(String ns) {
    return ArgoCdConfigMaps.argocdCm(admin, ns);
  }

  /** The data keys a field manager owns, from managedFields. */
  @SuppressWarnings("unchecked")
  static List<String> ownedDataKeys(ConfigMap cm, String manager) {
    return cm.getMetadata().getManagedFields().stream()
        .filter(e -> manager.equals(e.getManager()))
        .map(ManagedFieldsEntry::getFieldsV1)
        .filter(f -> f != null && f.getAdditionalProperties().get("f:data") instanceof Map)
        .flatMap(
            f ->
                ((Map<String, Object>) f.getAdditionalProperties().get("f:data")).keySet().stream())
        .map(k -> k.substring(2))
        .toList();
  }
}
