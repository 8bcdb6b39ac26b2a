package dev.tuning.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built operator ({@code target/tuning-operator.jar}) as a separate process, as users run it:
 * configured by environment variables, probed on /readyz, stopped with SIGTERM or killed with
 * SIGKILL.
 */
public final class OperatorProcess implements AutoCloseable {

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Path kubeconfig;
  private final Map<String, String> env;
  private final List<String> args;
  private final int port;
  private final Path log;
  private List<String> jvmOptions = List.of("-Xmx512m");
  private Process process;

  public OperatorProcess(Path kubeconfig, Map<String, String> env) {
    this(kubeconfig, env, List.of());
  }

  /** The jar with command-line arguments, e.g. {@code argocd-config apply}. */
  public OperatorProcess(Path kubeconfig, Map<String, String> env, List<String> args) {
    this.kubeconfig = kubeconfig;
    this.env = new HashMap<>(env);
    this.args = List.copyOf(args);
    this.port = freePort();
    String run = ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    this.log = Path.of("target", "e2e-logs", "operator-" + run + ".log");
    // Leader election is on by default; unrelated operators of one test run must not share a
    // Lease (they would wait for each other), unless a test names one on purpose.
    this.env.putIfAbsent("LEASE_NAME", "tuning-operator-e2e-" + run);
    this.env.putIfAbsent("LEASE_NAMESPACE", "default");
  }

  /**
   * The JVM options the process starts with instead of the default {@code -Xmx512m}, e.g. the
   * chart's {@code javaToolOptions}; call before {@link #start()}.
   */
  public OperatorProcess withJvmOptions(List<String> options) {
    this.jvmOptions = List.copyOf(options);
    return this;
  }

  public static Path jar() {
    Path jar = Path.of("target", "tuning-operator.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package first");
    }
    return jar;
  }

  /** Fast intervals so end-to-end runs finish in seconds; the logic is the production one. */
  public static Map<String, String> fastPolling() {
    return Map.of(
        "POLL_SUBMITTING", "500ms",
        "POLL_QUEUED", "500ms",
        "POLL_RUNNING", "1s",
        "POLL_CANCELLING", "500ms",
        "RETRY_BASE", "500ms",
        "RETRY_MAX", "5s");
  }

  public OperatorProcess start() {
    try {
      Files.createDirectories(log.getParent());
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(jvmOptions);
      command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
      command.addAll(args);
      var pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
      pb.environment().put("HTTP_PORT", Integer.toString(port));
      pb.environment().putAll(env);
      process = pb.start();
      // Never leave an operator behind when a test or the demo ends abnormally.
      Process started = process;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(started::destroyForcibly, "operator-process-cleanup"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until /readyz answers 200 (informers synced). */
  public OperatorProcess awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    var readyz =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    org.awaitility.Awaitility.await("operator /readyz")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("operator exited: " + logs());
              }
              try {
                return http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode()
                    == 200;
              } catch (IOException notListeningYet) {
                return false;
              }
            });
    return this;
  }

  /** The operator's /metrics text. */
  public String metrics() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs, as when a node dies. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait for a graceful stop. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("operator still running after " + timeout + ": " + logs());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String logs() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(logs unreadable: " + e.getMessage() + ")";
    }
  }

  public Path logFile() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (isAlive()) {
      stop();
    }
  }

  static int freePort() {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> env(Map<String, String> m) {
    return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
