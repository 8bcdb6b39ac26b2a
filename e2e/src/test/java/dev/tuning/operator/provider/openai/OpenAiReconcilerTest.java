package dev.tuning.operator.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.OpenAiEmulator;
import dev.tuning.e2e.emulator.RecordedRequest;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.OpenAiReinforcement;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.provider.EmulatorReconcilerTestSupport;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.reconciler.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The real reconciler (JOSDK on the Fabric8 mock server) driving the real {@link OpenAiProvider}
 * and its OkHttp client against the in-process {@link OpenAiEmulator} on 127.0.0.1: jobs of each
 * method run to their end through the operator. What the provider itself does (tag search, cancel,
 * pause and resume, error classes) is {@link OpenAiProviderContractTest}; how the reconciler uses
 * it, with the fake that passes the same contract, is {@code TuningJobReconcilerTest}.
 */
@EnableKubernetesMockClient(crud = true)
class OpenAiReconcilerTest extends EmulatorReconcilerTestSupport {

  static final String API_KEY = "sk-emulator-test";
  static final ObjectMapper JSON = new ObjectMapper();

  /** Short real-time stages: a job succeeds about 1.4 s after its create. */
  static final EmulatorConfig FAST =
      EmulatorConfig.defaults()
          .withValidating(Duration.ofMillis(200))
          .withQueued(Duration.ofMillis(200))
          .withRunning(Duration.ofSeconds(1))
          .withValidKeys(Set.of(API_KEY));

  KubernetesMockServer server;
  KubernetesClient client;
  OpenAiEmulator emulator;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  /** Starts the emulator with {@code config} and the operator with the real provider. */
  private void start(EmulatorConfig config) {
    emulator = new OpenAiEmulator(config);
    var settings =
        OpenAiProvider.Settings.defaults().withDefaultBaseUrl(URI.create(emulator.baseUrl()));
    TuningProvider provider = new OpenAiProvider(http, settings, Clock.systemUTC());
    startOperator(emulator, provider, TuningJobs.secret(NS, "openai", "apiKey", API_KEY));
  }

  @Test
  void shouldRunSupervisedJobToSucceededOnTheEmulator() throws Exception {
    start(FAST);
    TuningJob job = TuningJobs.openAi(NS, "sft");
    job.getSpec().setTunedModelName("support-bot");
    job.getSpec().setSeed(42);
    job.getSpec().setLabels(Map.of("team", "support"));
    var hp = new Hyperparameters();
    hp.setEpochs(2);
    job.getSpec().setHyperparameters(hp);
    apply(job);

    TuningJob done = awaitPhase("sft", Phase.Succeeded);

    var status = done.getStatus();
    assertThat(status.getJobId()).startsWith("ftjob-");
    assertThat(status.getProviderState()).isEqualTo("succeeded");
    assertThat(status.getTunedModel())
        .startsWith("ft:gpt-4.1-mini-2025-04-14:emulator:support-bot:");
    // the emulator bills 1000 tokens per epoch plus seed % 997
    assertThat(status.getTrainedTokens()).isEqualTo(2042L);
    assertThat(status.getResultFiles()).singleElement().asString().startsWith("file-");
    assertThat(status.getHyperparameters())
        .containsEntry("n_epochs", "2")
        .containsEntry("batch_size", "1")
        .containsEntry("learning_rate_multiplier", "1.8");
    assertThat(status.getCreateTime()).isNotNull();
    assertThat(status.getEndTime()).isNotNull();
    assertThat(status.getError()).isNull();
    // progress from the newest checkpoint, read at a low rate: every POLL_PROGRESS (30 min) while
    // it runs, not when first seen running (there is nothing yet), and once more when it ends
    assertThat(status.getProgress().getStep()).isPositive();
    assertThat(status.getProgress().getTrainingLoss()).isNotNull();
    assertThat(emulator.count("GET", "/v1/fine_tuning/jobs/[^/]+/checkpoints"))
        .isEqualTo(1)
        .isLessThan(
            emulator.count("GET", "/v1/fine_tuning/jobs/[^/?]+")
                + emulator.count("GET", "/v1/fine_tuning/jobs"));
    assertThat(condition(done, "Succeeded").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_CREATED.value());
    assertThat(condition(done, "Synced").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Failed").getStatus()).isEqualTo("False");
    awaitEventReasons("sft", "JobCreated", "Running", "Succeeded");

    List<RecordedRequest> creates = emulator.creates();
    assertThat(creates).hasSize(1);
    assertThat(creates.get(0).header("Authorization")).isEqualTo(RecordedRequest.REDACTED);
    JsonNode body = JSON.readTree(creates.get(0).body());
    assertThat(body.path("model").asText()).isEqualTo("gpt-4.1-mini-2025-04-14");
    assertThat(body.path("training_file").asText()).isEqualTo("file-train123");
    assertThat(body.path("method").path("type").asText()).isEqualTo("supervised");
    assertThat(body.path("method").path("supervised").path("hyperparameters").path("n_epochs"))
        .isEqualTo(JSON.valueToTree(2));
    assertThat(body.path("suffix").asText()).isEqualTo("support-bot");
    assertThat(body.path("seed").asLong()).isEqualTo(42L);
    assertThat(body.path("metadata").path(TuningProvider.TAG_KEY).asText())
        .isEqualTo(done.getMetadata().getUid());
    assertThat(body.path("metadata").path("team").asText()).isEqualTo("support");
    assertThat(emulator.jobCount()).isEqualTo(1);
    // terminal jobs are not polled any more
    int reads = emulator.count("GET", "/v1/fine_tuning/jobs/.+");
    await()
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(() -> emulator.count("GET", "/v1/fine_tuning/jobs/.+") == reads);
  }

  @Test
  void shouldRunPreferenceJobAsDpoWithBeta() throws Exception {
    start(FAST);
    TuningJob job = TuningJobs.openAi(NS, "dpo");
    job.getSpec().setMethod(TuningMethod.PREFERENCE);
    var hp = new Hyperparameters();
    hp.setBeta(0.25);
    job.getSpec().setHyperparameters(hp);
    apply(job);

    TuningJob done = awaitPhase("dpo", Phase.Succeeded);

    assertThat(done.getStatus().getTunedModel()).startsWith("ft:");
    assertThat(done.getStatus().getHyperparameters())
        .containsEntry("beta", "0.25")
        .containsEntry("n_epochs", "3");
    assertThat(condition(done, "Succeeded").getStatus()).isEqualTo("True");
    assertThat(emulator.creates()).hasSize(1);
    JsonNode method = JSON.readTree(emulator.creates().get(0).body()).path("method");
    assertThat(method.path("type").asText()).isEqualTo("dpo");
    assertThat(method.path("dpo").path("hyperparameters").path("beta").asDouble()).isEqualTo(0.25);
    assertThat(method.has("supervised")).isFalse();
  }

  @Test
  void shouldPassTheReinforcementGraderThroughUnchanged() throws Exception {
    start(FAST);
    JsonNode grader =
        JSON.readTree(
            """
            {"type": "string_check", "name": "exact answer",
             "input": "{{sample.output_text}}", "reference": "{{item.answer}}",
             "operation": "eq"}
            """);
    TuningJob job = TuningJobs.openAi(NS, "rft");
    job.getSpec().setBaseModel("o4-mini-2025-04-16");
    job.getSpec().setMethod(TuningMethod.REINFORCEMENT);
    var rl = new OpenAiReinforcement();
    rl.setGrader(grader);
    rl.setReasoningEffort(OpenAiReinforcement.ReasoningEffort.LOW);
    job.getSpec().getOpenai().setReinforcement(rl);
    apply(job);

    TuningJob done = awaitPhase("rft", Phase.Succeeded);

    assertThat(done.getStatus().getTunedModel()).startsWith("ft:o4-mini-2025-04-16:emulator:");
    assertThat(done.getStatus().getHyperparameters()).containsEntry("reasoning_effort", "low");
    assertThat(emulator.creates()).hasSize(1);
    JsonNode method = JSON.readTree(emulator.creates().get(0).body()).path("method");
    assertThat(method.path("type").asText()).isEqualTo("reinforcement");
    assertThat(method.path("reinforcement").path("grader")).isEqualTo(grader);
    assertThat(
            method.path("reinforcement").path("hyperparameters").path("reasoning_effort").asText())
        .isEqualTo("low");
    // and the job the emulator keeps carries the very same grader
    JsonNode stored = emulatorGet("/fine_tuning/jobs/" + done.getStatus().getJobId());
    assertThat(stored.path("method").path("reinforcement").path("grader")).isEqualTo(grader);
  }

  @Test
  void shouldReportTheEmulatorsErrorForAFailedJob() {
    start(FAST);
    TuningJob job = TuningJobs.openAi(NS, "broken");
    job.getSpec().setTrainingData("file-failtrain");
    apply(job);

    TuningJob failed = awaitPhase("broken", Phase.Failed);

    var error = failed.getStatus().getError();
    assertThat(error.getCode()).isEqualTo("invalid_training_file");
    assertThat(error.getMessage()).contains("file-failtrain").contains("could not be parsed");
    assertThat(error.getParam()).isEqualTo("training_file");
    assertThat(failed.getStatus().getProviderState()).isEqualTo("failed");
    assertThat(failed.getStatus().getTunedModel()).isNull();
    assertThat(condition(failed, "Failed").getStatus()).isEqualTo("True");
    assertThat(condition(failed, "Failed").getReason()).isEqualTo(Reason.JOB_FAILED.value());
    assertThat(condition(failed, "Succeeded").getStatus()).isEqualTo("False");
    awaitEvents(
        "broken",
        events ->
            assertThat(events)
                .anySatisfy(
                    e -> {
                      assertThat(e.getType()).isEqualTo("Warning");
                      assertThat(e.getMessage()).contains("could not be parsed");
                    }));
    assertThat(emulator.creates()).hasSize(1);
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Reads from the emulator's API directly (not through the operator). */
  private JsonNode emulatorGet(String path) {
    Request request =
        new Request.Builder()
            .url(emulator.baseUrl() + path)
            .header("Authorization", "Bearer " + API_KEY)
            .build();
    try (Response response = http.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      return JSON.readTree(response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
