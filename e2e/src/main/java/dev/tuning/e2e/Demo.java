package dev.tuning.e2e;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.it.RealApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The local demo behind the README's run command: everything on loopback, nothing to install beyond
 * Java, Maven and Go (for the API server binaries), no cluster and no cloud account.
 */
public final class Demo {

  private static final String NS = "demo";

  private Demo() {}

  public static void main(String[] args) throws Exception {
    Duration running = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 20);
    say("starting a real kube-apiserver and etcd on 127.0.0.1 (kube-api-test)");
    Path kubeconfig = RealApiServer.kubeconfigFile();
    say("kubeconfig: " + kubeconfig + "  (try: kubectl --kubeconfig " + kubeconfig + " get tj -A)");
    var env =
        new E2eEnvironment(
            EmulatorConfig.defaults()
                .withValidating(Duration.ofSeconds(2))
                .withQueued(Duration.ofSeconds(3))
                .withRunning(running)
                .withCancelling(Duration.ofSeconds(2)));
    say(
        "OpenAI emulator at "
            + env.openAi().baseUrl()
            + ", Vertex AI emulator at "
            + env.vertex().baseUrl()
            + ", Amazon Bedrock emulator at "
            + env.bedrock().baseUrl());
    OperatorProcess operator = env.operator("");
    List<Process> children = new ArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  children.forEach(Process::destroy);
                  try {
                    operator.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  env.close();
                  System.out.println(
                      "[demo] stopped the operator, the emulators and the API server");
                },
                "demo-cleanup"));

    env.namespace(NS);
    say(
        "namespace "
            + NS
            + " with the samples' Secrets: openai and azure-openai (made-up API keys), aws-ml"
            + " (AWS's documented example access key; the Bedrock emulator takes any well-formed"
            + " key)");
    say(
        "starting the operator: java -jar target/tuning-operator.jar (logs: "
            + operator.logFile()
            + ")");
    operator.start().awaitReady(Duration.ofMinutes(2));
    say("kubectl apply -n " + NS + " -f config/samples/");
    System.out.print(env.kubectl("apply", "-n", NS, "-f", "config/samples/"));
    say(
        "kubectl get tj -n "
            + NS
            + " -w   (jobs take about "
            + running.plusSeconds(5).toSeconds()
            + " s)");
    Process watch =
        new ProcessBuilder(
                RealApiServer.kubectl().toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "get",
                "tj",
                "-n",
                NS,
                "-w")
            .inheritIO()
            .start();
    children.add(watch);

    Instant deadline = Instant.now().plus(running.plusMinutes(3));
    var jobs = env.client().resources(TuningJob.class).inNamespace(NS);
    while (Instant.now().isBefore(deadline)
        && !jobs.list().getItems().stream()
            .allMatch(
                j ->
                    j.getStatus() != null
                        && j.getStatus().getPhase() != null
                        && j.getStatus().getPhase().isTerminal())) {
      Thread.sleep(1000);
    }
    Thread.sleep(1500);
    watch.destroy();
    System.out.println();
    say("final state:");
    System.out.print(env.kubectl("get", "tj", "-n", NS));
    say(
        "azure-support-bot names a real Azure host; this offline demo allows only 127.0.0.1, so the"
            + " operator refused it before sending anything:");
    System.out.print(
        env.kubectl(
            "get",
            "tj/azure-support-bot",
            "-n",
            NS,
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"Failed\")].message}{\"\\n\"}"));
    say(
        "provider calls: OpenAI emulator "
            + env.openAi().requests().all().size()
            + " requests ("
            + env.openAi().creates().size()
            + " creates), Vertex emulator "
            + env.vertex().requests().all().size()
            + " requests ("
            + env.vertex().creates().size()
            + " creates), Bedrock emulator "
            + env.bedrock().requests().all().size()
            + " requests ("
            + env.bedrock().creates().size()
            + " creates)");
    say("deleting the TuningJobs (finished jobs release their finalizer at once)");
    env.kubectl("delete", "tj", "--all", "-n", NS, "--wait=true", "--timeout=60s");
    say("done");
    // Runs the cleanup hook; server threads would otherwise keep the JVM alive.
    System.exit(0);
  }

  private static void say(String message) {
    System.out.println("[demo] " + message);
  }
}
