package dev.tuning.e2e;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults;
import dev.tuning.e2e.emulator.Faults.Operation;
import dev.tuning.e2e.emulator.HttpEmulator;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The fault suite: JOBS TuningJobs (default 200, half OpenAI, half Vertex AI, every tenth one a job
 * the emulator fails) while about 20 % of provider calls are faulted: 429 with Retry-After, 5xx
 * before and after a create lands, timeouts, dropped connections before and after a create lands,
 * malformed JSON and temporary 404s for jobs that exist. Every job must reach its true terminal
 * phase with exactly one provider job. Prints provider calls per job and "N passed, N failed".
 *
 * <p>Usage: {@code e2e/bin/fault-suite.sh [JOBS]} (default 200).
 */
public final class FaultSuite {

  static final String NS = "fault-suite";
  static final String FAIL = "doomed";

  private FaultSuite() {}

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    SuiteSupport.Result result = run(jobs, 11L, System.out);
    System.exit(result.failed() == 0 && result.duplicates() == 0 && result.lost() == 0 ? 0 : 1);
  }

  static SuiteSupport.Result run(int count, long seed, PrintStream out) throws Exception {
    var config =
        EmulatorConfig.defaults()
            .withValidating(Duration.ofMillis(500))
            .withQueued(Duration.ofMillis(500))
            .withRunning(Duration.ofSeconds(3))
            .withCancelling(Duration.ofMillis(500));
    long started = System.nanoTime();
    try (var env = new E2eEnvironment(config)) {
      env.namespace(NS);
      for (HttpEmulator emulator : SuiteSupport.emulators(env)) {
        plan(emulator.faults().seed(seed).failJobsContaining(FAIL));
      }
      var jobs = env.client().resources(TuningJob.class).inNamespace(NS);
      try (var operator =
          new OperatorProcess(env.kubeconfig(), SuiteSupport.operatorEnv(env, NS)).start()) {
        operator.awaitReady(Duration.ofMinutes(2));
        for (int i = 0; i < count; i++) {
          jobs.resource(SuiteSupport.job(NS, i, i % 10 == 9 ? FAIL : null)).create();
        }
        List<TuningJob> items = SuiteSupport.awaitEnded(env, NS, Duration.ofMinutes(15));
        int calls =
            SuiteSupport.emulators(env).stream().mapToInt(e -> e.requests().all().size()).sum();
        out.printf(
            "[fault] jobs: %d, provider calls: %d (%.1f per job), elapsed: %.0f s%n",
            count, calls, calls / (double) count, (System.nanoTime() - started) / 1e9);
        return SuiteSupport.verdict(
            env,
            items,
            j -> j.getSpec().getTrainingData().contains(FAIL) ? Phase.Failed : Phase.Succeeded,
            "fault",
            out);
      }
    }
  }

  /** About one call in five faulted, spread over every kind of failure. */
  private static void plan(Faults faults) {
    for (Operation op : List.of(Operation.CREATE, Operation.GET, Operation.LIST)) {
      faults
          .withProbability(op, Fault.rateLimit(1), 0.04)
          .withProbability(op, Fault.serverError(503), 0.03)
          .withProbability(op, Fault.errorAfter(500), 0.03)
          .withProbability(op, Fault.delay(Duration.ofSeconds(8)), 0.02)
          .withProbability(op, Fault.dropConnection(), 0.02)
          .withProbability(op, Fault.dropAfter(), 0.02)
          .withProbability(op, Fault.malformedJson(), 0.02);
    }
    faults.withProbability(Operation.GET, Fault.notFound(), 0.03);
  }
}
