package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.ProviderType;
import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.api.v1alpha1.VertexSpec;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import dev.tuning.operator.provider.vertex.GoogleCredentialsFactory;
import dev.tuning.operator.provider.vertex.GoogleSecretPolicy;
import dev.tuning.operator.provider.vertex.VertexProvider;
import dev.tuning.operator.reconciler.Observed;
import dev.tuning.operator.reconciler.StatusFactory;
import dev.tuning.operator.text.SafeText;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One provider message, answered by OpenAI and by Vertex AI, comes out sanitized the same way and
 * cut at the same length, in the exception and in every status message built from it.
 */
class SanitizedMessagesTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-01T12:00:00Z"), ZoneOffset.UTC);
  static final String KEY = "sk-proj-SANITIZE0000secret0000KEY";
  static final String TOKEN = "ya29.SANITIZE-access-token";
  static final String UID = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
  static final String VERTEX_JOB = "projects/123456789/locations/us-central1/tuningJobs/4567";

  /** Control characters, both providers' secrets, and far more than the limit. */
  static final String RAW =
      "Invalid\trequest:\nthe key "
          + KEY
          + " and Authorization: Bearer "
          + TOKEN
          + " were refused\u0007 "
          + "x".repeat(3000);

  private MockWebServer server;
  private final OkHttpClient http =
      new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private static String quoted(String s) {
    return ProviderJson.MAPPER.valueToTree(s).toString();
  }

  private ProviderException openAiFails() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"error\":{\"message\":"
                    + quoted(RAW)
                    + ",\"type\":\"invalid_request_error\"}}"));
    var provider =
        new OpenAiProvider(
            http,
            OpenAiProvider.Settings.defaults().withDefaultBaseUrl(server.url("/v1").uri()),
            CLOCK);
    var spec = new TuningJobSpec();
    spec.setProvider(ProviderType.OPENAI);
    spec.setBaseModel("gpt-4o-mini-2024-07-18");
    spec.setTrainingData("file-train123");
    spec.setOpenai(new OpenAiSpec());
    spec.getOpenai().setApiKeySecretRef(new SecretKeyRef("openai", "apiKey"));
    var credential =
        Credential.fromJobSecret(KEY.getBytes(StandardCharsets.UTF_8), "ml/openai/apiKey");
    var ctx = new JobContext(UID, "ml", "support-bot", provider.prepare(spec), credential);
    return catchThrowableOfType(ProviderException.class, () -> provider.get(ctx, "ftjob-abc123"));
  }

  private ProviderException vertexFails() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"error\":{\"code\":400,\"message\":"
                    + quoted(RAW)
                    + ",\"status\":\"INVALID_ARGUMENT\"}}"));
    var expiry = Date.from(Instant.now().plus(Duration.ofDays(1)));
    var credentials =
        new GoogleCredentialsFactory(
            NetHttpTransport::new,
            transport ->
                GoogleCredentials.newBuilder()
                    .setAccessToken(new AccessToken("ya29.operator-token", expiry))
                    .build(),
            GoogleSecretPolicy.serviceAccountKeysOnly());
    var provider =
        new VertexProvider(
            http,
            VertexProvider.Settings.defaults()
                .withEndpoint(server.url("/").toString())
                .withAmbientAllowed(AllowList.of(List.of("my-proj")), AllowList.none()),
            credentials,
            CLOCK);
    var spec = new TuningJobSpec();
    spec.setProvider(ProviderType.VERTEX);
    spec.setBaseModel("gemini-2.5-flash");
    spec.setTrainingData("gs://bucket/train.jsonl");
    spec.setVertex(new VertexSpec());
    spec.getVertex().setProject("my-proj");
    spec.getVertex().setLocation("us-central1");
    return catchThrowableOfType(
        ProviderException.class,
        () ->
            provider.get(
                new JobContext(
                    UID, "ml", "support-bot", provider.prepare(spec), Credential.ambient()),
                VERTEX_JOB));
  }

  @Test
  void shouldSanitizeOneProviderMessageTheSameWayForOpenAiAndVertex() {
    String expected = SafeText.sanitize(RAW);

    assertThat(expected)
        .startsWith(
            "Invalid request: the key [redacted] and Authorization: [redacted] were refused")
        .doesNotContain(KEY, TOKEN, "SANITIZE", "\t", "\n", "\u0007")
        .endsWith("x…");
    assertThat(expected.getBytes(StandardCharsets.UTF_8)).hasSize(SafeText.MAX_BYTES);
    assertThat(openAiFails().getMessage())
        .isEqualTo("OpenAI get failed: HTTP 400 (invalid_request_error): " + expected);
    assertThat(vertexFails().getMessage())
        .isEqualTo("Vertex AI get failed: HTTP 400 INVALID_ARGUMENT: " + expected);
  }

  @Test
  void shouldCutEveryStatusMessageAtTheSameLength() {
    for (ProviderException e : List.of(openAiFails(), vertexFails())) {
      TuningJob resource = new TuningJob();
      resource.setMetadata(new ObjectMetaBuilder().withName("j").withGeneration(1L).build());
      resource.setSpec(new TuningJobSpec());
      TuningJobStatus failed =
          new StatusFactory(CLOCK, Duration.ofMinutes(5))
              .build(
                  resource,
                  Observed.withoutJob(Phase.Failed)
                      .withFailure(
                          dev.tuning.operator.reconciler.Reason.PROVIDER_REJECTED,
                          new JobError("c", e.getMessage(), null)));
      TuningJobStatus unsynced =
          new StatusFactory(CLOCK, Duration.ofMinutes(5))
              .build(
                  resource,
                  Observed.withoutJob(Phase.Pending)
                      .withSyncFailure(
                          dev.tuning.operator.reconciler.Reason.PROVIDER_UNAVAILABLE,
                          e.getMessage()));

      List<String> messages =
          List.of(
              failed.getError().getMessage(),
              condition(failed, "Failed"),
              condition(unsynced, "Synced"));
      assertThat(messages)
          .allSatisfy(
              m ->
                  assertThat(m.getBytes(StandardCharsets.UTF_8))
                      .hasSize(SafeText.MAX_BYTES)
                      .isEqualTo(
                          SafeText.sanitize(e.getMessage()).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String condition(TuningJobStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow()
        .getMessage();
  }
}
