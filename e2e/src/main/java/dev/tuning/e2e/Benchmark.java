package dev.tuning.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults;
import dev.tuning.e2e.emulator.OpenAiEmulator;
import dev.tuning.e2e.emulator.RecordedRequest;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.reconciler.TuningJobReconciler;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale benchmark: one real API server for the whole run, the emulators, and one operator
 * process per phase (never two at once), each started with the Helm chart's JVM settings ({@code
 * javaToolOptions} of {@code helm/tuning-operator/values.yaml} plus {@code -XX:MaxRAM=} the chart's
 * {@code resources.limits.memory}, standing for the container limit). Every figure is printed as
 * {@code [bench] <figure>: <value> (before: ..., goal: ...)} beside its same-run baseline where
 * there is one, and a summary table (figure | this run | before | goal) and the machine end the
 * run. It asserts nothing; a phase that fails prints what it measured and the run goes on.
 *
 * <p>Phases ({@code BENCH_PHASES}, default {@code apply,onekey,held}, any subset):
 *
 * <ul>
 *   <li><b>apply</b>: N jobs (argument 1, default 1000) spread in turn over PROVIDERS (argument 2,
 *       default {@code openai,vertex,bedrock}) on the shared short-job emulators, fast polling,
 *       budgets that do not limit. API-server accept time, time to all Submitted and all Succeeded,
 *       peak RSS, provider calls and reconciles per job, and the same-run baseline: a bare Fabric8
 *       client writing N status updates, with the ratio Submitted / bare.
 *   <li><b>onekey</b>: M OpenAI jobs (BENCH_ONE_KEY_JOBS, default 1000) on one Secret, against a
 *       separate OpenAI emulator whose jobs run long enough (M/5 + 240 s) for all M to run
 *       together, with the production budget ({@code openai=5}) and production poll intervals
 *       (running: 60 s; BENCH_ONE_KEY_RUNNING, in seconds, overrides the jobs' running time). Peak
 *       provider calls per second (calendar second and sliding 1 s window), provider calls per
 *       running job per minute over a 60 s window with every job running, a 429 burst (Retry-After
 *       10 s, 3 on list and 3 on read: calls during the pause, peak after it, whether every job
 *       still converges), and status freshness (provider end → Succeeded seen by a watch: p50, p99,
 *       max).
 *   <li><b>held</b>: H held jobs ({@code spec.suspend: true}; BENCH_HELD_JOBS, default 10000)
 *       created with no operator running, then the operator starts: start → /readyz, start → every
 *       job has the finalizer and a status phase (the first reconcile), peak RSS (after it and
 *       after 30 s idle), reconciles per job; then the deletion of all H. Production poll intervals
 *       (the e2e's fast ones would requeue every held job twice a second).
 * </ul>
 *
 * <p>The collector: in the pod, a memory limit below 1792 MiB makes the JVM pick the Serial
 * collector (not a "server class machine"); {@code -XX:MaxRAM} does not do that outside a
 * container, so {@code -XX:+UseSerialGC} is added when the chart names no collector ({@code
 * BENCH_OPERATOR_GC=host} leaves the choice to this machine).
 */
public final class Benchmark {

  private static final List<String> PROVIDERS = List.of("openai", "vertex", "bedrock");
  private static final Pattern HEAP =
      Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"([^\"]+)\"\\} ([0-9.E+]+)");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$");
  private static final Duration RUNNING_POLL = Duration.ofSeconds(60);

  /** The one-key phase's wait for the steady state before its window. */
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private static final String OPENAI_JOBS = "/v1/fine_tuning/jobs";

  /** One line of the summary table. */
  private record Row(String figure, String thisRun, String before, String goal) {}

  private static final List<Row> ROWS = new ArrayList<>();

  /** The bare client's status writes per second, measured in phase apply (0 when not run). */
  private static double bareWritesPerSecond;

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
    int oneKeyJobs = intEnv("BENCH_ONE_KEY_JOBS", 1000);
    int heldJobs = intEnv("BENCH_HELD_JOBS", 10000);
    List<String> phases =
        Arrays.stream(System.getenv().getOrDefault("BENCH_PHASES", "apply,onekey,held").split(","))
            .map(s -> s.trim().toLowerCase(Locale.ROOT))
            .filter(s -> !s.isEmpty())
            .toList();
    List<String> jvm =
        new ArrayList<>(chartJvmOptions(Path.of("helm", "tuning-operator", "values.yaml")));
    imageClassDataSharing().ifPresent(archive -> jvm.add(0, archive));
    System.out.printf(
        "[bench] phases %s; apply: %d jobs (%s); onekey: %d jobs; held: %d jobs%n",
        phases, n, String.join(",", providers), oneKeyJobs, heldJobs);
    System.out.printf(
        "[bench] operator JVM options (image entrypoint + chart): %s%n", String.join(" ", jvm));
    System.out.printf("[bench] machine: %s%n", machine());

    var config =
        EmulatorConfig.defaults()
            .withValidating(Duration.ofSeconds(1))
            .withQueued(Duration.ofSeconds(2))
            .withRunning(Duration.ofSeconds(10))
            .withCancelling(Duration.ofSeconds(1));
    long runStart = System.nanoTime();
    try (var env = new E2eEnvironment(config)) {
      if (phases.contains("apply")) {
        runPhase("apply", () -> phaseApply(env, jvm, n, providers));
      }
      if (phases.contains("onekey")) {
        runPhase("onekey", () -> phaseOneKey(env, jvm, oneKeyJobs));
      }
      if (phases.contains("held")) {
        runPhase("held", () -> phaseHeld(env, jvm, heldJobs));
      }
    }
    summary(seconds(runStart));
    System.exit(0);
  }

  interface Phase0 {
    void run() throws Exception;
  }

  private static void runPhase(String name, Phase0 phase) {
    System.out.printf("%n[bench] ===== phase %s =====%n", name);
    long start = System.nanoTime();
    try {
      phase.run();
    } catch (Exception | AssertionError e) {
      System.out.printf("[bench] phase %s FAILED: %s%n", name, e);
      e.printStackTrace(System.out);
      ROWS.add(new Row("phase " + name, "FAILED: " + e.getMessage(), "", ""));
    }
    System.out.printf("[bench] phase %s took %.0f s%n", name, seconds(start));
  }

  // ------------------------------------------------------------------------------ phase apply

  private static void phaseApply(E2eEnvironment env, List<String> jvm, int n, List<String> mix)
      throws Exception {
    String ns = "bench";
    env.namespace(ns);
    var operatorEnv = env.operatorEnv();
    operatorEnv.put("WATCH_NAMESPACES", ns);
    operatorEnv.put("LOG_LEVEL", "info");
    KubernetesClient client = env.client();
    var jobs = client.resources(TuningJob.class).inNamespace(ns);
    int callsBefore = providerCalls(env);
    try (var operator =
        new OperatorProcess(env.kubeconfig(), operatorEnv).withJvmOptions(jvm).start()) {
      System.out.printf("[bench] operator log: %s%n", operator.logFile());
      operator.awaitReady(Duration.ofMinutes(2));
      System.out.printf("[bench] applying %d TuningJobs (%s)%n", n, shares(mix, n));
      long start = System.nanoTime();
      parallel(16, n, i -> jobs.resource(job(ns, mix.get(i % mix.size()), "job-" + i)).create());
      double applied = seconds(start);
      System.out.printf("[bench] create requests accepted by the API server: %.1f s%n", applied);
      double submitted = -1;
      double succeeded = -1;
      long peakHeap = 0;
      while (true) {
        List<TuningJob> items = jobs.list().getItems();
        long withId = items.stream().filter(j -> jobId(j) != null).count();
        long done = items.stream().filter(j -> phase(j) == Phase.Succeeded).count();
        peakHeap = Math.max(peakHeap, heap(operator));
        if (submitted < 0 && withId == n) {
          submitted = seconds(start);
          System.out.printf("[bench] all Submitted (jobId in status): %.1f s%n", submitted);
        }
        if (done == n) {
          succeeded = seconds(start);
          break;
        }
        if (seconds(start) > 1800) {
          System.out.printf(
              "[bench] not finished after 30 min: %d/%d Submitted, %d/%d Succeeded%n",
              withId, n, done, n);
          break;
        }
        Thread.sleep(1000);
      }
      if (succeeded >= 0) {
        System.out.printf("[bench] all Succeeded: %.1f s (emulator job time ~13 s)%n", succeeded);
      }
      long rssKb = peakRssKb(operator.pid());
      int calls = providerCalls(env) - callsBefore;
      String metrics = metricsOrEmpty(operator);
      printSdkMetricNames(metrics);
      double reconciles = reconciles(metrics);
      System.out.printf("[bench] operator GC (heap pools): %s%n", heapPools(metrics));
      System.out.printf(
          "[bench] provider calls: %d (%.2f per job; fast polling, budgets 1000/s)%n",
          calls, calls / (double) n);
      System.out.printf("[bench] reconciles: %s%n", perJob(reconciles, n));

      // Same-run baseline: a bare Fabric8 client writing one status update per resource.
      List<TuningJob> items = jobs.list().getItems();
      long base = System.nanoTime();
      parallel(16, items.size(), i -> bareStatusWrite(client, items.get(i)));
      double bare = seconds(base);
      bareWritesPerSecond = items.size() / bare;
      System.out.printf(
          "[bench] bare Fabric8 client, %d status updates: %.1f s (%.0f writes/s)%n",
          items.size(), bare, bareWritesPerSecond);
      figure(
          String.format("%,d jobs applied at once: all Submitted ÷ bare %,d status writes", n, n),
          submitted < 0
              ? "not all Submitted"
              : String.format("%.2f (%.1f s / %.1f s)", submitted / bare, submitted, bare),
          "5.2–6.7",
          "≤ 2.5");
      figure(
          String.format("operator peak RSS with %,d TuningJobs (chart JVM)", n),
          String.format("%.0f MiB (peak heap used %.0f MiB)", rssKb / 1024.0, peakHeap / 1048576.0),
          "~345 MiB (1,000)",
          "≤ 200 MiB");
      ROWS.add(
          new Row(
              String.format("apply: all Succeeded, provider calls / job, reconciles / job"),
              String.format(
                  "%.1f s, %.2f, %s",
                  succeeded, calls / (double) n, reconciles < 0 ? "n/a" : fmt(reconciles / n)),
              "",
              ""));
      deleteAll("apply", jobs, Duration.ofMinutes(10));
    }
  }

  private static void bareStatusWrite(KubernetesClient client, TuningJob job) {
    TuningJob j = job;
    for (int attempt = 0; ; attempt++) {
      try {
        j.getStatus().setLastSyncTime(Instant.now().toString());
        client.resource(j).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
        j = client.resource(j).get();
      }
    }
  }

  // ------------------------------------------------------------------------------ phase onekey

  private static void phaseOneKey(E2eEnvironment env, List<String> jvm, int m) throws Exception {
    String ns = "bench-onekey";
    env.namespace(ns);
    // Creates take ~0.28 s each at 5/s (reads share the budget), then the settle, the window and
    // the 429 test must fit before the first job ends.
    Duration running = Duration.ofSeconds(intEnv("BENCH_ONE_KEY_RUNNING", m * 7 / 25 + 420));
    var config =
        EmulatorConfig.defaults()
            .withValidating(Duration.ofSeconds(1))
            .withQueued(Duration.ofSeconds(2))
            .withRunning(running)
            .withCancelling(Duration.ofSeconds(1));
    KubernetesClient client = env.client();
    var jobs = client.resources(TuningJob.class).inNamespace(ns);
    Map<String, Instant> seenSucceeded = new ConcurrentHashMap<>();
    try (var emulator = new OpenAiEmulator(config)) {
      var operatorEnv = productionPolling(env.operatorEnv());
      operatorEnv.put("OPENAI_BASE_URL", emulator.baseUrl());
      operatorEnv.put("PROVIDER_RATE_LIMITS", "openai=5,vertex=10,bedrock=2");
      operatorEnv.put("WATCH_NAMESPACES", ns);
      operatorEnv.put("LOG_LEVEL", "info");
      System.out.printf(
          "[bench] %d OpenAI jobs on one key; emulator: validating 1 s, queued 2 s, running %d s;"
              + " operator: production poll intervals (running %d s), budget openai=5/s%n",
          m, running.toSeconds(), RUNNING_POLL.toSeconds());
      SharedIndexInformer<TuningJob> informer = watchSucceeded(jobs, seenSucceeded);
      try (var operator =
          new OperatorProcess(env.kubeconfig(), operatorEnv).withJvmOptions(jvm).start()) {
        System.out.printf("[bench] operator log: %s%n", operator.logFile());
        operator.awaitReady(Duration.ofMinutes(2));
        Instant phaseStart = Instant.now();
        long start = System.nanoTime();
        parallel(16, m, i -> jobs.resource(TuningJobs.openAi(ns, "onekey-" + i)).create());
        System.out.printf(
            "[bench] %d creates accepted by the API server: %.1f s%n", m, seconds(start));

        // All created at the provider.
        long[] lastReport = {System.nanoTime()};
        boolean created =
            waitFor(
                Duration.ofSeconds(m / 5 * 3L + 300),
                Duration.ofSeconds(1),
                () -> {
                  if (seconds(lastReport[0]) >= 60) {
                    lastReport[0] = System.nanoTime();
                    System.out.printf(
                        "[bench] ... %.0f s: %d/%d created at the provider%n",
                        seconds(start), emulator.jobCount(), m);
                  }
                  return emulator.jobCount() >= m;
                });
        double allCreated = seconds(start);
        System.out.printf(
            "[bench] %s: %.1f s (%d/%d created; the budget allows %.0f s); provider calls so"
                + " far: %s%n",
            created ? "all created at the provider" : "NOT all created",
            allCreated,
            emulator.jobCount(),
            m,
            m / 5.0,
            breakdown(emulator.requests().all()));

        ROWS.add(
            new Row(
                String.format("onekey: %,d jobs applied at once, all created at the provider", m),
                String.format(
                    "%s%.1f s (%d/%d)",
                    created ? "" : "NOT all: ", allCreated, emulator.jobCount(), m),
                "",
                String.format("~%.0f s at 5/s", m / 5.0)));

        // All running at the provider and Running in status.
        boolean allRunning =
            waitFor(
                Duration.ofSeconds(180),
                Duration.ofSeconds(1),
                () ->
                    emulator.countByStatus().getOrDefault("running", 0L) == m
                        && count(informer.getStore().list(), Phase.Running) == m);
        System.out.printf(
            "[bench] %s at %.1f s: provider %s, status Running %d%n",
            allRunning ? "all running" : "NOT all running",
            seconds(start),
            emulator.countByStatus(),
            count(informer.getStore().list(), Phase.Running));

        // Steady state: one running-poll interval for the one-off reads of the start (a job first
        // seen running is read once), then calls per running job per minute over two intervals.
        System.out.printf("[bench] settling for %d s before the window%n", SETTLE.toSeconds());
        Thread.sleep(SETTLE.toMillis());
        Duration window = Duration.ofSeconds(120);
        Instant windowStart = emulatorNow(config);
        long runningAtStart = emulator.countByStatus().getOrDefault("running", 0L);
        Thread.sleep(window.toMillis());
        Instant windowEnd = emulatorNow(config);
        long runningAtEnd = emulator.countByStatus().getOrDefault("running", 0L);
        List<RecordedRequest> inWindow = between(emulator.requests().all(), windowStart, windowEnd);
        double minutes = Duration.between(windowStart, windowEnd).toMillis() / 60000.0;
        double perJobMinute = inWindow.size() / (double) m / minutes;
        long endedInWindow =
            emulator.endedAt().values().stream().filter(t -> t.isBefore(windowEnd)).count();
        double runningAvg = (runningAtStart + runningAtEnd) / 2.0;
        System.out.printf(
            "[bench] %.0f s window, %d of %d jobs running at its start and %d at its end: %d"
                + " provider calls %s%s%n",
            minutes * 60,
            runningAtStart,
            m,
            runningAtEnd,
            inWindow.size(),
            breakdown(inWindow),
            endedInWindow > 0 ? " (" + endedInWindow + " jobs had already ended!)" : "");
        System.out.printf(
            "[bench] baseline: one read per job per interval = %.2f calls per running job per"
                + " minute at %d s; %d jobs = %.0f reads/min, %.1f/s (%s the 5/s budget)%n",
            60.0 / RUNNING_POLL.toSeconds(),
            RUNNING_POLL.toSeconds(),
            m,
            m * 60.0 / RUNNING_POLL.toSeconds(),
            m / (double) RUNNING_POLL.toSeconds(),
            m / (double) RUNNING_POLL.toSeconds() > 5 ? "above" : "within");
        String perRunning =
            allRunning || runningAvg <= 0
                ? ""
                : String.format(
                    "; NOT all running: %.0f on average, %.3f per running job",
                    runningAvg, inWindow.size() / runningAvg / minutes);
        figure(
            String.format(
                "provider calls per running job per minute, %,d running jobs on one key, %d s"
                    + " freshness",
                m, RUNNING_POLL.toSeconds()),
            String.format(
                "%.3f (%d calls in %.0f s ÷ %d jobs%s)",
                perJobMinute, inWindow.size(), minutes * 60, m, perRunning),
            "0.99",
            "≤ 0.05");

        // 429 burst on the shared key.
        Instant injected = emulatorNow(config);
        Fault rateLimit = new Fault(Fault.Kind.RATE_LIMIT, 429, 10, Duration.ZERO);
        emulator.faults().enqueue(Faults.Operation.LIST, rateLimit, rateLimit, rateLimit);
        emulator.faults().enqueue(Faults.Operation.GET, rateLimit, rateLimit, rateLimit);
        System.out.printf(
            "[bench] 429 burst: 3 on list + 3 on read queued (Retry-After 10 s) at %.1f s%n",
            seconds(start));
        boolean hit =
            waitFor(
                RUNNING_POLL.plusSeconds(60),
                Duration.ofMillis(500),
                () -> !served429(emulator, injected).isEmpty());
        String burst;
        double peakAfter = -1;
        double slidingAfter = -1;
        if (!hit) {
          burst = "no 429 served within " + RUNNING_POLL.plusSeconds(60).toSeconds() + " s";
          System.out.printf("[bench] %s%n", burst);
        } else {
          Instant first = served429(emulator, injected).get(0).at();
          Instant pauseEnd = first.plusSeconds(10);
          Instant afterEnd = pauseEnd.plusSeconds(60);
          long wait = Duration.between(emulatorNow(config), afterEnd).toMillis();
          if (wait > 0) {
            Thread.sleep(wait + 500);
          }
          List<Faults.Served> served = served429(emulator, injected);
          List<RecordedRequest> all = emulator.requests().all();
          List<RecordedRequest> pause = between(all, first.plusMillis(1), pauseEnd);
          List<RecordedRequest> after = between(all, pauseEnd, afterEnd);
          peakAfter = peakPerCalendarSecond(after);
          slidingAfter = peakSliding(after);
          System.out.printf(
              "[bench] first 429 served %.1f s after the injection; 429s served in the %d s after"
                  + " it: %d (%s); still queued: %d%n",
              Duration.between(injected, first).toMillis() / 1000.0,
              Duration.between(first, afterEnd).toSeconds(),
              served.size(),
              servedByOperation(served),
              emulator.faults().queuedCount());
          System.out.printf(
              "[bench] calls during the 10 s pause after the first 429: %d %s (goal ~0)%n",
              pause.size(), breakdown(pause));
          System.out.printf(
              "[bench] 60 s after the pause: %d calls %s, peak %.0f/s (calendar second), %.0f"
                  + " (sliding 1 s)%n",
              after.size(), breakdown(after), peakAfter, slidingAfter);
          burst =
              String.format(
                  "%d 429s, %d calls in the 10 s pause, peak after %.0f/s",
                  served.size(), pause.size(), peakAfter);
        }

        // Convergence: every job Succeeded.
        // Deadline: running + 10 min from the apply, later while creates still land (the last
        // create + running + 5 min), never past 2 h.
        boolean converged =
            waitFor(
                Duration.ofHours(2).minus(Duration.ofNanos(System.nanoTime() - start)),
                Duration.ofSeconds(2),
                () -> {
                  if (count(informer.getStore().list(), Phase.Succeeded) == m) {
                    return true;
                  }
                  List<RecordedRequest> creates = emulator.creates();
                  Instant last =
                      creates.isEmpty() ? phaseStart : creates.get(creates.size() - 1).at();
                  Instant deadline =
                      max(
                          phaseStart.plus(running).plusSeconds(600),
                          last.plus(running).plusSeconds(300));
                  if (emulatorNow(config).isAfter(deadline)) {
                    throw new DeadlineReached();
                  }
                  return false;
                });
        long succeeded = count(informer.getStore().list(), Phase.Succeeded);
        System.out.printf(
            "[bench] %s: %d/%d Succeeded at %.1f s (provider: %s)%n",
            converged ? "all Succeeded" : "NOT all Succeeded",
            succeeded,
            m,
            seconds(start),
            emulator.countByStatus());
        List<Faults.Served> servedTotal = served429(emulator, injected);
        figure(
            "jobs still converging after a 429 burst on a shared key (Retry-After once per"
                + " credential)",
            String.format(
                "%d/%d Succeeded; %s; %d 429s served in all",
                succeeded, m, burst, servedTotal.size()),
            "each job alone",
            "all, no wave");

        // Peaks over the whole phase.
        List<RecordedRequest> phaseCalls =
            between(emulator.requests().all(), phaseStart.minusSeconds(1), emulatorNow(config));
        double peakCal = peakPerCalendarSecond(phaseCalls);
        double peakSlide = peakSliding(phaseCalls);
        if (peakSlide > 5) {
          System.out.printf(
              "[bench] the busiest 1 s as the emulator recorded it: %s%n",
              busiestSecond(phaseCalls));
        }
        System.out.printf(
            "[bench] whole phase: %d provider calls (%.2f per job) %s%n",
            phaseCalls.size(), phaseCalls.size() / (double) m, breakdown(phaseCalls));
        figure(
            "peak provider calls per second on one credential with a budget of 5/s",
            String.format(
                "%.0f (calendar s), %.0f (sliding 1 s); after the 429 pause %s",
                peakCal,
                peakSlide,
                peakAfter < 0 ? "n/a" : String.format("%.0f / %.0f", peakAfter, slidingAfter)),
            "unbounded",
            "≤ 5");

        // Freshness: provider end → Succeeded seen.
        Map<String, Instant> ended = emulator.endedAt();
        List<Double> lags = new ArrayList<>();
        ended.forEach(
            (id, at) -> {
              Instant seen = seenSucceeded.get(id);
              if (seen != null) {
                lags.add(Duration.between(at, seen).toMillis() / 1000.0);
              }
            });
        lags.sort(Double::compare);
        String fresh =
            lags.isEmpty()
                ? "no job seen Succeeded"
                : String.format(
                    "p50 %.1f s, p99 %.1f s, max %.1f s (%d jobs)",
                    pct(lags, 50), pct(lags, 99), lags.get(lags.size() - 1), lags.size());
        figure(
            "status freshness: provider state change → .status, p99",
            fresh,
            "unmeasured",
            String.format("≤ %d s (interval + 1 s)", RUNNING_POLL.toSeconds() + 1));
        metricsSummary(operator, m);
        deleteAll("onekey", jobs, Duration.ofMinutes(10));
      } finally {
        informer.close();
      }
    }
  }

  private static List<Faults.Served> served429(OpenAiEmulator emulator, Instant since) {
    return emulator.faults().served().stream()
        .filter(s -> s.fault().status() == 429 && !s.at().isBefore(since))
        .toList();
  }

  private static String servedByOperation(List<Faults.Served> served) {
    Map<String, Integer> by = new TreeMap<>();
    served.forEach(s -> by.merge(s.operation().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
    return by.toString();
  }

  /** A watch on the namespace's TuningJobs recording when each jobId was first seen Succeeded. */
  private static SharedIndexInformer<TuningJob> watchSucceeded(
      NonNamespaceOperation<TuningJob, KubernetesResourceList<TuningJob>, Resource<TuningJob>> jobs,
      Map<String, Instant> seen) {
    return jobs.inform(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(TuningJob job) {
            record(job);
          }

          @Override
          public void onUpdate(TuningJob old, TuningJob job) {
            record(job);
          }

          @Override
          public void onDelete(TuningJob job, boolean unknownFinalState) {}

          private void record(TuningJob job) {
            if (phase(job) == Phase.Succeeded && jobId(job) != null) {
              seen.putIfAbsent(jobId(job), Instant.now());
            }
          }
        },
        0);
  }

  // ------------------------------------------------------------------------------ phase held

  private static void phaseHeld(E2eEnvironment env, List<String> jvm, int h) throws Exception {
    String ns = "bench-held";
    env.namespace(ns);
    KubernetesClient client = env.client();
    var jobs = client.resources(TuningJob.class).inNamespace(ns);
    System.out.printf("[bench] creating %d held TuningJobs (spec.suspend) with no operator%n", h);
    long create = System.nanoTime();
    parallel(
        32,
        h,
        i -> {
          TuningJob job = TuningJobs.openAi(ns, "held-" + i);
          job.getSpec().setSuspend(true);
          jobs.resource(job).create();
        });
    System.out.printf("[bench] %d held jobs created: %.1f s%n", h, seconds(create));
    SharedIndexInformer<TuningJob> informer = watchSucceeded(jobs, new ConcurrentHashMap<>());
    try {
      waitFor(
          Duration.ofMinutes(2),
          Duration.ofMillis(500),
          () -> informer.getStore().list().size() >= h);
      // Production intervals: with the e2e's fast ones (500 ms) every held job would be
      // requeued twice a second while the others wait for their first reconcile.
      var operatorEnv = productionPolling(env.operatorEnv());
      operatorEnv.put("WATCH_NAMESPACES", ns);
      operatorEnv.put("LOG_LEVEL", "info");
      System.out.println("[bench] operator: production poll intervals");
      var operator = new OperatorProcess(env.kubeconfig(), operatorEnv).withJvmOptions(jvm);
      long start = System.nanoTime();
      try (operator) {
        operator.start();
        System.out.printf("[bench] operator log: %s%n", operator.logFile());
        operator.awaitReady(Duration.ofMinutes(5));
        double ready = seconds(start);
        System.out.printf("[bench] process start → /readyz 200: %.2f s%n", ready);
        figure(
            String.format("time from process start to ready with %,d TuningJobs present", h),
            String.format("%.2f s", ready),
            "4.4 s (10,000)",
            "≤ 3 s");
        Map<String, Long> phases = new TreeMap<>();
        boolean done =
            waitFor(
                Duration.ofMinutes(30),
                Duration.ofSeconds(1),
                () -> {
                  long reconciled =
                      informer.getStore().list().stream()
                          .filter(
                              j ->
                                  phase(j) != null
                                      && j.getMetadata()
                                          .getFinalizers()
                                          .contains(TuningJobReconciler.FINALIZER))
                          .count();
                  return reconciled >= h;
                });
        double first = seconds(start);
        informer
            .getStore()
            .list()
            .forEach(j -> phases.merge(String.valueOf(phase(j)), 1L, Long::sum));
        long withFinalizer =
            informer.getStore().list().stream()
                .filter(
                    j -> j.getMetadata().getFinalizers().contains(TuningJobReconciler.FINALIZER))
                .count();
        System.out.printf(
            "[bench] %s: %.1f s after process start (finalizer on %d/%d, phases %s)%n",
            done ? "every held job reconciled (finalizer + status.phase)" : "NOT all reconciled",
            first,
            withFinalizer,
            h,
            phases);
        String baseline =
            bareWritesPerSecond > 0
                ? String.format(
                    "; baseline: 2×%,d writes at the bare client's %.0f writes/s (phase apply) ="
                        + " %.1f s",
                    h, bareWritesPerSecond, 2 * h / bareWritesPerSecond)
                : "; baseline n/a (phase apply not run)";
        System.out.printf(
            "[bench] first reconcile of %d held jobs: %.1f s%s%n", h, first, baseline);
        figure(
            String.format("first reconcile of %,d held jobs (finalizer + status each)", h),
            String.format("%.1f s%s", first, done ? "" : " (not all)")
                + (bareWritesPerSecond > 0
                    ? String.format(" [bare 2×H writes: %.1f s]", 2 * h / bareWritesPerSecond)
                    : ""),
            "~130 s (10,000)",
            "≤ 60 s");
        long rssAfterFirst = peakRssKb(operator.pid());
        Thread.sleep(30_000);
        long rssIdle = peakRssKb(operator.pid());
        String metrics = metricsOrEmpty(operator);
        System.out.printf(
            "[bench] operator peak RSS with %d jobs: %.0f MiB after the first reconcile, %.0f MiB"
                + " after 30 s more idle (current RSS %.0f MiB, heap used %.0f MiB, GC %s)%n",
            h,
            rssAfterFirst / 1024.0,
            rssIdle / 1024.0,
            rssKb(operator.pid(), "VmRSS:") / 1024.0,
            heap(metrics) / 1048576.0,
            heapPools(metrics));
        figure(
            String.format("operator peak RSS with %,d TuningJobs (chart JVM)", h),
            String.format("%.0f MiB", rssIdle / 1024.0),
            "~553 MiB (10,000)",
            "≤ 256 MiB");
        double reconciles = reconciles(metrics);
        System.out.printf("[bench] reconciles: %s%n", perJob(reconciles, h));
        long deleteStart = System.nanoTime();
        // One delete per job: a collection delete of 10,000 outlasts the client's request timeout.
        List<String> names =
            informer.getStore().list().stream().map(j -> j.getMetadata().getName()).toList();
        parallel(16, names.size(), i -> jobs.withName(names.get(i)).delete());
        boolean gone =
            waitFor(
                Duration.ofMinutes(20),
                Duration.ofSeconds(2),
                () -> informer.getStore().list().isEmpty());
        System.out.printf(
            "[bench] delete all %d held jobs (operator removes the finalizers): %s %.1f s%n",
            h, gone ? "gone after" : "NOT gone after", seconds(deleteStart));
        ROWS.add(
            new Row(
                String.format("held: delete %,d jobs, reconciles / job", h),
                String.format(
                    "%.1f s%s, %s",
                    seconds(deleteStart),
                    gone ? "" : " (not all gone)",
                    reconciles < 0 ? "n/a" : fmt(reconciles / h)),
                "",
                ""));
      }
    } finally {
      informer.close();
    }
  }

  // ------------------------------------------------------------------------------ helpers

  /** {@code env} without the fast poll intervals of the e2e: the operator's defaults apply. */
  private static Map<String, String> productionPolling(Map<String, String> env) {
    OperatorProcess.fastPolling().keySet().forEach(env::remove);
    // and the production settle window and HTTP timeouts (the e2e's 10 s settle leaves a create
    // 2 s to be sent after its intent, less than a tight budget may ask it to wait)
    for (String key :
        List.of(
            "SUBMIT_SETTLE", "HTTP_CONNECT_TIMEOUT", "HTTP_READ_TIMEOUT", "HTTP_CALL_TIMEOUT")) {
      env.remove(key);
    }
    return env;
  }

  private static void figure(String figure, String value, String before, String goal) {
    System.out.printf("[bench] %s: %s (before: %s, goal: %s)%n", figure, value, before, goal);
    ROWS.add(new Row(figure, value, before, goal));
  }

  private static void summary(double total) {
    System.out.printf("%n[bench] ===== summary (run took %.0f s) =====%n", total);
    int w0 = "figure".length();
    int w1 = "this run".length();
    int w2 = "before".length();
    for (Row r : ROWS) {
      w0 = Math.max(w0, r.figure().length());
      w1 = Math.max(w1, r.thisRun().length());
      w2 = Math.max(w2, r.before().length());
    }
    String format = "| %-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %s |%n";
    System.out.printf(format, "figure", "this run", "before", "goal");
    System.out.printf(
        "|%s|%s|%s|%s|%n", "-".repeat(w0 + 2), "-".repeat(w1 + 2), "-".repeat(w2 + 2), "------");
    for (Row r : ROWS) {
      System.out.printf(format, r.figure(), r.thisRun(), r.before(), r.goal());
    }
    System.out.printf("[bench] machine: %s%n", machine());
  }

  private static String machine() {
    String mem = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          mem =
              String.format(
                  "%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
        }
      }
    } catch (IOException e) {
      mem = "unreadable";
    }
    return String.format(
        "%d cores, MemTotal %s, java %s, %s %s %s",
        Runtime.getRuntime().availableProcessors(),
        mem,
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"));
  }

  /**
   * The image's entrypoint option {@code -XX:SharedArchiveFile=}: the class-data-sharing archive
   * the Dockerfile trains at build, made the same way for this jar ({@code
   * e2e/bin/cds-archive.sh}). {@code BENCH_CDS=off} starts without it, as a JVM without the archive
   * would.
   */
  static java.util.Optional<String> imageClassDataSharing() throws Exception {
    if ("off".equals(System.getenv("BENCH_CDS"))) {
      return java.util.Optional.empty();
    }
    Path archive = Path.of("target", "tuning-operator.jsa").toAbsolutePath();
    var pb =
        new ProcessBuilder(
                "bash",
                "e2e/bin/cds-archive.sh",
                OperatorProcess.jar().toAbsolutePath().toString(),
                archive.toString())
            .inheritIO();
    // The archive fits only the JVM that made it: the one that runs the operator.
    pb.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process p = pb.start();
    if (p.waitFor() != 0) {
      System.out.println("[bench] class-data-sharing archive not made; starting without it");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("-XX:SharedArchiveFile=" + archive);
  }

  /**
   * The chart's JVM: {@code javaToolOptions} split on blanks (or {@code BENCH_JAVA_TOOL_OPTIONS}
   * instead, to compare settings), plus {@code -XX:MaxRAM=} the memory limit, standing for the
   * container limit the JVM would see in the pod.
   */
  static List<String> chartJvmOptions(Path values) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(values.toFile());
    List<String> options = new ArrayList<>();
    String tool =
        System.getenv()
            .getOrDefault("BENCH_JAVA_TOOL_OPTIONS", root.path("javaToolOptions").asText(""))
            .trim();
    if (!tool.isEmpty()) {
      options.addAll(Arrays.asList(tool.split("\\s+")));
    }
    String limit = root.path("resources").path("limits").path("memory").asText("");
    if (!limit.isEmpty()) {
      long max = bytes(limit);
      options.add("-XX:MaxRAM=" + max);
      // In a container the JVM sees the limit as the machine's memory, and below 1792 MiB it is
      // not a "server class machine": it picks the Serial collector. -XX:MaxRAM does not change
      // that choice outside a container, so the pod's collector is named here (BENCH_OPERATOR_GC=
      // host leaves the choice to this machine).
      boolean gcNamed = options.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"));
      String gc = System.getenv().getOrDefault("BENCH_OPERATOR_GC", "pod");
      if (!gcNamed && gc.equals("pod") && max < 1792L * 1024 * 1024) {
        options.add("-XX:+UseSerialGC");
      }
    }
    return options;
  }

  /** Kubernetes quantity → bytes: 768Mi, 1Gi, 512M, 1000000. */
  static long bytes(String quantity) {
    Matcher m = Pattern.compile("([0-9]+)([KMGT]i?)?").matcher(quantity.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("unsupported memory quantity " + quantity);
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    int power = unit.isEmpty() ? 0 : "KMGT".indexOf(unit.charAt(0)) + 1;
    long base = unit.endsWith("i") ? 1024 : 1000;
    for (int i = 0; i < power; i++) {
      v *= base;
    }
    return v;
  }

  private static int intEnv(String name, int byDefault) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? byDefault : Integer.parseInt(v.trim());
  }

  /** A job on {@code provider}: OpenAI and Bedrock with the namespace's Secrets, Vertex on ADC. */
  private static TuningJob job(String ns, String provider, String name) {
    return switch (provider) {
      case "openai" -> TuningJobs.openAi(ns, name);
      case "bedrock" -> TuningJobs.bedrock(ns, name);
      case "vertex" -> {
        TuningJob job = TuningJobs.vertex(ns, name);
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

  private static Phase phase(TuningJob j) {
    return j.getStatus() == null ? null : j.getStatus().getPhase();
  }

  private static String jobId(TuningJob j) {
    return j.getStatus() == null ? null : j.getStatus().getJobId();
  }

  private static long count(Collection<TuningJob> jobs, Phase phase) {
    return jobs.stream().filter(j -> phase(j) == phase).count();
  }

  private static int providerCalls(E2eEnvironment env) {
    return env.openAi().requests().all().size()
        + env.vertex().requests().all().size()
        + env.bedrock().requests().all().size();
  }

  private static Instant emulatorNow(EmulatorConfig config) {
    return config.clock().instant();
  }

  /** Requests with {@code from <= at < to}. */
  private static List<RecordedRequest> between(
      List<RecordedRequest> all, Instant from, Instant to) {
    return all.stream().filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).toList();
  }

  /** "(list 3, read 0, create 1, other 0)": OpenAI calls by kind. */
  private static String breakdown(List<RecordedRequest> requests) {
    Map<String, Integer> by = new LinkedHashMap<>();
    for (String k : List.of("list", "read", "create", "cancel", "events", "checkpoints")) {
      by.put(k, 0);
    }
    for (RecordedRequest r : requests) {
      by.merge(kind(r), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    by.forEach((k, v) -> parts.add(k + " " + v));
    return "(" + String.join(", ", parts) + ")";
  }

  private static String kind(RecordedRequest r) {
    String p = r.path();
    if (p.equals(OPENAI_JOBS)) {
      return r.method().equals("GET") ? "list" : "create";
    }
    if (p.startsWith(OPENAI_JOBS + "/")) {
      String rest = p.substring(OPENAI_JOBS.length() + 1);
      if (!rest.contains("/")) {
        return r.method().equals("GET") ? "read" : "other";
      }
      String tail = rest.substring(rest.indexOf('/') + 1);
      return switch (tail) {
        case "cancel", "events", "checkpoints" -> tail;
        default -> "other";
      };
    }
    return "other";
  }

  /** The most requests in any one calendar second. */
  private static double peakPerCalendarSecond(List<RecordedRequest> requests) {
    Map<Long, Integer> perSecond = new TreeMap<>();
    requests.forEach(r -> perSecond.merge(r.at().getEpochSecond(), 1, Integer::sum));
    return perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /**
   * The requests of the busiest window {@code [t, t + 1 s)}: milliseconds after the first, method
   * and path (ids dropped), to tell a burst sent from one held back and recorded together.
   */
  private static String busiestSecond(List<RecordedRequest> requests) {
    List<RecordedRequest> sorted =
        requests.stream().sorted(java.util.Comparator.comparing(RecordedRequest::at)).toList();
    int best = 0;
    int bestLo = 0;
    int lo = 0;
    for (int hi = 0; hi < sorted.size(); hi++) {
      while (!sorted.get(lo).at().plusSeconds(1).isAfter(sorted.get(hi).at())) {
        lo++;
      }
      if (hi - lo + 1 > best) {
        best = hi - lo + 1;
        bestLo = lo;
      }
    }
    Instant first = sorted.isEmpty() ? Instant.EPOCH : sorted.get(bestLo).at();
    StringBuilder out = new StringBuilder();
    for (int i = bestLo; i < bestLo + best; i++) {
      RecordedRequest r = sorted.get(i);
      out.append(
          String.format(
              "%s+%d ms %s %s",
              i == bestLo ? "" : ", ",
              Duration.between(first, r.at()).toMillis(),
              r.method(),
              r.path().replaceAll("ftjob-[A-Za-z0-9]+", "{id}")));
    }
    return out.toString();
  }

  /** The most requests in any window {@code [t, t + 1 s)}. */
  private static double peakSliding(List<RecordedRequest> requests) {
    List<Instant> at = requests.stream().map(RecordedRequest::at).sorted().toList();
    int best = 0;
    int lo = 0;
    for (int hi = 0; hi < at.size(); hi++) {
      while (!at.get(lo).plusSeconds(1).isAfter(at.get(hi))) {
        lo++;
      }
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  private static double pct(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** Thrown by a {@link #waitFor} condition to give up before the timeout. */
  private static final class DeadlineReached extends RuntimeException {}

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static boolean waitFor(Duration timeout, Duration every, BooleanSupplier done)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (done.getAsBoolean()) {
          return true;
        }
      } catch (DeadlineReached e) {
        return false;
      } catch (RuntimeException e) {
        System.out.printf("[bench] (check failed, retrying: %s)%n", e);
      }
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(every.toMillis());
    }
  }

  private static void deleteAll(
      String phase,
      NonNamespaceOperation<TuningJob, KubernetesResourceList<TuningJob>, Resource<TuningJob>> jobs,
      Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    jobs.delete();
    boolean gone = waitFor(timeout, Duration.ofSeconds(2), () -> jobs.list().getItems().isEmpty());
    System.out.printf(
        "[bench] %s: delete all jobs: %s %.1f s%n",
        phase, gone ? "gone after" : "NOT gone after", seconds(start));
  }

  interface Work {
    void run(int i) throws Exception;
  }

  private static void parallel(int threads, int n, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
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

  private static String fmt(double v) {
    return String.format("%.2f", v);
  }

  private static String metricsOrEmpty(OperatorProcess operator) {
    try {
      return operator.metrics();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static long heap(OperatorProcess operator) {
    return heap(metricsOrEmpty(operator));
  }

  private static long heap(String metrics) {
    var m = HEAP.matcher(metrics);
    long sum = 0;
    while (m.find()) {
      sum += (long) Double.parseDouble(m.group(2));
    }
    return sum;
  }

  /** The heap pool names, which tell the collector (G1 Eden Space, Tenured Gen …). */
  private static String heapPools(String metrics) {
    var m = HEAP.matcher(metrics);
    List<String> pools = new ArrayList<>();
    while (m.find()) {
      pools.add(m.group(1));
    }
    return pools.isEmpty() ? "n/a" : String.join(", ", pools);
  }

  /** Samples of the metric {@code name} summed over their labels; -1 when absent. */
  private static double sum(String metrics, String name) {
    double total = 0;
    boolean found = false;
    for (String line : metrics.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (m.matches() && m.group(1).equals(name) && !m.group(3).equals("NaN")) {
        total += Double.parseDouble(m.group(3));
        found = true;
      }
    }
    return found ? total : -1;
  }

  /** JOSDK's count of reconciliations started ({@code operator.sdk.reconciliations.started}). */
  private static double reconciles(String metrics) {
    double started = sum(metrics, "operator_sdk_reconciliations_started_total");
    if (started >= 0) {
      return started;
    }
    return sum(metrics, "operator_sdk_controllers_execution_reconcile_total");
  }

  private static String perJob(double reconciles, int n) {
    return reconciles < 0
        ? "n/a (no JOSDK reconciliation counter in /metrics)"
        : String.format("%.0f (%.2f per job)", reconciles, reconciles / n);
  }

  private static void printSdkMetricNames(String metrics) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (String line : metrics.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (m.matches() && m.group(1).startsWith("operator_sdk_")) {
        names.add(m.group(1));
      }
    }
    System.out.printf("[bench] JOSDK metrics: %s%n", names.isEmpty() ? "none" : names);
  }

  private static void metricsSummary(OperatorProcess operator, int n) {
    String metrics = metricsOrEmpty(operator);
    System.out.printf(
        "[bench] reconciles: %s; operator peak RSS %.0f MiB%n",
        perJob(reconciles(metrics), n), peakRssKbQuiet(operator.pid()) / 1024.0);
  }

  private static long peakRssKbQuiet(long pid) {
    try {
      return peakRssKb(pid);
    } catch (IOException e) {
      return -1;
    }
  }

  /** VmHWM: the process's peak resident set size. */
  private static long peakRssKb(long pid) throws IOException {
    return rssKb(pid, "VmHWM:");
  }

  private static long rssKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
