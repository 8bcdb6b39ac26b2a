package dev.tuning.operator.provider.vertex;

import static dev.tuning.operator.provider.vertex.VertexTestSupport.JOB_NAME;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.UID;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.ctx;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.fullSpec;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.json;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.resource;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VertexProviderTest {

  private static final String PARENT = "/v1/projects/my-proj/locations/us-central1/tuningJobs";
  private static final String JOB_PATH = "/v1/" + JOB_NAME;

  private final ObjectMapper json = new ObjectMapper();
  private final List<ProviderCall> calls = new CopyOnWriteArrayList<>();
  private MockWebServer server;
  private VertexProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider =
        VertexTestSupport.provider(
            server, VertexTestSupport.staticToken("test-token", "billing-proj"), calls);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private static String job(String state, String... labels) {
    String extra = labels.length == 0 ? "" : ",\"labels\":{" + String.join(",", labels) + "}";
    return "{\"name\":\"" + JOB_NAME + "\",\"state\":\"" + state + "\"" + extra + "}";
  }

  private void assertAuthenticated(RecordedRequest request) {
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer test-token");
    assertThat(request.getHeader("x-goog-user-project")).isEqualTo("billing-proj");
  }

  @Test
  void shouldCreateSupervisedJobWithEveryField() throws Exception {
    server.enqueue(json(200, resource("job-queued.json")));

    ProviderJob job = provider.create(ctx(fullSpec(TuningMethod.SUPERVISED)));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo(PARENT);
    assertAuthenticated(request);
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    JsonNode expected =
        json.readTree(
            """
            {"baseModel":"gemini-2.5-flash",
             "tunedModelDisplayName":"support-bot-v3",
             "description":"support bot, third try",
             "supervisedTuningSpec":{
               "trainingDatasetUri":"gs://bucket/train.jsonl",
               "validationDatasetUri":"gs://bucket/val.jsonl",
               "hyperParameters":{"epochCount":"3","learningRateMultiplier":0.5,
                                  "adapterSize":"ADAPTER_SIZE_FOUR"},
               "exportLastCheckpointOnly":true},
             "labels":{"team":"support","tuningjob-uid":"%s"},
             "encryptionSpec":{"kmsKeyName":
               "projects/my-proj/locations/us-central1/keyRings/r/cryptoKeys/k"},
             "serviceAccount":"tuner@my-proj.iam.gserviceaccount.com"}
            """
                .formatted(UID));
    JsonNode body = json.readTree(request.getBody().readUtf8());
    assertThat(body).isEqualTo(expected);
    assertThat(body.at("/supervisedTuningSpec/hyperParameters/epochCount").isTextual()).isTrue();
    assertThat(job.id()).isEqualTo(JOB_NAME);
    assertThat(job.state()).isEqualTo(ProviderJobState.QUEUED);
    assertThat(calls).containsExactly(new ProviderCall("vertex", "create"));
  }

  @Test
  void shouldCreatePreferenceJobWithBeta() throws Exception {
    server.enqueue(json(200, job("JOB_STATE_PENDING")));

    provider.create(ctx(fullSpec(TuningMethod.PREFERENCE)));

    JsonNode body = json.readTree(server.takeRequest().getBody().readUtf8());
    assertThat(body.has("supervisedTuningSpec")).isFalse();
    assertThat(body.get("preferenceOptimizationSpec"))
        .isEqualTo(
            json.readTree(
                """
                {"trainingDatasetUri":"gs://bucket/train.jsonl",
                 "validationDatasetUri":"gs://bucket/val.jsonl",
                 "hyperParameters":{"epochCount":"3","learningRateMultiplier":0.5,
                                    "adapterSize":"ADAPTER_SIZE_FOUR","beta":0.1},
                 "exportLastCheckpointOnly":true}
                """));
  }

  @Test
  void shouldSendOnlyRequiredFieldsForMinimalSpec() throws Exception {
    server.enqueue(json(200, job("JOB_STATE_QUEUED")));

    provider.create(ctx(spec(null)));

    assertThat(json.readTree(server.takeRequest().getBody().readUtf8()))
        .isEqualTo(
            json.readTree(
                """
                {"baseModel":"gemini-2.5-flash",
                 "supervisedTuningSpec":{"trainingDatasetUri":"gs://bucket/train.jsonl"},
                 "labels":{"tuningjob-uid":"%s"}}
                """
                    .formatted(UID)));
  }

  @Test
  void shouldRejectReinforcementBeforeAnyHttpCall() {
    assertThatThrownBy(() -> provider.create(ctx(spec(TuningMethod.REINFORCEMENT))))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
              assertThat(e.getMessage()).contains("reinforcement");
            });
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void shouldRejectInvalidLabelsNamingSpecLabelsBeforeAnyHttpCall() {
    for (Map<String, String> labels :
        List.of(
            Map.of("Team", "support"),
            Map.of("team", "Support"),
            Map.of("9team", "x"),
            Map.of("k".repeat(64), "x"),
            Map.of("team", "a".repeat(64)),
            Map.of("team", "日".repeat(43)),
            Map.of("tuningjob-uid", "mine"))) {
      var spec = spec(TuningMethod.SUPERVISED);
      spec.setLabels(labels);
      assertThatThrownBy(() -> provider.create(ctx(spec)))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
                assertThat(e.getMessage()).startsWith("spec.labels");
              });
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void shouldAcceptInternationalLowercaseLabels() throws Exception {
    server.enqueue(json(200, job("JOB_STATE_QUEUED")));
    var spec = spec(TuningMethod.SUPERVISED);
    spec.setLabels(Map.of("équipe", "café_1", "日本", "東京", "k".repeat(63), "v".repeat(63)));

    provider.create(ctx(spec));

    JsonNode labels = json.readTree(server.takeRequest().getBody().readUtf8()).get("labels");
    assertThat(labels.get("équipe").asText()).isEqualTo("café_1");
    assertThat(labels.get("日本").asText()).isEqualTo("東京");
    assertThat(labels.get("k".repeat(63)).asText()).isEqualTo("v".repeat(63));
  }

  @Test
  void shouldGetJobByItsResourceName() throws Exception {
    server.enqueue(json(200, resource("job-succeeded.json")));

    ProviderJob job = provider.get(ctx(spec(null)), JOB_NAME);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo(JOB_PATH);
    assertAuthenticated(request);
    assertThat(job.state()).isEqualTo(ProviderJobState.SUCCEEDED);
    assertThat(calls).containsExactly(new ProviderCall("vertex", "get"));
  }

  @Test
  void shouldRejectAJobIdThatIsNotATuningJobName() {
    for (String id : List.of("4567", "projects/p/locations/us-central1/tuningJobs/../x", "")) {
      assertThatThrownBy(() -> provider.get(ctx(spec(null)), id))
          .isInstanceOfSatisfying(
              ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT));
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void shouldFindTaggedJobAcrossPagesCheckingLabelsClientSide() throws Exception {
    String other =
        "{\"name\":\"projects/1/locations/us-central1/tuningJobs/1\",\"state\":"
            + "\"JOB_STATE_RUNNING\",\"labels\":{\"tuningjob-uid\":\"someone-else\"}}";
    String unlabelled = "{\"name\":\"projects/1/locations/us-central1/tuningJobs/2\"}";
    server.enqueue(
        json(200, "{\"tuningJobs\":[" + other + "," + unlabelled + "],\"nextPageToken\":\"p2\"}"));
    server.enqueue(
        json(
            200,
            "{\"tuningJobs\":["
                + job("JOB_STATE_RUNNING", "\"tuningjob-uid\":\"" + UID + "\"")
                + "]}"));

    Optional<ProviderJob> found = provider.findByTag(ctx(spec(null)));

    assertThat(found).map(ProviderJob::id).contains(JOB_NAME);
    RecordedRequest first = server.takeRequest();
    assertThat(first.getMethod()).isEqualTo("GET");
    assertThat(first.getRequestUrl().encodedPath()).isEqualTo(PARENT);
    assertThat(first.getRequestUrl().queryParameter("filter"))
        .isEqualTo("labels.tuningjob-uid=\"" + UID + "\"");
    assertThat(first.getPath()).contains("filter=labels.tuningjob-uid%3D%22" + UID + "%22");
    assertThat(first.getRequestUrl().queryParameter("pageSize")).isEqualTo("100");
    assertThat(first.getRequestUrl().queryParameter("pageToken")).isNull();
    assertAuthenticated(first);
    RecordedRequest second = server.takeRequest();
    assertThat(second.getRequestUrl().queryParameter("pageToken")).isEqualTo("p2");
    assertThat(second.getRequestUrl().queryParameter("filter")).isNotNull();
    assertThat(calls)
        .containsExactly(new ProviderCall("vertex", "list"), new ProviderCall("vertex", "list"));
  }

  @Test
  void shouldFindNothingWhenNoJobCarriesTheTag() throws Exception {
    server.enqueue(json(200, "{}"));

    assertThat(provider.findByTag(ctx(spec(null)))).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldScanWithoutFilterWhenTheFilterIsRefused() throws Exception {
    server.enqueue(
        json(
            400,
            "{\"error\":{\"code\":400,\"message\":\"Unsupported filter\","
                + "\"status\":\"INVALID_ARGUMENT\"}}"));
    server.enqueue(
        json(
            200,
            "{\"tuningJobs\":["
                + job("JOB_STATE_QUEUED", "\"tuningjob-uid\":\"" + UID + "\"")
                + "]}"));

    assertThat(provider.findByTag(ctx(spec(null)))).map(ProviderJob::id).contains(JOB_NAME);
    server.takeRequest();
    assertThat(server.takeRequest().getRequestUrl().queryParameter("filter")).isNull();
  }

  @Test
  void shouldCancelWithEmptyBodyThenReadTheJob() throws Exception {
    server.enqueue(json(200, "{}"));
    server.enqueue(json(200, resource("job-cancelling.json")));

    ProviderJob job = provider.cancel(ctx(spec(null)), JOB_NAME);

    RecordedRequest cancel = server.takeRequest();
    assertThat(cancel.getMethod()).isEqualTo("POST");
    assertThat(cancel.getPath()).isEqualTo(JOB_PATH + ":cancel");
    assertThat(cancel.getBody().readUtf8()).isEqualTo("{}");
    assertAuthenticated(cancel);
    RecordedRequest get = server.takeRequest();
    assertThat(get.getMethod()).isEqualTo("GET");
    assertThat(get.getPath()).isEqualTo(JOB_PATH);
    assertThat(job.state()).isEqualTo(ProviderJobState.CANCELLING);
    assertThat(calls)
        .containsExactly(new ProviderCall("vertex", "cancel"), new ProviderCall("vertex", "get"));
  }

  @Test
  void shouldReturnTheEndedJobWhenCancelIsRefusedBecauseItAlreadyEnded() throws Exception {
    server.enqueue(
        json(
            400,
            "{\"error\":{\"code\":400,\"message\":\"Job is already in a terminal state\","
                + "\"status\":\"FAILED_PRECONDITION\"}}"));
    server.enqueue(json(200, resource("job-succeeded.json")));

    ProviderJob job = provider.cancel(ctx(spec(null)), JOB_NAME);

    // Cancel is best-effort: a job may still end SUCCEEDED.
    assertThat(job.state()).isEqualTo(ProviderJobState.SUCCEEDED);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void shouldKeepTheRefusalWhenCancelIsRefusedForARunningJob() {
    server.enqueue(
        json(
            400,
            "{\"error\":{\"code\":400,\"message\":\"cannot cancel\","
                + "\"status\":\"FAILED_PRECONDITION\"}}"));
    server.enqueue(json(200, resource("job-running.json")));

    assertThatThrownBy(() -> provider.cancel(ctx(spec(null)), JOB_NAME))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
              assertThat(e.providerCode()).contains("FAILED_PRECONDITION");
            });
  }

  @Test
  void shouldUseTheRegionalGoogleHostWithoutAnOverride() throws Exception {
    AtomicReference<String> url = new AtomicReference<>();
    OkHttpClient offline =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  url.set(chain.request().url().toString());
                  return new Response.Builder()
                      .request(chain.request())
                      .protocol(Protocol.HTTP_1_1)
                      .code(200)
                      .message("OK")
                      .body(
                          ResponseBody.create(
                              job("JOB_STATE_RUNNING"), MediaType.get("application/json")))
                      .build();
                })
            .build();
    var google =
        new VertexProvider(
            offline,
            VertexProvider.Settings.defaults(),
            VertexTestSupport.staticToken("t", null),
            VertexTestSupport.CLOCK);

    google.get(ctx(spec(null)), "projects/1/locations/europe-west4/tuningJobs/9");

    assertThat(url.get())
        .isEqualTo(
            "https://europe-west4-aiplatform.googleapis.com/v1/projects/1/locations/europe-west4"
                + "/tuningJobs/9");
  }

  @Test
  void shouldNotSupportPause() {
    assertThat(provider.id()).isEqualTo("vertex");
    assertThat(provider.supportsPause()).isFalse();
  }
}
