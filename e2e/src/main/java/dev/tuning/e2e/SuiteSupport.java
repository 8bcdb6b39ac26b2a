package dev.tuning.e2e;

import dev.tuning.e2e.emulator.HttpEmulator;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the crash and fault suites share: the operator's environment, mixed OpenAI / Vertex AI
 * TuningJobs, waiting for every job to end, and the verdict. A TuningJob passes when it reached the
 * phase it should (Succeeded, or Failed for a job the emulator fails on purpose) with exactly one
 * provider job carrying its tag; a duplicate is a TuningJob with more than one, a lost one is a
 * TuningJob with none or one that never ended.
 */
final class SuiteSupport {

  /** The verdict of one suite run. */
  record Result(int jobs, int passed, int failed, int duplicates, int lost) {}

  private SuiteSupport() {}

  /** The operator's environment for a suite: one namespace, info logging. */
  static Map<String, String> operatorEnv(E2eEnvironment env, String namespace) {
    Map<String, String> vars = env.operatorEnv();
    vars.put("WATCH_NAMESPACES", namespace);
    vars.put("LOG_LEVEL", "info");
    return vars;
  }

  /**
   * The i-th job, in turn on OpenAI (the namespace's Secret), Vertex AI (ADC) and Amazon Bedrock
   * (the namespace's AWS keys).
   */
  static TuningJob job(String namespace, int i, String trainingMarker) {
    TuningJob job =
        switch (i % 3) {
          case 0 -> TuningJobs.openAi(namespace, "job-" + i);
          case 1 -> TuningJobs.vertex(namespace, "job-" + i);
          default -> TuningJobs.bedrock(namespace, "job-" + i);
        };
    if (job.getSpec().getVertex() != null) {
      job.getSpec().getVertex().setCredentialsSecretRef(null);
    }
    if (trainingMarker != null) {
      String data = job.getSpec().getTrainingData();
      job.getSpec()
          .setTrainingData(
              data.startsWith("gs://") || data.startsWith("s3://")
                  ? data.replace("train", trainingMarker + "-train")
                  : "file-" + trainingMarker + "train");
    }
    return job;
  }

  /** Waits until every TuningJob in the namespace has ended, or the timeout passes. */
  static List<TuningJob> awaitEnded(E2eEnvironment env, String namespace, Duration timeout)
      throws InterruptedException {
    var jobs = env.client().resources(TuningJob.class).inNamespace(namespace);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<TuningJob> items = jobs.list().getItems();
      boolean ended =
          items.stream()
              .allMatch(
                  j ->
                      j.getStatus() != null
                          && j.getStatus().getPhase() != null
                          && j.getStatus().getPhase().isTerminal());
      if (ended || System.nanoTime() > deadline) {
        return items;
      }
      Thread.sleep(500);
    }
  }

  /** Counts provider jobs per TuningJob and prints the verdict; {@code expected} by name. */
  static Result verdict(
      E2eEnvironment env,
      List<TuningJob> items,
      Function<TuningJob, Phase> expected,
      String tag,
      PrintStream out) {
    Map<String, Long> perTag = new TreeMap<>();
    env.openAi().jobsByTag().forEach((k, v) -> perTag.merge(k, v, Long::sum));
    env.vertex().jobsByTag().forEach((k, v) -> perTag.merge(k, v, Long::sum));
    env.bedrock().jobsByTag().forEach((k, v) -> perTag.merge(k, v, Long::sum));
    Map<Long, Integer> histogram = new TreeMap<>();
    int passed = 0;
    int duplicates = 0;
    int lost = 0;
    for (TuningJob job : items) {
      long providerJobs = perTag.getOrDefault(job.getMetadata().getUid(), 0L);
      histogram.merge(providerJobs, 1, Integer::sum);
      Phase phase = job.getStatus() == null ? null : job.getStatus().getPhase();
      if (providerJobs > 1) {
        duplicates++;
        out.printf(
            "[%s] DUPLICATE %s: %d provider jobs%n",
            tag, job.getMetadata().getName(), providerJobs);
      }
      if (providerJobs == 0 || phase == null || !phase.isTerminal()) {
        lost++;
        out.printf(
            "[%s] LOST %s: phase %s, %d provider jobs%n",
            tag, job.getMetadata().getName(), phase, providerJobs);
      }
      if (providerJobs == 1 && phase == expected.apply(job)) {
        passed++;
      } else if (providerJobs == 1) {
        out.printf(
            "[%s] WRONG PHASE %s: %s, expected %s%n",
            tag, job.getMetadata().getName(), phase, expected.apply(job));
      }
    }
    long untagged = perTag.getOrDefault("", 0L);
    out.printf(
        "[%s] TuningJobs: %d; provider jobs: OpenAI %d, Vertex AI %d, Amazon Bedrock %d%n",
        tag,
        items.size(),
        env.openAi().jobsByTag().values().stream().mapToLong(Long::longValue).sum(),
        env.vertex().jobsByTag().values().stream().mapToLong(Long::longValue).sum(),
        env.bedrock().jobsByTag().values().stream().mapToLong(Long::longValue).sum());
    out.printf("[%s] provider jobs per TuningJob: %s (count: TuningJobs)%n", tag, histogram);
    out.printf("[%s] provider jobs without a tag: %d%n", tag, untagged);
    out.printf("[%s] duplicates: %d, lost: %d%n", tag, duplicates, lost);
    int failed = items.size() - passed;
    out.printf("[%s] %d passed, %d failed%n", tag, passed, failed);
    return new Result(items.size(), passed, failed, duplicates, lost);
  }

  /** Every provider's emulator. */
  static List<HttpEmulator> emulators(E2eEnvironment env) {
    return List.of(env.openAi(), env.vertex(), env.bedrock());
  }
}
