package dev.tuning.e2e;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults.Operation;
import dev.tuning.e2e.emulator.HttpEmulator;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The crash suite: the operator process is SIGKILLed at random points while TuningJobs are being
 * submitted, with the emulators answering creates late (the job exists at once, the answer comes 3
 * s later) and landing creates late (job and answer only after the operator's 6 s call timeout),
 * then restarted; after the last kill the operator finishes the work. Prints kill points, jobs,
 * provider jobs per TuningJob, duplicates and lost jobs, and ends with "N passed, N failed".
 *
 * <p>Usage: {@code e2e/bin/crash-suite.sh [KILLS]} (default 200).
 */
public final class CrashSuite {

  static final String NS = "crash-suite";

  private CrashSuite() {}

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    SuiteSupport.Result result = run(kills, 7L, System.out);
    System.exit(result.failed() == 0 && result.duplicates() == 0 && result.lost() == 0 ? 0 : 1);
  }

  static SuiteSupport.Result run(int kills, long seed, PrintStream out) throws Exception {
    var config =
        EmulatorConfig.defaults()
            .withValidating(Duration.ofMillis(300))
            .withQueued(Duration.ofMillis(300))
            .withRunning(Duration.ofSeconds(2))
            .withCancelling(Duration.ofMillis(300));
    Random random = new Random(seed);
    long started = System.nanoTime();
    try (var env = new E2eEnvironment(config)) {
      env.namespace(NS);
      for (HttpEmulator emulator : SuiteSupport.emulators(env)) {
        emulator
            .faults()
            .seed(seed)
            .withProbability(Operation.CREATE, Fault.replyLate(Duration.ofSeconds(3)), 0.3)
            .withProbability(Operation.CREATE, Fault.delay(Duration.ofSeconds(8)), 0.25);
      }
      var vars = SuiteSupport.operatorEnv(env, NS);
      var jobs = env.client().resources(TuningJob.class).inNamespace(NS);
      int created = 0;
      for (int k = 0; k < kills; k++) {
        try (var operator = new OperatorProcess(env.kubeconfig(), vars).start()) {
          // Jobs arrive while the operator starts, and while it submits.
          for (int n = 1 + random.nextInt(2); n > 0; n--) {
            jobs.resource(SuiteSupport.job(NS, created++, null)).create();
          }
          operator.awaitReady(Duration.ofMinutes(2));
          Thread.sleep(random.nextInt(4000));
          operator.kill();
        }
        if ((k + 1) % 10 == 0) {
          out.printf("[crash] %d/%d kill points, %d TuningJobs%n", k + 1, kills, created);
        }
      }
      for (HttpEmulator emulator : SuiteSupport.emulators(env)) {
        emulator.faults().clear();
      }
      List<TuningJob> items;
      try (var operator = new OperatorProcess(env.kubeconfig(), vars).start()) {
        operator.awaitReady(Duration.ofMinutes(2));
        items = SuiteSupport.awaitEnded(env, NS, Duration.ofMinutes(10));
      }
      out.printf(
          "[crash] kill points: %d, elapsed: %.0f s%n", kills, (System.nanoTime() - started) / 1e9);
      return SuiteSupport.verdict(env, items, j -> Phase.Succeeded, "crash", out);
    }
  }
}
