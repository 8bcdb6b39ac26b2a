package dev.tuning.operator.provider.vertex;

import static dev.tuning.operator.provider.vertex.VertexTestSupport.JOB_NAME;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.ctx;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.json;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error class, through the provider against MockWebServer. */
class VertexErrorsTest {

  private static final String SENTINEL_TOKEN = "ya29.SENTINEL-token-do-not-leak";

  private MockWebServer server;
  private VertexProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider =
        VertexTestSupport.provider(server, VertexTestSupport.staticToken(SENTINEL_TOKEN, null));
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private static String envelope(int code, String status, String message, String details) {
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\",\"status\":\""
        + status
        + "\",\"details\":["
        + details
        + "]}}";
  }

  private ProviderException onGet(MockResponse response) {
    server.enqueue(response);
    return catchThrowableOfType(
        ProviderException.class, () -> provider.get(ctx(spec(null)), JOB_NAME));
  }

  private ProviderException onCreate(MockResponse response) {
    server.enqueue(response);
    return catchThrowableOfType(
        ProviderException.class, () -> provider.create(ctx(spec(TuningMethod.SUPERVISED))));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "503, UNAVAILABLE, TRANSIENT",
    "504, DEADLINE_EXCEEDED, TRANSIENT",
    "500, INTERNAL, TRANSIENT",
    "500, UNKNOWN, TRANSIENT",
    "409, ABORTED, TRANSIENT",
    "429, RESOURCE_EXHAUSTED, RATE_LIMITED",
    "400, INVALID_ARGUMENT, PERMANENT",
    "400, FAILED_PRECONDITION, PERMANENT",
    "404, NOT_FOUND, NOT_FOUND",
    "403, PERMISSION_DENIED, AUTHENTICATION",
    "501, UNIMPLEMENTED, PERMANENT"
  })
  void shouldClassifyGetFailuresByRpcStatus(int http, String status, ErrorKind kind) {
    ProviderException e = onGet(json(http, envelope(http, status, "it went wrong", "")));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.providerCode()).contains(status);
    assertThat(e.getMessage()).contains("Vertex AI get failed", status, "it went wrong");
  }

  @ParameterizedTest(name = "create {1} -> PERMANENT")
  @CsvSource({
    "400, INVALID_ARGUMENT",
    "400, FAILED_PRECONDITION",
    "404, NOT_FOUND",
  })
  void shouldTreatCreateRejectionsAsPermanentWithTheProviderMessage(int http, String status) {
    ProviderException e =
        onCreate(
            json(
                http,
                envelope(
                    http,
                    status,
                    "adapter size is not supported for this base model",
                    "{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":"
                        + "[{\"field\":\"tuning_job.supervised_tuning_spec\"}]}")));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.getMessage()).contains("adapter size is not supported for this base model");
    assertThat(e.param()).contains("tuning_job.supervised_tuning_spec");
  }

  @Test
  void shouldReportNotFoundOnCancel() {
    server.enqueue(json(404, envelope(404, "NOT_FOUND", "no such job", "")));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.cancel(ctx(spec(null)), JOB_NAME));

    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldHonourRetryInfoOnRateLimit() {
    ProviderException e =
        onCreate(
            json(
                429,
                envelope(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for aiplatform.googleapis.com/tuning_requests",
                    "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
                        + "\"retryDelay\":\"30s\"}")));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void shouldHonourRetryAfterHeaderWhenThereIsNoRetryInfo() {
    ProviderException e =
        onGet(
            json(429, envelope(429, "RESOURCE_EXHAUSTED", "Too many requests", ""))
                .setHeader("Retry-After", "12"));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
  }

  @Test
  void shouldTreatPerMinuteQuotaAsRateLimit() {
    ProviderException e =
        onGet(
            json(
                429,
                envelope(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute'",
                    "")));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
  }

  @Test
  void shouldTreatQuotaWithoutRetryHintAsQuota() {
    ProviderException e =
        onCreate(
            json(
                429,
                envelope(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for concurrent tuning jobs in region us-central1",
                    "")));

    assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA);
  }

  @Test
  void shouldNameTheMissingPermissionFromTheMessage() {
    ProviderException e =
        onCreate(
            json(
                403,
                envelope(
                    403,
                    "PERMISSION_DENIED",
                    "Permission 'aiplatform.tuningJobs.create' denied on resource"
                        + " '//aiplatform.googleapis.com/projects/my-proj/locations/us-central1'"
                        + " (or it may not exist).",
                    "")));

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage())
        .contains("the credential lacks permission aiplatform.tuningJobs.create");
  }

  @Test
  void shouldNameTheMissingPermissionFromErrorInfo() {
    ProviderException e =
        onGet(
            json(
                403,
                envelope(
                    403,
                    "PERMISSION_DENIED",
                    "The caller does not have permission",
                    "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                        + "\"reason\":\"IAM_PERMISSION_DENIED\",\"domain\":\"aiplatform.googleapis.com\","
                        + "\"metadata\":{\"permission\":\"aiplatform.tuningJobs.get\"}}")));

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage()).contains("lacks permission aiplatform.tuningJobs.get");
  }

  @Test
  void shouldClassifyByHttpStatusWhenTheBodyIsNotAnEnvelope() {
    ProviderException e =
        onGet(
            new MockResponse()
                .setResponseCode(502)
                .setBody("<html>upstream SECRET-BODY-TEXT</html>"));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.getMessage()).contains("HTTP 502").doesNotContain("SECRET-BODY-TEXT", "html");
  }

  @Test
  void shouldTreatConnectionFailuresAsTransient() {
    ProviderException e =
        onCreate(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.getMessage()).startsWith("Vertex AI create request failed");
  }

  @Test
  void shouldTreatAnUnreadableSuccessAsTransient() {
    ProviderException e = onGet(json(200, "{\"name\": "));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.getMessage()).contains("unreadable");
  }

  @Test
  void shouldKeepTheGoogleRequestId() {
    ProviderException e =
        onGet(
            json(500, envelope(500, "INTERNAL", "boom", ""))
                .setHeader("x-goog-request-id", "req-123"));

    assertThat(e.requestId()).contains("req-123");
  }

  @Test
  void shouldNeverEchoTheAccessToken() {
    ProviderException e =
        onGet(
            json(
                403,
                envelope(
                    403,
                    "PERMISSION_DENIED",
                    "Request had insufficient authentication scopes: Bearer " + SENTINEL_TOKEN,
                    "")));

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage()).doesNotContain(SENTINEL_TOKEN).doesNotContain("SENTINEL");
  }
}
