package dev.tuning.operator.it;

import dev.tuning.operator.reconciler.OperatorHarness;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real kube-apiserver + etcd (Fabric8 kube-api-test, binaries built by
 * e2e/bin/build-kube-binaries.sh) shared by all integration tests of a JVM, on loopback.
 */
public final class RealApiServer {

  private static KubeAPIServer server;
  private static String kubeconfig;

  private RealApiServer() {}

  public static synchronized String kubeconfigYaml() {
    if (server == null) {
      server =
          new KubeAPIServer(
              KubeAPIServerConfigBuilder.anAPIServerConfig()
                  .withOfflineMode(true)
                  .withApiServerVersion(version())
                  .withStartupTimeout(180_000)
                  .build());
      server.start();
      kubeconfig = server.getKubeConfigYaml();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-api-test-stop"));
      try (KubernetesClient admin = client()) {
        OperatorHarness.installCrd(admin);
      }
    }
    return kubeconfig;
  }

  /** An admin client (system:masters). */
  public static KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfigYaml()))
        .build();
  }

  /** The kubeconfig written to a file, for kubectl. */
  public static Path kubeconfigFile() {
    try {
      Path file = Path.of("target", "it-kubeconfig.yaml").toAbsolutePath();
      Files.writeString(file, kubeconfigYaml());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates (or keeps) {@code namespace} with the OpenAI Secret the fixtures reference. */
  public static void namespaceWithOpenAiSecret(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .endMetadata()
                .build())
        .serverSideApply();
    client
        .secrets()
        .inNamespace(namespace)
        .resource(dev.tuning.operator.TuningJobs.secret(namespace, "openai", "apiKey", "sk-it"))
        .serverSideApply();
  }

  /** The kubectl built next to the API server. */
  public static Path kubectl() {
    return binaries().resolve("kubectl");
  }

  /**
   * The newest complete binary directory (X.Y.Z-linux-amd64 holding etcd, kube-apiserver and
   * kubectl). Chosen here, not by kube-api-test, so a build in progress is never picked.
   */
  static Path binaries() {
    Path base =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest"),
            "k8s");
    try (Stream<Path> dirs = Files.list(base)) {
      return dirs.filter(d -> d.getFileName().toString().matches("\\d+\\.\\d+\\.\\d+-linux-amd64"))
          .filter(
              d ->
                  Stream.of("etcd", "kube-apiserver", "kubectl")
                      .allMatch(b -> Files.isExecutable(d.resolve(b))))
          .max(Comparator.comparing(RealApiServer::semver))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no kube-apiserver binaries under "
                          + base
                          + ": run e2e/bin/build-kube-binaries.sh (mvn verify does)"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "no " + base + ": run e2e/bin/build-kube-binaries.sh (mvn verify does)", e);
    }
  }

  static String version() {
    return binaries().getFileName().toString().replace("-linux-amd64", "");
  }

  private static long semver(Path dir) {
    String[] p = dir.getFileName().toString().replace("-linux-amd64", "").split("\\.");
    return Long.parseLong(p[0]) * 1_000_000L + Long.parseLong(p[1]) * 1_000L + Long.parseLong(p[2]);
  }
}
