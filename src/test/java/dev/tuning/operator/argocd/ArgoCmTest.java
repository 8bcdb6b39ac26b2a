package dev.tuning.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * config/argocd/argocd-cm.yaml inlines the .lua files, which are the source of truth: the inlined
 * copies must equal them, as Argo CD parses them (the data values, then the actions value as YAML
 * itself). Regenerate after editing a script: {@code mvn test -Dtest=ArgoCmTest
 * -Dargocd.update=true}.
 */
class ArgoCmTest {

  static final Path CM = ArgoLua.DIR.resolve("argocd-cm.yaml");
  static final String KEY = "tuning.dev_TuningJob";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @BeforeAll
  static void updateWhenAsked() throws IOException {
    if (Boolean.getBoolean("argocd.update")) {
      Files.writeString(CM, render());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void inlinedScriptsEqualTheLuaFiles() throws IOException {
    Map<String, Object> cm = YAML.readValue(Files.readString(CM), Map.class);
    Map<String, String> data = (Map<String, String>) cm.get("data");

    assertThat(data.get("resource.customizations.health." + KEY))
        .as("health.lua inlined in %s; run with -Dargocd.update=true", CM)
        .isEqualTo(ArgoLua.read(ArgoLua.HEALTH));

    Map<String, Object> actions =
        YAML.readValue(data.get("resource.customizations.actions." + KEY), Map.class);
    assertThat(actions).containsOnlyKeys("discovery.lua", "definitions");
    assertThat(actions.get("discovery.lua"))
        .as("discovery.lua inlined in %s; run with -Dargocd.update=true", CM)
        .isEqualTo(ArgoLua.read(ArgoLua.DISCOVERY));
    List<Map<String, String>> definitions = (List<Map<String, String>>) actions.get("definitions");
    assertThat(definitions)
        .extracting(d -> d.get("name"))
        .containsExactlyElementsOf(ArgoLua.ACTIONS);
    for (Map<String, String> definition : definitions) {
      assertThat(definition).containsOnlyKeys("name", "action.lua");
      assertThat(definition.get("action.lua"))
          .as(
              "%s/action.lua inlined in %s; run with -Dargocd.update=true",
              definition.get("name"), CM)
          .isEqualTo(ArgoLua.read(ArgoLua.action(definition.get("name"))));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void isAnArgocdCmPatchThatNeedsNoOpenLibs() throws IOException {
    Map<String, Object> cm = YAML.readValue(Files.readString(CM), Map.class);
    assertThat(cm).containsEntry("apiVersion", "v1").containsEntry("kind", "ConfigMap");
    assertThat((Map<String, Object>) cm.get("metadata")).containsEntry("name", "argocd-cm");
    Map<String, String> data = (Map<String, String>) cm.get("data");
    assertThat(data)
        .containsOnlyKeys(
            "resource.customizations.health." + KEY,
            "resource.customizations.actions." + KEY,
            "resource.customizations.useOpenLibs." + KEY,
            "resource.customizations.ignoreDifferences." + KEY,
            "resource.customizations.ignoreResourceUpdates." + KEY);
    // Only the string library would need useOpenLibs; the scripts never use it (checked in
    // ArgoHealthTest and ArgoActionsTest), so it stays off.
    assertThat(data).containsEntry("resource.customizations.useOpenLibs." + KEY, "false");
    assertThat(
            YAML.readValue(data.get("resource.customizations.ignoreDifferences." + KEY), Map.class))
        .isEqualTo(Map.of("jsonPointers", List.of("/status")));
    assertThat(
            YAML.readValue(
                data.get("resource.customizations.ignoreResourceUpdates." + KEY), Map.class))
        .isEqualTo(Map.of("jsonPointers", List.of("/status/lastSyncTime")));
  }

  @Test
  void everyActionDirectoryIsDefinedAndDiscovered() throws IOException {
    try (Stream<Path> dirs = Files.list(ArgoLua.DIR.resolve("actions"))) {
      assertThat(dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(ArgoLua.ACTIONS);
    }
    assertThat(ArgoActionsTest.discover(ArgoFixtures.toMap(ArgoFixtures.running())).keySet())
        .containsExactlyInAnyOrderElementsOf(ArgoLua.ACTIONS);
  }

  @Test
  void committedFileIsTheRenderedOne() throws IOException {
    assertThat(Files.readString(CM))
        .as("%s is generated; run mvn test -Dtest=ArgoCmTest -Dargocd.update=true", CM)
        .isEqualTo(render());
  }

  static String render() {
    StringBuilder out = new StringBuilder();
    out.append(
        """
        # Argo CD resource customizations for tuning.dev/TuningJob (Tuning Operator).
        # Generated from config/argocd/*.lua by ArgoCmTest; edit the .lua files, then run
        #   mvn test -Dtest=ArgoCmTest -Dargocd.update=true
        # Merge into the existing argocd-cm (do not replace it), e.g.
        #   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file argocd-cm.yaml
        # The scripts need no Lua standard library beyond Argo's defaults (useOpenLibs false).
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: argocd-cm
          namespace: argocd
          labels:
            app.kubernetes.io/name: argocd-cm
            app.kubernetes.io/part-of: argocd
        data:
        """);
    out.append("  resource.customizations.health.").append(KEY).append(": |\n");
    out.append(indent(ArgoLua.read(ArgoLua.HEALTH), 4));
    out.append("  resource.customizations.actions.").append(KEY).append(": |\n");
    out.append("    discovery.lua: |\n");
    out.append(indent(ArgoLua.read(ArgoLua.DISCOVERY), 6));
    out.append("    definitions:\n");
    for (String action : ArgoLua.ACTIONS) {
      out.append("    - name: ").append(action).append('\n');
      out.append("      action.lua: |\n");
      out.append(indent(ArgoLua.read(ArgoLua.action(action)), 8));
    }
    out.append("  resource.customizations.useOpenLibs.").append(KEY).append(": \"false\"\n");
    out.append("  # status belongs to the operator, never to Git: never a diff, whatever\n");
    out.append("  # resource.compareoptions ignoreResourceStatusField says.\n");
    out.append("  resource.customizations.ignoreDifferences.").append(KEY).append(": |\n");
    out.append("    jsonPointers:\n    - /status\n");
    out.append(
        "  # The operator refreshes lastSyncTime every SYNC_HEARTBEAT (5 min) on unchanged\n");
    out.append("  # jobs; that alone changes no health, so it need not refresh the Application\n");
    out.append(
        "  # (used when resource.ignoreResourceUpdatesEnabled is true, the default since 2.x).\n");
    out.append("  resource.customizations.ignoreResourceUpdates.").append(KEY).append(": |\n");
    out.append("    jsonPointers:\n    - /status/lastSyncTime\n");
    return out.toString();
  }

  static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    assertThat(text).as("scripts end with exactly one newline (YAML | keeps one)").endsWith("\n");
    assertThat(text).doesNotEndWith("\n\n");
    return text.lines()
        .map(line -> line.isBlank() ? "" : pad + line)
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
