package dev.tuning.operator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.api.v1alpha1.ProviderType;
import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.JobContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;

/** Shared test data: a spec, a context with a sentinel key, golden JSON and HTTP helpers. */
final class OpenAiFixtures {

  /** A key that must never show up in any message, string or log. */
  static final String SENTINEL_KEY = "sk-proj-SENTINEL0000secret0000KEY";

  static final String UID = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-01T12:00:00Z"), ZoneOffset.UTC);

  private OpenAiFixtures() {}

  /** A minimal valid supervised OpenAI spec. */
  static TuningJobSpec spec() {
    var spec = new TuningJobSpec();
    spec.setProvider(ProviderType.OPENAI);
    spec.setBaseModel("gpt-4o-mini-2024-07-18");
    spec.setTrainingData("file-train123");
    var openai = new OpenAiSpec();
    openai.setApiKeySecretRef(new SecretKeyRef("openai", "apiKey"));
    spec.setOpenai(openai);
    return spec;
  }

  static JobContext ctx(TuningJobSpec spec) {
    return ctx(spec, jobSecret());
  }

  static JobContext ctx(TuningJobSpec spec, Credential credential) {
    return ctx(UID, spec, credential);
  }

  /** The one place the OpenAI tests build a context. */
  static JobContext ctx(String uid, TuningJobSpec spec, Credential credential) {
    return new JobContext(uid, "ml", "support-bot", OpenAiRequest.of(spec), credential);
  }

  static Credential jobSecret() {
    return Credential.fromJobSecret(
        SENTINEL_KEY.getBytes(StandardCharsets.UTF_8), "ml/openai/apiKey");
  }

  static OkHttpClient http() {
    return new OkHttpClient.Builder()
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .readTimeout(Duration.ofSeconds(5))
        .callTimeout(10, TimeUnit.SECONDS)
        .build();
  }

  /** A golden job object from {@code src/test/resources/provider/openai/}. */
  static String resource(String name) {
    try (InputStream in = OpenAiFixtures.class.getResourceAsStream("/provider/openai/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setHeader("x-request-id", "req_123")
        .setBody(body);
  }

  static MockResponse job(String status) {
    return json(200, jobJson("ftjob-abc123", status, 1721764800L, Map.of("tuningjob-uid", UID)));
  }

  /** A compact job object with the given id, status, creation time and metadata. */
  static String jobJson(String id, String status, long createdAt, Map<String, String> metadata) {
    var node = OpenAiMapper.JSON.createObjectNode();
    node.put("object", "fine_tuning.job")
        .put("id", id)
        .put("model", "gpt-4o-mini-2024-07-18")
        .put("created_at", createdAt)
        .put("status", status)
        .put("training_file", "file-train123");
    node.set("metadata", OpenAiMapper.JSON.valueToTree(metadata));
    return node.toString();
  }

  static JsonNode tree(String json) {
    try {
      return OpenAiMapper.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An OpenAI error envelope. */
  static String error(String message, String type, String param, String code) {
    var error = OpenAiMapper.JSON.createObjectNode();
    error.put("message", message).put("type", type).put("param", param).put("code", code);
    return OpenAiMapper.JSON.createObjectNode().set("error", error).toString();
  }
}
