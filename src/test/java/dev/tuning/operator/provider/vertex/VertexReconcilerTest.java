package dev.tuning.operator.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.javanet.NetHttpTransport;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.MutableClock;
import dev.tuning.e2e.emulator.RecordedRequest;
import dev.tuning.e2e.emulator.VertexEmulator;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.provider.CrashOnceProvider;
import dev.tuning.operator.provider.EmulatorReconcilerTestSupport;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.reconciler.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The real reconciler (JOSDK on the Fabric8 mock server) driving the real {@link VertexProvider},
 * with a service-account key from the job's Secret exchanged for tokens by google-auth, against the
 * in-process {@link VertexEmulator} on 127.0.0.1.
 */
@EnableKubernetesMockClient(crud = true)
class VertexReconcilerTest extends EmulatorReconcilerTestSupport {

  static final String PARENT = "projects/my-project/locations/us-central1";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PEM = pkcs8Pem();

  /**
   * Short real-time stages; the API accepts only tokens the emulator's /token endpoint issued, so
   * every call proves the key in the Secret was exchanged for a token.
   */
  static final EmulatorConfig FAST =
      EmulatorConfig.defaults()
          .withValidating(Duration.ofMillis(200))
          .withQueued(Duration.ofMillis(200))
          .withRunning(Duration.ofSeconds(1))
          .withCancelling(Duration.ofMillis(500))
          .withValidKeys(Set.of("no-static-token-is-valid"));

  KubernetesMockServer server;
  KubernetesClient client;
  VertexEmulator emulator;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  private void start(EmulatorConfig config, UnaryOperator<TuningProvider> wrap) {
    emulator = new VertexEmulator(config);
    NetHttpTransport transport = new NetHttpTransport();
    var credentials =
        new GoogleCredentialsFactory(
            () -> transport,
            t -> {
              throw new IOException("no Application Default Credentials in this test");
            },
            GoogleSecretPolicy.serviceAccountKeysOnly().withLoopbackAllowed());
    var settings = VertexProvider.Settings.defaults().withEndpoint(emulator.baseUrl());
    TuningProvider provider =
        wrap.apply(new VertexProvider(http, settings, credentials, Clock.systemUTC()));
    startOperator(
        emulator, provider, TuningJobs.secret(NS, "gcp", "key.json", serviceAccountKey()));
  }

  private void start(EmulatorConfig config) {
    start(config, UnaryOperator.identity());
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

  @Test
  void shouldCancelTheRunningJobOnceWhenDeletedAndWaitForItToEnd() {
    start(FAST.withRunning(Duration.ofMinutes(30)).withCancelling(Duration.ofSeconds(2)));
    apply(TuningJobs.vertex(NS, "doomed"));
    String jobId = awaitPhase("doomed", Phase.Running).getStatus().getJobId();

    tuningJobs().withName("doomed").delete();

    // the job stays CANCELLING at Vertex for a while: the finalizer holds the resource meanwhile
    TuningJob cancelling = awaitPhase("doomed", Phase.Cancelling);
    assertThat(cancelling.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(cancelling.getStatus().getProviderState()).isEqualTo("JOB_STATE_CANCELLING");
    await().atMost(WAIT).until(() -> get("doomed").isEmpty());
    assertThat(emulator.cancels())
        .singleElement()
        .extracting(RecordedRequest::path)
        .isEqualTo("/v1/" + jobId + ":cancel");
    JsonNode job = emulatorGet(jobId);
    assertThat(job.path("state").asText()).isEqualTo("JOB_STATE_CANCELLED");
    assertThat(job.path("error").path("message").asText()).isEqualTo("CANCELLED");
    assertThat(emulator.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldAdoptTheTaggedJobAfterACrashBetweenCreateAndStatusWrite() {
    CrashOnceProvider[] crashy = new CrashOnceProvider[1];
    start(FAST, p -> crashy[0] = new CrashOnceProvider(p));
    apply(TuningJobs.vertex(NS, "crashy"));

    TuningJob done = awaitPhase("crashy", Phase.Succeeded);

    assertThat(crashy[0].lostJobId()).matches(PARENT + "/tuningJobs/\\d+");
    assertThat(crashy[0].creates()).isEqualTo(1);
    assertThat(emulator.creates()).hasSize(1);
    assertThat(emulator.jobCount()).isEqualTo(1);
    assertThat(done.getStatus().getJobId()).isEqualTo(crashy[0].lostJobId());
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_ADOPTED.value());
    assertThat(condition(done, "Succeeded").getStatus()).isEqualTo("True");
    // found through the list endpoint with the label filter
    assertThat(emulator.requests().matching("GET", "/v1/" + PARENT + "/tuningJobs"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.query()).contains(done.getMetadata().getUid()));
  }

  @Test
  void shouldReportSuspendNotSupportedAndLetTheJobRunOn() {
    // The emulator's clock stands still until the test moves it: the job is held in each stage.
    MutableClock clock = new MutableClock();
    start(
        FAST.withClock(clock)
            .withValidating(Duration.ofSeconds(1))
            .withQueued(Duration.ofSeconds(1))
            .withRunning(Duration.ofSeconds(10)));
    apply(TuningJobs.vertex(NS, "nopause"));
    awaitPhase("nopause", Phase.Queued);
    clock.advance(Duration.ofSeconds(2));
    awaitPhase("nopause", Phase.Running);

    setSuspend("nopause", true);

    await()
        .atMost(WAIT)
        .until(
            () ->
                get("nopause")
                    .map(j -> reason(j, "Suspended"))
                    .orElse("")
                    .equals(Reason.NOT_SUPPORTED.value()));
    TuningJob running = get("nopause").orElseThrow();
    assertThat(condition(running, "Suspended").getStatus()).isEqualTo("False");
    assertThat(running.getStatus().getPhase()).isEqualTo(Phase.Running);
    assertThat(running.getStatus().getProviderState()).isEqualTo("JOB_STATE_RUNNING");

    // the job was neither paused nor cancelled: it finishes on its own
    clock.advance(Duration.ofSeconds(10));
    TuningJob done = awaitPhase("nopause", Phase.Succeeded);
    assertThat(done.getStatus().getTunedModel()).matches(PARENT + "/models/\\d+@1");
    assertThat(emulator.cancels()).isEmpty();
    assertThat(emulator.requests().all())
        .filteredOn(r -> r.method().equals("POST"))
        .extracting(RecordedRequest::path)
        .allMatch(p -> p.equals("/token") || p.equals("/v1/" + PARENT + "/tuningJobs"));
    assertThat(emulator.creates()).hasSize(1);
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String pkcs8Pem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(keys.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A service-account key whose token_uri is the emulator's token endpoint. */
  private String serviceAccountKey() {
    Map<String, String> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "my-project");
    key.put("private_key_id", "kid-emulator-1");
    key.put("private_key", PEM);
    key.put("client_email", "tuner@my-project.iam.gserviceaccount.com");
    key.put("client_id", "1234567890");
    key.put("token_uri", emulator.tokenUri());
    try {
      return JSON.writeValueAsString(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a job from the emulator's API directly, with a token from its own token endpoint. */
  private JsonNode emulatorGet(String jobName) {
    try {
      String token;
      Request tokenRequest =
          new Request.Builder()
              .url(emulator.tokenUri())
              .post(
                  okhttp3.RequestBody.create(
                      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                          + "&assertion=test.jwt.assertion",
                      okhttp3.MediaType.get("application/x-www-form-urlencoded")))
              .build();
      try (Response response = http.newCall(tokenRequest).execute()) {
        token = JSON.readTree(response.body().string()).path("access_token").asText();
      }
      Request request =
          new Request.Builder()
              .url(emulator.baseUrl() + "/v1/" + jobName)
              .header("Authorization", "Bearer " + token)
              .build();
      try (Response response = http.newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(200);
        return JSON.readTree(response.body().string());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
