package dev.tuning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.e2e.OperatorProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built jar's command line and its start-up failure, as a user or a kubelet sees them. */
class OperatorCommandIT {

  static final Duration EXIT = Duration.ofMinutes(2);

  @Test
  void shouldExitWithAClearMessageWhenTheApiServerIsUnreachable() throws Exception {
    int closed;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Path kubeconfig = Files.createTempFile("unreachable", ".yaml");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d"}}]
        users: [{name: u, user: {token: not-a-real-token}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """
            .formatted(closed));
    try (var operator = new OperatorProcess(kubeconfig, Map.of()).start()) {
      assertThat(operator.awaitExit(EXIT))
          .as("exits instead of lingering with a dead operator")
          .isEqualTo(1);
      assertThat(operator.logs())
          .contains(
              "Could not start: Error starting operator",
              "[ConnectException] (is the API server reachable, the TuningJob CRD installed and"
                  + " the RBAC applied?)")
          .doesNotContain("not-a-real-token");
    } finally {
      Files.delete(kubeconfig);
    }
  }

  @Test
  void shouldRefuseUnknownCommandsAndPrintUsage() throws Exception {
    Path none = Path.of("target", "no-kubeconfig.yaml");
    try (var unknown = new OperatorProcess(none, Map.of(), List.of("migrate")).start()) {
      assertThat(unknown.awaitExit(EXIT)).isEqualTo(2);
      assertThat(unknown.logs()).contains("unknown command 'migrate'", "argocd-config");
    }
    try (var noAction = new OperatorProcess(none, Map.of(), List.of("argocd-config")).start()) {
      assertThat(noAction.awaitExit(EXIT)).isEqualTo(2);
      assertThat(noAction.logs())
          .contains("argocd-config: missing action", "usage: tuning-operator argocd-config");
    }
  }

  @Test
  void shouldPrintTheArgoCdPatchFromTheJar() throws Exception {
    Path none = Path.of("target", "no-kubeconfig.yaml");
    try (var print =
        new OperatorProcess(none, Map.of(), List.of("argocd-config", "print")).start()) {
      assertThat(print.awaitExit(EXIT)).isZero();
      // The JVM announces JAVA_TOOL_OPTIONS/_JAVA_OPTIONS on stderr if the environment sets them.
      String printed = print.logs().replaceAll("(?m)^Picked up \\S*_OPTIONS: .*\n", "");
      assertThat(printed)
          .as("the jar carries config/argocd/argocd-cm.yaml unchanged")
          .isEqualTo(Files.readString(Path.of("config", "argocd", "argocd-cm.yaml")));
    }
  }
}
