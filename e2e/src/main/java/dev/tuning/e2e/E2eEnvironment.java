package dev.tuning.e2e;

import dev.tuning.e2e.emulator.BedrockEmulator;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.OpenAiEmulator;
import dev.tuning.e2e.emulator.VertexEmulator;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.it.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Everything an end-to-end run needs, all on loopback: the real API server (CRD installed), the
 * three provider emulators, and the environment that points the operator process at them. OpenAI
 * jobs use a key from a Secret; Vertex jobs use Application Default Credentials served by the
 * emulator's metadata endpoint (as GKE Workload Identity would); Bedrock jobs sign with the example
 * access key in the Secret {@code aws-ml} (the emulator takes any well-formed key, in any Region).
 */
public final class E2eEnvironment implements AutoCloseable {

  private final KubernetesClient client;
  private final OpenAiEmulator openAi;
  private final VertexEmulator vertex;
  private final BedrockEmulator bedrock;

  public E2eEnvironment(EmulatorConfig config) throws IOException {
    this.client = RealApiServer.client();
    this.openAi = new OpenAiEmulator(config);
    this.vertex = new VertexEmulator(config);
    this.bedrock = new BedrockEmulator(config);
  }

  public KubernetesClient client() {
    return client;
  }

  public OpenAiEmulator openAi() {
    return openAi;
  }

  public VertexEmulator vertex() {
    return vertex;
  }

  public BedrockEmulator bedrock() {
    return bedrock;
  }

  public Path kubeconfig() {
    return RealApiServer.kubeconfigFile();
  }

  /** The operator's environment: emulator endpoints, ADC via the emulator, fast polling. */
  public Map<String, String> operatorEnv() {
    Map<String, String> env = new HashMap<>(OperatorProcess.fastPolling());
    env.put("OPENAI_BASE_URL", openAi.baseUrl());
    env.put("VERTEX_ENDPOINT", vertex.baseUrl());
    env.put("GCE_METADATA_HOST", "127.0.0.1:" + vertex.port());
    // Every Region's Bedrock client goes to the emulator (BEDROCK_REGIONS keeps its default).
    env.put("BEDROCK_ENDPOINT", bedrock.baseUrl());
    // A single-tenant development set-up: the operator's default credentials serve every
    // namespace and the samples' Vertex projects (production installs list them, or turn them off).
    env.put("DEFAULT_CREDENTIALS", "true");
    env.put("DEFAULT_CREDENTIALS_NAMESPACES", "*");
    env.put("VERTEX_DEFAULT_PROJECTS", "my-gcp-project,my-project");
    // Samples may name real provider hosts (Azure); only loopback is allowed here.
    env.put("OPENAI_ENDPOINT_ALLOWLIST", "127.0.0.1");
    env.put("LOG_LEVEL", "debug");
    // An unanswered create may land within this time; the e2e delays creates by at most 4 s, and
    // the settle must outlast the call timeout by a quarter (the operator checks).
    env.put("HTTP_CONNECT_TIMEOUT", "2s");
    env.put("HTTP_READ_TIMEOUT", "6s");
    env.put("HTTP_CALL_TIMEOUT", "6s");
    env.put("SUBMIT_SETTLE", "10s");
    // The emulators are not rate-limited services: the suites and the benchmark measure the
    // operator, not its budget (a run that measures the budget sets its own).
    env.put("PROVIDER_RATE_LIMITS", "openai=1000,vertex=1000,bedrock=1000");
    return env;
  }

  /**
   * An operator process that watches only {@code namespace} (as a sharded deployment would), or all
   * namespaces when it is empty.
   */
  public OperatorProcess operator(String namespace) {
    Map<String, String> env = operatorEnv();
    if (!namespace.isEmpty()) {
      env.put("WATCH_NAMESPACES", namespace);
    }
    return new OperatorProcess(kubeconfig(), env);
  }

  /** A namespace with the Secrets the samples reference. */
  public void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    for (String secret : List.of("openai", "azure-openai")) {
      client
          .secrets()
          .inNamespace(name)
          .resource(TuningJobs.secret(name, secret, "apiKey", "sk-e2e-" + secret))
          .serverSideApply();
    }
    client
        .secrets()
        .inNamespace(name)
        .resource(TuningJobs.awsSecret(name, "aws-ml"))
        .serverSideApply();
  }

  /** Runs the kubectl built with the API server against it. */
  public String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.kubectl().toString());
    command.add("--kubeconfig");
    command.add(kubeconfig().toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() {
    openAi.close();
    vertex.close();
    bedrock.close();
    client.close();
  }
}
