package dev.tuning.operator.helm;

import dev.tuning.e2e.OperatorProcess;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Plays the Job controller and the kubelet for a release's Helm hook Jobs, which kube-api-test
 * cannot run (no controller manager, no nodes): each new Job's container is run as the built
 * operator jar with the Job's arguments and literal environment, authenticated as the Job's
 * ServiceAccount (a TokenRequest token, as the pod would mount), and its outcome is written to the
 * Job's status the way the Job controller does, so Helm's wait for the hook sees it finish.
 */
final class HookJobRunner implements AutoCloseable {

  /** One hook Job run: its name, container arguments, exit code and output. */
  record Run(String job, List<String> args, int exit, String logs) {}

  private final KubernetesClient admin;
  private final String namespace;
  private final String release;
  private final BiConsumer<Job, Path> beforeRun;
  private final List<Run> runs = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param beforeRun called with each Job and its ServiceAccount kubeconfig before it runs, e.g. to
   *     probe what that ServiceAccount may do while the hook's RBAC exists
   */
  HookJobRunner(
      KubernetesClient admin, String namespace, String release, BiConsumer<Job, Path> beforeRun) {
    this.admin = admin;
    this.namespace = namespace;
    this.release = release;
    this.beforeRun = beforeRun;
    this.thread = new Thread(this::loop, "hook-job-runner-" + release);
    thread.setDaemon(true);
    thread.start();
  }

  List<Run> runs() {
    return List.copyOf(runs);
  }

  /** Anything that went wrong in the runner itself (not a Job failing, which is a Run). */
  List<Throwable> failures() {
    return List.copyOf(failures);
  }

  private void loop() {
    while (running) {
      try {
        for (Job job :
            admin
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/instance", release)
                .list()
                .getItems()) {
          if (seen.add(job.getMetadata().getUid())) {
            run(job);
          }
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        failures.add(t);
      }
    }
  }

  private void run(Job job) throws Exception {
    var pod = job.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : container.getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
      }
    }
    Path kubeconfig = HelmChartIT.serviceAccountKubeconfig(admin, pod.getServiceAccountName());
    beforeRun.accept(job, kubeconfig);
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    int exit;
    String logs;
    try (var process = new OperatorProcess(kubeconfig, env, container.getArgs()).start()) {
      exit = process.awaitExit(Duration.ofMinutes(2));
      logs = process.logs();
    }
    runs.add(new Run(job.getMetadata().getName(), container.getArgs(), exit, logs));
    finish(job, started, exit == 0);
  }

  /** Writes the terminal status the Job controller would (validated by the API server). */
  private void finish(Job job, Instant started, boolean succeeded) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
    var status = new JobStatusBuilder().withStartTime(started.toString()).withActive(0);
    if (succeeded) {
      status
          .withSucceeded(1)
          .withCompletionTime(now)
          .withConditions(condition("SuccessCriteriaMet", "CompletionsReached", now))
          .addToConditions(condition("Complete", "CompletionsReached", now));
    } else {
      status
          .withFailed(1)
          .withConditions(condition("FailureTarget", "BackoffLimitExceeded", now))
          .addToConditions(condition("Failed", "BackoffLimitExceeded", now));
    }
    admin
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(job.getMetadata().getName())
        .editStatus(
            j -> {
              j.setStatus(status.build());
              return j;
            });
  }

  private static JobCondition condition(String type, String reason, String time) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withLastProbeTime(time)
        .withLastTransitionTime(time)
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
  }
}
