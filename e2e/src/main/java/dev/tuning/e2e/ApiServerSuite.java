package dev.tuning.e2e;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.it.RealApiServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API-server suite: the operator reaches the real API server through {@link ApiServerProxy}
 * while JOBS TuningJobs (default 40) run. Mid-run every connection is dropped once (the watch
 * breaks), then the API server goes away for OUTAGE seconds (default 45; etcd keeps the state) and
 * comes back; a quarter of the running jobs is deleted during the outage, and a writer patches the
 * jobs' annotations throughout so the operator's status writes meet 409 conflicts. Every remaining
 * job must reach Succeeded with one provider job, every deletion must finish within CANCEL_TIMEOUT
 * (60 s here) after the server returns, with the provider job cancelled. Prints the figures and "N
 * passed, N failed".
 *
 * <p>Usage: {@code e2e/bin/apiserver-suite.sh [JOBS] [OUTAGE_SECONDS]}.
 */
public final class ApiServerSuite {

  static final String NS = "apiserver-suite";
  static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(60);

  private ApiServerSuite() {}

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int outage = args.length > 1 ? Integer.parseInt(args[1]) : 45;
    SuiteSupport.Result result = run(jobs, Duration.ofSeconds(outage), System.out);
    System.exit(result.failed() == 0 && result.duplicates() == 0 && result.lost() == 0 ? 0 : 1);
  }

  static SuiteSupport.Result run(int count, Duration outage, PrintStream out) throws Exception {
    // Jobs run long enough to span the outage.
    var config =
        EmulatorConfig.defaults()
            .withValidating(Duration.ofMillis(500))
            .withQueued(Duration.ofMillis(500))
            .withRunning(outage.plusSeconds(30))
            .withCancelling(Duration.ofSeconds(1));
    String admin = RealApiServer.kubeconfigYaml();
    try (var env = new E2eEnvironment(config);
        var proxy = new ApiServerProxy(ApiServerProxy.serverPort(admin))) {
      env.namespace(NS);
      Path kubeconfig =
          Files.writeString(
              Path.of("target", "apiserver-suite-kubeconfig.yaml"),
              proxy.kubeconfigThroughProxy(admin));
      Map<String, String> vars = SuiteSupport.operatorEnv(env, NS);
      vars.put("CANCEL_TIMEOUT", CANCEL_TIMEOUT.toSeconds() + "s");
      var jobs = env.client().resources(TuningJob.class).inNamespace(NS);
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger patches = new AtomicInteger();
      try (var operator = new Supervised(kubeconfig, vars)) {
        for (int i = 0; i < count; i++) {
          jobs.resource(SuiteSupport.job(NS, i, null)).create();
        }
        Thread writer = conflictWriter(env, count, writing, patches);
        awaitRunning(env, count / 2);

        proxy.dropConnections();
        out.printf("[apiserver] dropped every connection (watch included)%n");
        Thread.sleep(2000);
        proxy.down();
        long downAt = System.nanoTime();
        out.printf("[apiserver] API server away for %d s%n", outage.toSeconds());
        List<String> deleted = new ArrayList<>();
        List<String> deletedJobIds = new ArrayList<>();
        for (TuningJob j : jobs.list().getItems()) {
          if (deleted.size() < Math.max(1, count / 4)
              && j.getStatus() != null
              && j.getStatus().getPhase() == Phase.Running) {
            deleted.add(j.getMetadata().getName());
            deletedJobIds.add(j.getStatus().getJobId());
            jobs.withName(j.getMetadata().getName()).delete();
          }
        }
        Thread.sleep(Math.max(0, outage.toMillis() - (System.nanoTime() - downAt) / 1_000_000));
        proxy.up();
        long backAt = System.nanoTime();
        out.printf(
            "[apiserver] API server back; %d deletions started during the outage%n",
            deleted.size());

        double slowestDeletion = 0;
        for (String name : deleted) {
          while (jobs.withName(name).get() != null) {
            if ((System.nanoTime() - backAt) / 1e9 > CANCEL_TIMEOUT.toSeconds() + 60) {
              break;
            }
            Thread.sleep(250);
          }
          slowestDeletion = Math.max(slowestDeletion, (System.nanoTime() - backAt) / 1e9);
        }
        long stillThere = deleted.stream().filter(n -> jobs.withName(n).get() != null).count();
        List<TuningJob> items = SuiteSupport.awaitEnded(env, NS, Duration.ofMinutes(10));
        writing.set(false);
        writer.join();
        int cancelled = 0;
        for (String id : deletedJobIds) {
          int n;
          if (id.startsWith("ftjob-")) {
            n = env.openAi().count("POST", ".*/fine_tuning/jobs/" + id + "/cancel");
          } else if (id.startsWith("arn:aws:bedrock:")) {
            // The ARN is URL-encoded in the path; its last segment is not.
            n = env.bedrock().count("POST", ".*" + id.substring(id.lastIndexOf('/') + 1) + "/stop");
          } else {
            n = env.vertex().count("POST", ".*" + id.replace("/", "\\/") + ":cancel");
          }
          cancelled += n > 0 ? 1 : 0;
        }
        out.printf(
            "[apiserver] deletions: %d, finished within %.1f s after the server returned"
                + " (CANCEL_TIMEOUT %d s), %d still present, %d provider jobs cancelled%n",
            deleted.size(), slowestDeletion, CANCEL_TIMEOUT.toSeconds(), stillThere, cancelled);
        out.printf(
            "[apiserver] conflicting annotation patches: %d, proxy connections: %d, operator"
                + " restarts: %d (an operator that cannot renew its Lease exits; a Deployment"
                + " restarts it, as this suite does)%n",
            patches.get(), proxy.accepted(), operator.restarts());
        SuiteSupport.Result rest =
            SuiteSupport.verdict(env, items, j -> Phase.Succeeded, "apiserver", out);
        int deletionFailures =
            (int) stillThere
                + (deletedJobIds.size() - cancelled)
                + (slowestDeletion > CANCEL_TIMEOUT.toSeconds() + 15 ? 1 : 0);
        out.printf(
            "[apiserver] %d passed, %d failed (jobs and deletions)%n",
            rest.passed() + deleted.size() - deletionFailures, rest.failed() + deletionFailures);
        return new SuiteSupport.Result(
            rest.jobs() + deleted.size(),
            rest.passed() + deleted.size() - deletionFailures,
            rest.failed() + deletionFailures,
            rest.duplicates(),
            rest.lost());
      }
    }
  }

  /**
   * The operator as a Deployment keeps it: started again whenever it exits (with leader election
   * on, an operator that cannot renew its Lease during the outage exits so a standby can lead).
   */
  private static final class Supervised implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicReference<OperatorProcess> current =
        new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<OperatorProcess> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread watcher;

    Supervised(Path kubeconfig, Map<String, String> vars) {
      start(kubeconfig, vars).awaitReady(Duration.ofMinutes(2));
      watcher =
          new Thread(
              () -> {
                while (running.get()) {
                  if (!current.get().isAlive() && running.get()) {
                    restarts.incrementAndGet();
                    start(kubeconfig, vars);
                  }
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "operator-supervisor");
      watcher.setDaemon(true);
      watcher.start();
    }

    private OperatorProcess start(Path kubeconfig, Map<String, String> vars) {
      // One Lease for every incarnation, as one Deployment has.
      Map<String, String> env = new java.util.HashMap<>(vars);
      env.put("LEASE_NAME", "apiserver-suite");
      OperatorProcess p = new OperatorProcess(kubeconfig, env).start();
      all.add(p);
      current.set(p);
      return p;
    }

    int restarts() {
      return restarts.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      watcher.interrupt();
      for (OperatorProcess p : all) {
        p.close();
      }
    }
  }

  private static void awaitRunning(E2eEnvironment env, int n) throws InterruptedException {
    var jobs = env.client().resources(TuningJob.class).inNamespace(NS);
    for (int i = 0; i < 600; i++) {
      long running =
          jobs.list().getItems().stream()
              .filter(j -> j.getStatus() != null && j.getStatus().getPhase() == Phase.Running)
              .count();
      if (running >= n) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("fewer than " + n + " jobs running after 150 s");
  }

  /** Patches annotations of random jobs every 100 ms, so status writes meet 409 conflicts. */
  private static Thread conflictWriter(
      E2eEnvironment env, int count, AtomicBoolean writing, AtomicInteger patches) {
    Random random = new Random(1);
    Thread t =
        new Thread(
            () -> {
              var jobs = env.client().resources(TuningJob.class).inNamespace(NS);
              while (writing.get()) {
                String name = "job-" + random.nextInt(count);
                try {
                  jobs.withName(name)
                      .edit(
                          j -> {
                            var annotations =
                                new java.util.HashMap<String, String>(
                                    j.getMetadata().getAnnotations() == null
                                        ? Map.of()
                                        : j.getMetadata().getAnnotations());
                            annotations.put(
                                "suite.tuning.dev/tick", Integer.toString(patches.get()));
                            j.getMetadata().setAnnotations(annotations);
                            return j;
                          });
                  patches.incrementAndGet();
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException gone) {
                  // deleted, or a conflict of our own: try another
                }
              }
            },
            "conflict-writer");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
