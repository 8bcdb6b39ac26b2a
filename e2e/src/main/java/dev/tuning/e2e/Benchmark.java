package dev.tuning.e2e;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Applies N TuningJobs (default 1000, spread in turn over the providers named, by default OpenAI,
 * Vertex AI and Amazon Bedrock) against the real API server and the emulators and prints: time
 * until all are Submitted and until all Succeeded, the operator's peak RSS and heap, provider calls
 * per job, and the time a bare Fabric8 client takes to write N status updates on the same server,
 * with the ratio. Asserts nothing.
 *
 * <p>Arguments: {@code [N] [PROVIDERS]}, PROVIDERS a comma-separated list of {@code openai}, {@code
 * vertex} and {@code bedrock} (default all three); {@code 1000 openai,vertex} is the half-and-half
 * run of the figures measured before Bedrock was added.
 */
public final class Benchmark {

  private static final String NS = "bench";
  private static final List<String> PROVIDERS = List.of("openai", "vertex", "bedrock");
  private static final Pattern HEAP =
      Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"\\} ([0-9.E+]+)");

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    List<String> providers =
        args.length > 1
            ? Arrays.stream(args[1].split(",")).map(String::trim).distinct().toList()
            : PROVIDERS;
    if (providers.isEmpty() || !PROVIDERS.containsAll(providers)) {
      throw new IllegalArgumentException("PROVIDERS must name some of " + PROVIDERS);
    }
    var config =
        EmulatorConfig.defaults()
            .withValidating(Duration.ofSeconds(1))
            .withQueued(Duration.ofSeconds(2))
            .withRunning(Duration.ofSeconds(10))
            .withCancelling(Duration.ofSeconds(1));
    try (var env = new E2eEnvironment(config)) {
      env.namespace(NS);
      var operatorEnv = env.operatorEnv();
      operatorEnv.put("WATCH_NAMESPACES", NS);
      operatorEnv.put("POLL_RUNNING", "5s");
      operatorEnv.put("POLL_QUEUED", "2s");
      operatorEnv.put("POLL_SUBMITTING", "2s");
      operatorEnv.put("LOG_LEVEL", "info");
      try (var operator = new OperatorProcess(env.kubeconfig(), operatorEnv).start()) {
        operator.awaitReady(Duration.ofMinutes(2));
        KubernetesClient client = env.client();
        var jobs = client.resources(TuningJob.class).inNamespace(NS);
        System.out.printf("[bench] applying %d TuningJobs%n", n);
        long start = System.nanoTime();
        parallel(
            n, i -> jobs.resource(job(providers.get(i % providers.size()), "job-" + i)).create());
        double applied = seconds(start);
        double submitted = -1;
        double succeeded;
        long peakHeap = 0;
        while (true) {
          List<TuningJob> items = jobs.list().getItems();
          long withId =
              items.stream()
                  .filter(j -> j.getStatus() != null && j.getStatus().getJobId() != null)
                  .count();
          long done =
              items.stream()
                  .filter(j -> j.getStatus() != null && j.getStatus().getPhase() == Phase.Succeeded)
                  .count();
          peakHeap = Math.max(peakHeap, heap(operator));
          if (submitted < 0 && withId == n) {
            submitted = seconds(start);
          }
          if (done == n) {
            succeeded = seconds(start);
            break;
          }
          if (seconds(start) > 1800) {
            throw new IllegalStateException("not finished after 30 min: " + done + "/" + n);
          }
          Thread.sleep(500);
        }
        long rssKb = peakRssKb(operator.pid());
        int calls =
            env.openAi().requests().all().size()
                + env.vertex().requests().all().size()
                + env.bedrock().requests().all().size();
        int tokenCalls =
            env.vertex().count("GET", ".*computeMetadata.*") + env.vertex().count("POST", "/token");

        // Baseline: a bare Fabric8 client writing one status update per resource.
        List<TuningJob> items = jobs.list().getItems();
        long base = System.nanoTime();
        parallel(
            items.size(),
            i -> {
              TuningJob j = items.get(i);
              j.getStatus().setLastSyncTime(java.time.Instant.now().toString());
              client.resource(j).updateStatus();
            });
        double bare = seconds(base);

        System.out.printf(
            "[bench] jobs: %d (%s), emulator job time ~13 s%n", n, shares(providers, n));
        System.out.printf("[bench] create requests accepted by the API server: %.1f s%n", applied);
        System.out.printf("[bench] all Submitted (jobId in status): %.1f s%n", submitted);
        System.out.printf("[bench] all Succeeded: %.1f s%n", succeeded);
        System.out.printf(
            "[bench] operator peak RSS: %.0f MiB, peak heap used: %.0f MiB%n",
            rssKb / 1024.0, peakHeap / 1048576.0);
        System.out.printf(
            "[bench] provider calls: %d (%.2f per job, of which %d token/metadata)%n",
            calls, calls / (double) n, tokenCalls);
        System.out.printf(
            "[bench] bare Fabric8 client, %d status updates: %.1f s%n", items.size(), bare);
        System.out.printf(
            "[bench] ratio all-Submitted / bare status writes: %.2f%n", submitted / bare);
        jobs.delete();
      }
    }
    System.exit(0);
  }

  /** A job on {@code provider}: OpenAI and Bedrock with the namespace's Secrets, Vertex on ADC. */
  private static TuningJob job(String provider, String name) {
    return switch (provider) {
      case "openai" -> TuningJobs.openAi(NS, name);
      case "bedrock" -> TuningJobs.bedrock(NS, name);
      case "vertex" -> {
        TuningJob job = TuningJobs.vertex(NS, name);
        job.getSpec().getVertex().setCredentialsSecretRef(null);
        yield job;
      }
      default -> throw new IllegalArgumentException("unknown provider " + provider);
    };
  }

  /** "openai 334, vertex 333, bedrock 333": how many of the n jobs each provider gets. */
  static String shares(List<String> providers, int n) {
    List<String> parts = new ArrayList<>();
    for (int p = 0; p < providers.size(); p++) {
      int count = n / providers.size() + (p < n % providers.size() ? 1 : 0);
      parts.add(providers.get(p) + " " + count);
    }
    return String.join(", ", parts);
  }

  interface Work {
    void run(int i) throws Exception;
  }

  private static void parallel(int n, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  work.run(index);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static long heap(OperatorProcess operator) {
    try {
      var m = HEAP.matcher(operator.metrics());
      long sum = 0;
      while (m.find()) {
        sum += (long) Double.parseDouble(m.group(1));
      }
      return sum;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** VmHWM: the process's peak resident set size. */
  private static long peakRssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
