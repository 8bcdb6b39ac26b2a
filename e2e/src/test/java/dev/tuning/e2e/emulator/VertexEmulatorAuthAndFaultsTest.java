package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import dev.tuning.e2e.emulator.Faults.Operation;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VertexEmulatorAuthAndFaultsTest {

  private static final String BODY =
      "{\"baseModel\":\"gemini-2.5-flash\",\"supervisedTuningSpec\":"
          + "{\"trainingDatasetUri\":\"gs://b/t.jsonl\"}}";
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzYSJ9.c2lnbmF0dXJl";

  private final MutableClock clock = new MutableClock();
  private final VertexEmulator emulator =
      new VertexEmulator(EmulatorConfig.defaults().withClock(clock));
  private final EmulatorHttp http = EmulatorHttp.bearer("ya29.any");

  @AfterEach
  void close() {
    emulator.close();
  }

  private String jobs() {
    return emulator.baseUrl() + "/v1/projects/p/locations/us-central1/tuningJobs";
  }

  @Test
  void shouldRequireABearerToken() {
    Reply none = EmulatorHttp.anonymous().post(jobs(), BODY);
    Reply basic = new EmulatorHttp(Map.of("Authorization", "Basic dTpw")).get(jobs());

    assertThat(none.code()).isEqualTo(401);
    assertThat(none.error().get("code").asInt()).isEqualTo(401);
    assertThat(none.error().get("status").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(none.error().get("message").asText())
        .startsWith("Request had invalid authentication credentials.");
    assertThat(none.headers().get("WWW-Authenticate")).startsWith("Bearer");
    assertThat(basic.code()).isEqualTo(401);
    assertThat(emulator.jobCount()).isZero();
  }

  @Test
  void shouldIssueTokensForJwtBearerAndTokenExchangeThatTheApiAccepts() {
    try (VertexEmulator strict =
        new VertexEmulator(EmulatorConfig.defaults().withValidKeys(Set.of("static-token")))) {
      EmulatorHttp anonymous = EmulatorHttp.anonymous();
      String url = strict.baseUrl() + "/v1/projects/p/locations/us-central1/tuningJobs";

      Reply jwt =
          anonymous.postForm(
              strict.tokenUri(),
              "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + JWT);
      assertThat(jwt.code()).isEqualTo(200);
      assertThat(jwt.json().get("expires_in").asInt()).isEqualTo(3600);
      assertThat(jwt.json().get("token_type").asText()).isEqualTo("Bearer");
      String token = jwt.json().get("access_token").asText();

      Reply sts =
          anonymous.postForm(
              strict.tokenUri(),
              "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token=k8s-sa-jwt"
                  + "&subject_token_type=urn:ietf:params:oauth:token-type:jwt");
      assertThat(sts.json().get("issued_token_type").asText())
          .isEqualTo("urn:ietf:params:oauth:token-type:access_token");

      assertThat(EmulatorHttp.bearer(token).get(url).code()).isEqualTo(200);
      assertThat(EmulatorHttp.bearer(sts.json().get("access_token").asText()).get(url).code())
          .isEqualTo(200);
      assertThat(EmulatorHttp.bearer("static-token").get(url).code()).isEqualTo(200);
      assertThat(EmulatorHttp.bearer("ya29.guess").get(url).code()).isEqualTo(401);
      assertThat(strict.requests().all().get(0).body())
          .doesNotContain(JWT)
          .contains("assertion=" + RecordedRequest.REDACTED);
    }
  }

  @Test
  void shouldRejectBadTokenRequestsWithOAuthErrors() {
    EmulatorHttp anonymous = EmulatorHttp.anonymous();

    Reply grant = anonymous.postForm(emulator.tokenUri(), "grant_type=password&username=u");
    Reply noAssertion =
        anonymous.postForm(
            emulator.tokenUri(), "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer");
    Reply notJwt =
        anonymous.postForm(
            emulator.tokenUri(),
            "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=abc");

    assertThat(grant.code()).isEqualTo(400);
    assertThat(grant.json().get("error").asText()).isEqualTo("unsupported_grant_type");
    assertThat(noAssertion.json().get("error").asText()).isEqualTo("invalid_request");
    assertThat(notJwt.json().get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void shouldServeTheMetadataTokenOnlyWithTheFlavorHeader() {
    String url = emulator.rootUrl() + "/computeMetadata/v1/instance/service-accounts/default/token";
    EmulatorHttp anonymous = EmulatorHttp.anonymous();

    Reply without = anonymous.get(url);
    Reply with = anonymous.get(url, Map.of("Metadata-Flavor", "Google"));
    Reply ping = anonymous.get(emulator.rootUrl() + "/", Map.of("Metadata-Flavor", "Google"));

    assertThat(without.code()).isEqualTo(403);
    assertThat(with.code()).isEqualTo(200);
    assertThat(with.headers().get("Metadata-Flavor")).isEqualTo("Google");
    assertThat(with.json().get("token_type").asText()).isEqualTo("Bearer");
    assertThat(ping.headers().get("Metadata-Flavor")).isEqualTo("Google");
    assertThat(EmulatorHttp.bearer(with.json().get("access_token").asText()).get(jobs()).code())
        .isEqualTo(200);
  }

  @Test
  void shouldAnswerRateLimitsAsResourceExhaustedWithRetryInfo() {
    emulator.faults().enqueue(Operation.CREATE, Fault.rateLimit(5), Fault.dailyRateLimit(3600));

    Reply perMinute = http.post(jobs(), BODY);
    Reply daily = http.post(jobs(), BODY);

    assertThat(perMinute.code()).isEqualTo(429);
    assertThat(perMinute.headers().get("Retry-After")).isEqualTo("5");
    JsonNode e = perMinute.error();
    assertThat(e.get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.get("code").asInt()).isEqualTo(429);
    assertThat(e.at("/details/1/retryDelay").asText()).isEqualTo("5s");
    assertThat(daily.headers().get("Retry-After")).isEqualTo("3600");
    assertThat(daily.error().at("/details/0/reason").asText())
        .isEqualTo("RATE_LIMIT_EXCEEDED_DAILY");
    assertThat(http.post(jobs(), BODY).code()).isEqualTo(200);
  }

  @Test
  void shouldRejectAValidTokenWhenTold() {
    String name = http.post(jobs(), BODY).json().get("name").asText();
    emulator.faults().enqueue(Operation.GET, Fault.unauthenticated());

    Reply rejected = http.get(emulator.baseUrl() + "/v1/" + name);

    assertThat(rejected.code()).isEqualTo(401);
    assertThat(rejected.error().get("status").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(rejected.headers().get("WWW-Authenticate")).startsWith("Bearer");
    assertThat(http.get(emulator.baseUrl() + "/v1/" + name).code()).isEqualTo(200);
  }

  @Test
  void shouldAnswerServerErrorsMalformedBodiesDelaysAndDrops() throws IOException {
    String name = http.post(jobs(), BODY).json().get("name").asText();
    String job = emulator.baseUrl() + "/v1/" + name;
    emulator
        .faults()
        .enqueue(
            Operation.GET, Fault.serverError(503), Fault.serverError(500), Fault.malformedJson());

    Reply unavailable = http.get(job);
    assertThat(unavailable.code()).isEqualTo(503);
    assertThat(unavailable.error().get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(http.get(job).error().get("status").asText()).isEqualTo("INTERNAL");
    Reply malformed = http.get(job);
    assertThat(malformed.code()).isEqualTo(200);
    assertThat(malformed.json()).isNull();

    emulator.faults().enqueue(Operation.CANCEL, Fault.dropConnection());
    Request cancel =
        new Request.Builder()
            .url(job + ":cancel")
            .header("Authorization", "Bearer t")
            .post(okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json")))
            .build();
    assertThatThrownBy(() -> http.raw(cancel).close()).isInstanceOf(IOException.class);
    assertThat(http.get(job).json().get("state").asText()).isEqualTo("JOB_STATE_PENDING");

    emulator.faults().enqueue(Operation.LIST, Fault.delay(Duration.ofSeconds(2)));
    OkHttpClient impatient =
        new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofMillis(200))
            .build();
    Request list = new Request.Builder().url(jobs()).header("Authorization", "Bearer t").build();
    assertThatThrownBy(() -> impatient.newCall(list).execute().close())
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void shouldInjectTokenFaultsAndFailMarkerFromTheAdminEndpoint() {
    EmulatorHttp admin = EmulatorHttp.anonymous();
    admin.post(
        emulator.rootUrl() + "/_emulator/faults",
        "{\"faults\":[{\"operation\":\"token\",\"kind\":\"server_error\",\"status\":503}],"
            + "\"failMarker\":\"corrupt\"}");

    Reply token =
        admin.postForm(
            emulator.tokenUri(),
            "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=" + JWT);
    assertThat(token.code()).isEqualTo(503);

    String name =
        http.post(
                jobs(),
                "{\"baseModel\":\"m\",\"supervisedTuningSpec\":{\"trainingDatasetUri\":\"gs://b/corrupt.jsonl\"}}")
            .json()
            .get("name")
            .asText();
    clock.advance(Duration.ofSeconds(2));
    assertThat(http.get(emulator.baseUrl() + "/v1/" + name).json().get("state").asText())
        .isEqualTo("JOB_STATE_FAILED");
  }

  @Test
  void shouldRecordCreatesAndCancels() {
    String name = http.post(jobs(), BODY).json().get("name").asText();
    http.post(emulator.baseUrl() + "/v1/" + name + ":cancel", "{}");
    http.get(emulator.baseUrl() + "/v1/" + name);
    http.get(jobs() + "?pageSize=3");

    assertThat(emulator.creates()).hasSize(1);
    assertThat(emulator.creates().get(0).body()).isEqualTo(BODY);
    assertThat(emulator.cancels()).hasSize(1);
    assertThat(emulator.count("GET", ".*/tuningJobs/\\d+")).isEqualTo(1);
    assertThat(emulator.count("GET", ".*/tuningJobs")).isEqualTo(1);
    assertThat(emulator.requests().all().get(0).header("authorization"))
        .isEqualTo(RecordedRequest.REDACTED);

    Reply recorded = EmulatorHttp.anonymous().get(emulator.rootUrl() + "/_emulator/requests");
    assertThat(recorded.json().get("requests")).hasSize(4);
    assertThat(recorded.text()).doesNotContain("ya29.any");
    assertThat(recorded.json().at("/requests/3/query").asText()).isEqualTo("pageSize=3");
  }
}
