package dev.tuning.operator.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.RecordedRequest;
import dev.tuning.e2e.emulator.VertexEmulator;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.provider.EmulatorReconcilerTestSupport;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.reconciler.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The real reconciler (JOSDK on the Fabric8 mock server) driving the real {@link VertexProvider},
 * with a service-account key from the job's Secret exchanged for tokens by google-auth, against the
 * in-process {@link VertexEmulator} on 127.0.0.1: jobs of each method run to their end through the
 * operator. What the provider itself does (tag search, cancel, no pause, error classes) is {@link
 * VertexProviderContractTest}; how the reconciler uses it, with the fake that passes the same
 * contract, is {@code TuningJobReconcilerTest}.
 */
@EnableKubernetesMockClient(crud = true)
class VertexReconcilerTest extends EmulatorReconcilerTestSupport {

  static final String PARENT = "projects/my-project/locations/us-central1";
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Short real-time stages; the API accepts only tokens the emulator's /token endpoint issued, so
   * every call proves the key in the Secret was exchanged for a token.
   */
  static final EmulatorConfig FAST =
      EmulatorConfig.defaults()
          .withValidating(Duration.ofMillis(200))
          .withQueued(Duration.ofMillis(200))
          .withRunning(Duration.ofSeconds(1))
          .withValidKeys(Set.of("no-static-token-is-valid"));

  KubernetesMockServer server;
  KubernetesClient client;
  VertexEmulator emulator;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  /** Starts the emulator with {@code config} and the operator with the real provider. */
  private void start(EmulatorConfig config) {
    emulator = new VertexEmulator(config);
    var settings = VertexProvider.Settings.defaults().withEndpoint(emulator.baseUrl());
    TuningProvider provider =
        new VertexProvider(
            http, settings, VertexTestSupport.loopbackSecretsOnly(), Clock.systemUTC());
    String key = VertexTestSupport.serviceAccountKey(emulator.tokenUri());
    startOperator(emulator, provider, TuningJobs.secret(NS, "gcp", "key.json", key));
  }

  @Test
  void shouldRunSupervisedJobToSucceededOnTheEmulator() throws Exception {
    start(FAST);
    TuningJob job = TuningJobs.vertex(NS, "sft");
    var hp = new Hyperparameters();
    hp.setEpochs(4);
    hp.setLearningRateMultiplier(0.5);
    job.getSpec().setHyperparameters(hp);
    job.getSpec().setTunedModelName("support-bot-v3");
    job.getSpec().setLabels(Map.of("team", "support"));
    apply(job);

    TuningJob done = awaitPhase("sft", Phase.Succeeded);
    assertThat(done.getStatus().getProgress())
        .as("Vertex reports no progress: the field stays absent")
        .isNull();

    var status = done.getStatus();
    assertThat(status.getJobId()).matches(PARENT + "/tuningJobs/\\d+");
    assertThat(status.getProviderState()).isEqualTo("JOB_STATE_SUCCEEDED");
    assertThat(status.getTunedModel()).matches(PARENT + "/models/\\d+@1");
    assertThat(status.getTunedModelEndpoint()).matches(PARENT + "/endpoints/\\d+");
    assertThat(status.getTuningDataStats()).isNotNull();
    assertThat(status.getTuningDataStats().getExampleCount()).isPositive();
    assertThat(status.getTuningDataStats().getBillableTokens()).isPositive();
    assertThat(status.getTuningDataStats().getStepCount()).isPositive();
    assertThat(status.getExperiment()).startsWith(PARENT + "/metadataStores/");
    assertThat(status.getCreateTime()).isNotNull();
    assertThat(status.getEndTime()).isNotNull();
    assertThat(status.getError()).isNull();
    assertThat(condition(done, "Succeeded").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_CREATED.value());
    assertThat(condition(done, "Synced").getStatus()).isEqualTo("True");

    List<RecordedRequest> creates = emulator.creates();
    assertThat(creates).hasSize(1);
    assertThat(creates.get(0).path()).isEqualTo("/v1/" + PARENT + "/tuningJobs");
    assertThat(creates.get(0).header("Authorization")).isEqualTo(RecordedRequest.REDACTED);
    JsonNode body = JSON.readTree(creates.get(0).body());
    assertThat(body.path("baseModel").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(body.path("tunedModelDisplayName").asText()).isEqualTo("support-bot-v3");
    assertThat(body.has("preferenceOptimizationSpec")).isFalse();
    JsonNode spec = body.path("supervisedTuningSpec");
    assertThat(spec.path("trainingDatasetUri").asText()).isEqualTo("gs://bucket/train.jsonl");
    JsonNode epochs = spec.path("hyperParameters").path("epochCount");
    assertThat(epochs.isTextual()).as("int64 epochCount is a JSON string").isTrue();
    assertThat(epochs.asText()).isEqualTo("4");
    assertThat(spec.path("hyperParameters").path("learningRateMultiplier").asDouble())
        .isEqualTo(0.5);
    assertThat(body.path("labels").path(TuningProvider.TAG_KEY).asText())
        .isEqualTo(done.getMetadata().getUid());
    assertThat(body.path("labels").path("team").asText()).isEqualTo("support");
    // the service-account key was exchanged for a token at the key's token_uri
    assertThat(emulator.count("POST", "/token")).isGreaterThanOrEqualTo(1);
    assertThat(emulator.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldRunPreferenceJobWithPreferenceOptimizationSpec() throws Exception {
    start(FAST);
    TuningJob job = TuningJobs.vertex(NS, "pref");
    job.getSpec().setMethod(TuningMethod.PREFERENCE);
    var hp = new Hyperparameters();
    hp.setBeta(0.3);
    job.getSpec().setHyperparameters(hp);
    apply(job);

    TuningJob done = awaitPhase("pref", Phase.Succeeded);

    assertThat(done.getStatus().getTunedModel()).matches(PARENT + "/models/\\d+@1");
    assertThat(done.getStatus().getTuningDataStats()).isNotNull();
    assertThat(done.getStatus().getTuningDataStats().getExampleCount()).isPositive();
    assertThat(condition(done, "Succeeded").getStatus()).isEqualTo("True");
    assertThat(emulator.creates()).hasSize(1);
    JsonNode body = JSON.readTree(emulator.creates().get(0).body());
    assertThat(body.has("supervisedTuningSpec")).isFalse();
    JsonNode spec = body.path("preferenceOptimizationSpec");
    assertThat(spec.path("trainingDatasetUri").asText()).isEqualTo("gs://bucket/train.jsonl");
    assertThat(spec.path("hyperParameters").path("beta").asDouble()).isEqualTo(0.3);
  }

  @Test
  void shouldReportTheEmulatorsErrorForAFailedJob() {
    start(FAST);
    TuningJob job = TuningJobs.vertex(NS, "broken");
    job.getSpec().setTrainingData("gs://bucket/fail-train.jsonl");
    apply(job);

    TuningJob failed = awaitPhase("broken", Phase.Failed);

    var status = failed.getStatus();
    assertThat(status.getProviderState()).isEqualTo("JOB_STATE_FAILED");
    assertThat(status.getError().getCode()).isEqualTo("3");
    assertThat(status.getError().getMessage())
        .contains("gs://bucket/fail-train.jsonl")
        .contains("is invalid");
    assertThat(status.getTunedModel()).isNull();
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
                      assertThat(e.getMessage()).contains("is invalid");
                    }));
    assertThat(emulator.creates()).hasSize(1);
  }
}
