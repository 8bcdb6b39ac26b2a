package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import dev.tuning.e2e.emulator.Faults.Operation;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiEmulatorFaultsTest {

  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-abc\"}";

  private final MutableClock clock = new MutableClock();
  private final OpenAiEmulator emulator =
      new OpenAiEmulator(EmulatorConfig.defaults().withClock(clock));
  private final EmulatorHttp http = EmulatorHttp.bearer("sk-secret-value");

  @AfterEach
  void close() {
    emulator.close();
  }

  private String jobs() {
    return emulator.baseUrl() + "/fine_tuning/jobs";
  }

  @Test
  void shouldAnswerQueuedRateLimitOnceWithRetryAfter() {
    emulator.faults().enqueue(Operation.CREATE, Fault.rateLimit(7));

    Reply limited = http.post(jobs(), BODY);
    Reply next = http.post(jobs(), BODY);

    assertThat(limited.code()).isEqualTo(429);
    assertThat(limited.headers().get("Retry-After")).isEqualTo("7");
    assertThat(limited.error().get("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(limited.error().get("type").asText()).isEqualTo("requests");
    assertThat(limited.error().has("param")).isTrue();
    assertThat(next.code()).isEqualTo(200);
    assertThat(emulator.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldAnswerDailyRateLimitWithItsOwnCode() {
    emulator.faults().enqueue(Operation.CREATE, Fault.dailyRateLimit(3600));

    Reply r = http.post(jobs(), BODY);

    assertThat(r.code()).isEqualTo(429);
    assertThat(r.headers().get("Retry-After")).isEqualTo("3600");
    assertThat(r.error().get("code").asText()).isEqualTo("daily_rate_limit_exceeded");
    assertThat(r.error().get("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void shouldAnswerServerErrorsInOrder() {
    String id = http.post(jobs(), BODY).json().get("id").asText();
    emulator.faults().enqueue(Operation.GET, Fault.serverError(500), Fault.serverError(503));

    Reply first = http.get(jobs() + "/" + id);
    Reply second = http.get(jobs() + "/" + id);
    Reply third = http.get(jobs() + "/" + id);

    assertThat(first.code()).isEqualTo(500);
    assertThat(first.error().get("type").asText()).isEqualTo("server_error");
    assertThat(second.code()).isEqualTo(503);
    assertThat(third.code()).isEqualTo(200);
  }

  @Test
  void shouldDelayTheAnswer() throws IOException {
    emulator.faults().enqueue(Operation.LIST, Fault.delay(Duration.ofSeconds(2)));
    OkHttpClient impatient =
        new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofMillis(200))
            .build();
    Request list =
        new Request.Builder().url(jobs()).header("Authorization", "Bearer k").get().build();

    assertThatThrownBy(() -> impatient.newCall(list).execute().close())
        .isInstanceOf(SocketTimeoutException.class);
    try (Response after = impatient.newCall(list).execute()) {
      assertThat(after.code()).isEqualTo(200);
    }
  }

  @Test
  void shouldDropTheConnectionWithoutAnswer() {
    emulator.faults().enqueue(Operation.CREATE, Fault.dropConnection());
    Request create =
        new Request.Builder()
            .url(jobs())
            .header("Authorization", "Bearer k")
            .post(okhttp3.RequestBody.create(BODY, okhttp3.MediaType.get("application/json")))
            .build();

    assertThatThrownBy(() -> http.raw(create).close()).isInstanceOf(IOException.class);
    assertThat(emulator.jobCount()).isZero();
    assertThat(emulator.creates()).hasSize(1);
  }

  @Test
  void shouldAnswerMalformedJson() {
    emulator.faults().enqueue(Operation.LIST, Fault.malformedJson());

    Reply r = http.get(jobs());

    assertThat(r.code()).isEqualTo(200);
    assertThat(r.text()).isNotEmpty();
    assertThat(r.json()).isNull();
  }

  @Test
  void shouldApplyProbabilisticFaultsAndClearThem() {
    emulator.faults().seed(1).withProbability(Operation.LIST, Fault.serverError(502), 1.0);
    emulator.faults().withProbability(Operation.GET, Fault.serverError(500), 0.0);

    assertThat(http.get(jobs()).code()).isEqualTo(502);
    assertThat(http.get(jobs()).code()).isEqualTo(502);
    assertThat(http.get(jobs() + "/ftjob-none").code()).isEqualTo(404);

    emulator.faults().clear();
    assertThat(http.get(jobs()).code()).isEqualTo(200);
  }

  @Test
  void shouldBeSteeredThroughTheAdminFaultsEndpoint() {
    EmulatorHttp admin = EmulatorHttp.anonymous();
    Reply set =
        admin.post(
            emulator.rootUrl() + "/_emulator/faults",
            "{\"faults\":[{\"operation\":\"create\",\"kind\":\"rate_limit\",\"retryAfterSeconds\":3,"
                + "\"times\":2},{\"operation\":\"pause\",\"kind\":\"server_error\",\"status\":503,"
                + "\"probability\":1.0}],\"failMarker\":\"broken\"}");
    assertThat(set.code()).isEqualTo(200);
    assertThat(set.json().get("faults")).hasSize(3);

    assertThat(http.post(jobs(), BODY).headers().get("Retry-After")).isEqualTo("3");
    assertThat(http.post(jobs(), BODY).code()).isEqualTo(429);
    String id = http.post(jobs(), BODY).json().get("id").asText();
    assertThat(http.post(jobs() + "/" + id + "/pause", "").code()).isEqualTo(503);
    String broken =
        http.post(jobs(), "{\"model\":\"m\",\"training_file\":\"file-broken\"}")
            .json()
            .get("id")
            .asText();
    clock.advance(Duration.ofSeconds(2));
    assertThat(http.get(jobs() + "/" + broken).json().get("status").asText()).isEqualTo("failed");

    Reply cleared = admin.delete(emulator.rootUrl() + "/_emulator/faults");
    assertThat(cleared.json().get("faults")).isEmpty();
    assertThat(admin.post(emulator.rootUrl() + "/_emulator/faults", "nope").code()).isEqualTo(400);
  }

  @Test
  void shouldRejectAValidKeyOnceWhenTold() {
    String id = http.post(jobs(), BODY).json().get("id").asText();
    emulator.faults().enqueue(Operation.GET, Fault.unauthenticated());

    Reply rejected = http.get(jobs() + "/" + id);

    assertThat(rejected.code()).isEqualTo(401);
    assertThat(rejected.error().get("code").asText()).isEqualTo("invalid_api_key");
    assertThat(http.get(jobs() + "/" + id).code()).isEqualTo(200);
  }

  @Test
  void shouldTakeTheListBehavioursAndA401FromTheAdminEndpoint() {
    EmulatorHttp admin = EmulatorHttp.anonymous();
    Reply set =
        admin.post(
            emulator.rootUrl() + "/_emulator/faults",
            "{\"faults\":[{\"operation\":\"list\",\"kind\":\"unauthenticated\"}],"
                + "\"listPageLimit\":1,\"ignoreListFilters\":true}");
    assertThat(set.code()).isEqualTo(200);
    assertThat(set.json().get("faults").get(0).get("status").asInt()).isEqualTo(401);
    assertThat(set.json().get("listPageLimit").asInt()).isEqualTo(1);
    assertThat(set.json().get("ignoreListFilters").asBoolean()).isTrue();
    http.post(jobs(), BODY);
    http.post(jobs(), BODY);

    assertThat(http.get(jobs()).code()).isEqualTo(401);
    Reply page = http.get(jobs() + "?metadata[team]=nobody");
    assertThat(page.json().get("data")).hasSize(1);
    assertThat(page.json().get("has_more").asBoolean()).isTrue();
  }

  @Test
  void shouldRecordRequestsWithoutCredentialValues() {
    String id = http.post(jobs(), BODY).json().get("id").asText();
    http.get(jobs() + "/" + id);
    http.get(jobs() + "?limit=5");
    http.post(jobs() + "/" + id + "/cancel", "");
    new EmulatorHttp(java.util.Map.of("api-key", "azure-secret")).get(jobs() + "/" + id);

    assertThat(emulator.count("GET", "/v1/fine_tuning/jobs/ftjob-.*")).isEqualTo(2);
    assertThat(emulator.count("get", "/v1/fine_tuning/jobs")).isEqualTo(1);
    assertThat(emulator.creates()).hasSize(1);
    assertThat(emulator.creates().get(0).body()).isEqualTo(BODY);
    assertThat(emulator.cancels()).hasSize(1);
    RecordedRequest list = emulator.requests().matching("GET", "/v1/fine_tuning/jobs").get(0);
    assertThat(list.query()).isEqualTo("limit=5");
    assertThat(emulator.creates().get(0).header("Authorization"))
        .isEqualTo(RecordedRequest.REDACTED);
    assertThat(emulator.requests().all().get(4).header("api-key"))
        .isEqualTo(RecordedRequest.REDACTED);

    EmulatorHttp admin = EmulatorHttp.anonymous();
    Reply recorded = admin.get(emulator.rootUrl() + "/_emulator/requests");
    assertThat(recorded.json().get("requests")).hasSize(5);
    assertThat(recorded.text()).doesNotContain("sk-secret-value").doesNotContain("azure-secret");
    JsonNode first = recorded.json().get("requests").get(0);
    assertThat(first.get("method").asText()).isEqualTo("POST");
    assertThat(first.get("path").asText()).isEqualTo("/v1/fine_tuning/jobs");

    admin.post(emulator.rootUrl() + "/_emulator/reset?scope=requests", "");
    assertThat(emulator.requests().all()).isEmpty();
    assertThat(emulator.jobCount()).isEqualTo(1);
    admin.post(emulator.rootUrl() + "/_emulator/reset", "");
    assertThat(emulator.jobCount()).isZero();
    assertThat(admin.get(emulator.rootUrl() + "/_emulator/health").json().get("status").asText())
        .isEqualTo("ok");
  }

  @Test
  void shouldRequireAnApiKey() {
    Reply none = EmulatorHttp.anonymous().post(jobs(), BODY);
    Reply empty = new EmulatorHttp(java.util.Map.of("Authorization", "Bearer ")).get(jobs());

    assertThat(none.code()).isEqualTo(401);
    assertThat(none.error().get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(none.error().get("message").asText()).startsWith("You didn't provide an API key.");
    assertThat(none.error().get("param").isNull()).isTrue();
    assertThat(none.error().get("code").isNull()).isTrue();
    assertThat(empty.code()).isEqualTo(401);
    assertThat(emulator.jobCount()).isZero();
  }

  @Test
  void shouldAcceptOnlyConfiguredKeysWhenSome() {
    try (OpenAiEmulator strict =
        new OpenAiEmulator(EmulatorConfig.defaults().withValidKeys(Set.of("sk-good")))) {
      String url = strict.baseUrl() + "/fine_tuning/jobs";

      Reply wrong = EmulatorHttp.bearer("sk-bad").get(url);
      assertThat(wrong.code()).isEqualTo(401);
      assertThat(wrong.error().get("code").asText()).isEqualTo("invalid_api_key");
      assertThat(wrong.text()).doesNotContain("sk-bad");
      assertThat(EmulatorHttp.bearer("sk-good").get(url).code()).isEqualTo(200);
      assertThat(new EmulatorHttp(java.util.Map.of("api-key", "sk-good")).get(url).code())
          .isEqualTo(200);
    }
  }
}
