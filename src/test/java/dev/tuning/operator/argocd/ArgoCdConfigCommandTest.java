package dev.tuning.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.operator.argocd.ArgoCdConfigCommand.Action;
import dev.tuning.operator.argocd.ArgoCdConfigCommand.Options;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line and the packaged customizations; the cluster side is ArgoCdConfigIT. */
class ArgoCdConfigCommandTest {

  @Test
  void packagedCustomizationsAreConfigArgocd() throws Exception {
    ConfigMap file =
        Serialization.unmarshal(
            Files.readString(Path.of("config", "argocd", "argocd-cm.yaml")), ConfigMap.class);
    assertThat(ArgoCdCustomizations.data()).isEqualTo(file.getData());
    assertThat(ArgoCdCustomizations.data().keySet())
        .containsExactly(
            "resource.customizations.actions.tuning.dev_TuningJob",
            "resource.customizations.health.tuning.dev_TuningJob",
            "resource.customizations.ignoreDifferences.tuning.dev_TuningJob",
            "resource.customizations.ignoreResourceUpdates.tuning.dev_TuningJob",
            "resource.customizations.useOpenLibs.tuning.dev_TuningJob");
  }

  @Test
  void parsesActionsAndOptions() {
    assertThat(Options.parse(List.of("apply")))
        .isEqualTo(new Options(Action.APPLY, "argocd", "argocd-cm"));
    assertThat(
            Options.parse(
                List.of("remove", "--namespace", "gitops", "--config-map", "argocd-cm-main")))
        .isEqualTo(new Options(Action.REMOVE, "gitops", "argocd-cm-main"));
    assertThat(Options.parse(List.of("print")).action()).isEqualTo(Action.PRINT);
    assertThat(
            Options.parse(
                List.of(
                    "remove", "--best-effort", "--field-manager", "tuning-operator-argocd/ns/r")))
        .isEqualTo(
            new Options(Action.REMOVE, "argocd", "argocd-cm", "tuning-operator-argocd/ns/r", true));
  }

  @Test
  void refusesBadCommandLinesWithClearMessages() {
    assertThatThrownBy(() -> Options.parse(List.of()))
        .hasMessage("missing action: apply, remove or print");
    assertThatThrownBy(() -> Options.parse(List.of("install")))
        .hasMessage("unknown action 'install': expected apply, remove or print");
    assertThatThrownBy(() -> Options.parse(List.of("apply", "--namespace")))
        .hasMessage("missing value after --namespace");
    assertThatThrownBy(() -> Options.parse(List.of("apply", "--force", "true")))
        .hasMessage("unknown option --force");
    assertThatThrownBy(() -> Options.parse(List.of("apply", "--namespace", "Argo_CD")))
        .hasMessage("--namespace 'Argo_CD' is not a valid namespace name");
    assertThatThrownBy(() -> Options.parse(List.of("apply", "--config-map", "-cm")))
        .hasMessage("--config-map '-cm' is not a valid ConfigMap name");
    assertThatThrownBy(() -> Options.parse(List.of("apply", "--best-effort")))
        .hasMessage("--best-effort applies to remove only");
    assertThatThrownBy(() -> Options.parse(List.of("apply", "--field-manager", "a b")))
        .hasMessage("--field-manager must be 1 to 128 printable characters without spaces");
    assertThatThrownBy(() -> Options.parse(List.of("apply", "--field-manager", "x".repeat(129))))
        .hasMessage("--field-manager must be 1 to 128 printable characters without spaces");
  }

  @Test
  void printsThePatchForKubectl() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var command =
        new ArgoCdConfigCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(command.run(null, Options.parse(List.of("print")))).isZero();
    ConfigMap printed =
        Serialization.unmarshal(out.toString(StandardCharsets.UTF_8), ConfigMap.class);
    assertThat(printed.getMetadata().getName()).isEqualTo("argocd-cm");
    assertThat(printed.getMetadata().getNamespace()).isEqualTo("argocd");
    assertThat(printed.getData()).isEqualTo(ArgoCdCustomizations.data());

    out.reset();
    assertThat(
            command.run(
                null,
                Options.parse(List.of("print", "--namespace", "gitops", "--config-map", "cm"))))
        .isZero();
    printed = Serialization.unmarshal(out.toString(StandardCharsets.UTF_8), ConfigMap.class);
    assertThat(printed.getMetadata().getName()).isEqualTo("cm");
    assertThat(printed.getMetadata().getNamespace()).isEqualTo("gitops");
    assertThat(printed.getData()).isEqualTo(ArgoCdCustomizations.data());
    assertThat(err.size()).isZero();
  }
}
