package dev.tuning.operator.provider.openai;

import static dev.tuning.operator.provider.openai.OpenAiFixtures.CLOCK;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.SENTINEL_KEY;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.error;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.HugeBodyServer;
import dev.tuning.operator.provider.ProviderHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Error classification of real HTTP exchanges, and that the key never leaks into an error. */
class OpenAiClientTest {

  private MockWebServer server;
  private OpenAiClient client;
  private OpenAiTarget target;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
    client = new OpenAiClient(OpenAiFixtures.http(), CLOCK);
    target =
        new OpenAiTarget(server.url("/v1"), OpenAiSpec.Flavor.OPENAI, SENTINEL_KEY, null, null);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private OpenAiCallException getFails(MockResponse response) {
    server.enqueue(response);
    return catchThrowableOfType(
        OpenAiCallException.class, () -> client.get(target, "ftjob-abc123"));
  }

  private OpenAiCallException createFails(MockResponse response) {
    server.enqueue(response);
    return catchThrowableOfType(
        OpenAiCallException.class,
        () ->
            client.create(
                target, OpenAiMapper.toCreateRequest(OpenAiFixtures.ctx(OpenAiFixtures.spec()))));
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(400, ErrorKind.PERMANENT),
        Arguments.of(401, ErrorKind.AUTHENTICATION),
        Arguments.of(403, ErrorKind.AUTHENTICATION),
        Arguments.of(404, ErrorKind.NOT_FOUND),
        Arguments.of(405, ErrorKind.PERMANENT),
        Arguments.of(408, ErrorKind.TRANSIENT),
        Arguments.of(409, ErrorKind.TRANSIENT),
        Arguments.of(422, ErrorKind.PERMANENT),
        Arguments.of(429, ErrorKind.RATE_LIMITED),
        Arguments.of(500, ErrorKind.TRANSIENT),
        Arguments.of(502, ErrorKind.TRANSIENT),
        Arguments.of(503, ErrorKind.TRANSIENT));
  }

  @ParameterizedTest(name = "HTTP {0} on get is {1}")
  @MethodSource("statuses")
  void shouldClassifyStatusOnGet(int status, ErrorKind kind) {
    OpenAiCallException e =
        getFails(json(status, error("Something happened", "some_error", null, null)));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.requestId()).contains("req_123");
    assertThat(e.getMessage())
        .isEqualTo(
            "OpenAI get failed: HTTP "
                + status
                + " (some_error): Something happened (request id req_123)");
  }

  @Test
  void shouldReportBadRequestWithProviderMessageAndParam() {
    OpenAiCallException e =
        createFails(
            json(
                400,
                error(
                    "invalid training_file: file-train123",
                    "invalid_request_error",
                    "training_file",
                    "invalid_file")));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.param()).contains("training_file");
    assertThat(e.providerCode()).contains("invalid_file");
    assertThat(e.getMessage())
        .isEqualTo(
            "OpenAI create failed: HTTP 400 (invalid_file): invalid training_file: file-train123"
                + " [param training_file] (request id req_123)");
  }

  @Test
  void shouldTreatNotFoundOnCreateAsPermanent() {
    OpenAiCallException e =
        createFails(
            json(
                404,
                error(
                    "The model `gpt-9` does not exist",
                    "invalid_request_error",
                    "model",
                    "model_not_found")));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.param()).contains("model");
  }

  @Test
  void shouldTreatFineTuningWindDownOnCreateAsPermanentWithProviderMessage() {
    String message = "Fine-tuning is no longer available for your organization.";
    OpenAiCallException create =
        createFails(json(403, error(message, "invalid_request_error", null, "permission_denied")));
    OpenAiCallException get =
        getFails(json(403, error(message, "invalid_request_error", null, "permission_denied")));

    assertThat(create.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(create.getMessage()).contains(message);
    assertThat(get.kind())
        .as("only create is blocked by the wind-down")
        .isEqualTo(ErrorKind.AUTHENTICATION);
  }

  @Test
  void shouldHonourRetryAfterSeconds() {
    OpenAiCallException e =
        getFails(
            json(429, error("Rate limit reached", "requests", null, "rate_limit_exceeded"))
                .setHeader("retry-after", "20"));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
  }

  @Test
  void shouldPreferRetryAfterMs() {
    OpenAiCallException e =
        getFails(
            json(429, error("Rate limit reached", "requests", null, "rate_limit_exceeded"))
                .setHeader("retry-after-ms", "1500")
                .setHeader("retry-after", "20"));

    assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
  }

  @Test
  void shouldFallBackToRateLimitResetHeader() {
    OpenAiCallException e =
        getFails(
            json(429, error("Rate limit reached", "requests", null, "rate_limit_exceeded"))
                .setHeader("x-ratelimit-reset-requests", "6m0s"));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofMinutes(6));
  }

  @Test
  void shouldTreatDailyCreationLimitAsQuotaRetriedHoursLater() {
    String daily =
        error(
            "You have reached the maximum of 3 fine-tuning requests per day for the model",
            "invalid_request_error",
            null,
            "daily_rate_limit_exceeded");
    OpenAiCallException shortHint = createFails(json(429, daily).setHeader("retry-after", "60"));
    OpenAiCallException longHint = createFails(json(429, daily).setHeader("retry-after", "7200"));

    assertThat(shortHint.kind()).isEqualTo(ErrorKind.QUOTA);
    assertThat(shortHint.retryAfter()).contains(Duration.ofHours(1));
    assertThat(longHint.retryAfter()).contains(Duration.ofHours(2));
  }

  @Test
  void shouldTreatInsufficientQuotaAsQuota() {
    OpenAiCallException e =
        createFails(
            json(
                429,
                error(
                    "You exceeded your current quota, please check your plan and billing details.",
                    "insufficient_quota",
                    null,
                    "insufficient_quota")));

    assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA);
    assertThat(e.providerCode()).contains("insufficient_quota");
  }

  @Test
  void shouldObeyShouldRetryHeader() {
    OpenAiCallException noRetry =
        getFails(
            json(500, error("boom", "server_error", null, null))
                .setHeader("x-should-retry", "false"));
    OpenAiCallException retry =
        getFails(
            json(400, error("try again", "invalid_request_error", null, null))
                .setHeader("x-should-retry", "true"));

    assertThat(noRetry.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(retry.kind()).isEqualTo(ErrorKind.TRANSIENT);
  }

  @Test
  void shouldTreatMalformedSuccessBodyAsTransient() {
    OpenAiCallException e = getFails(json(200, "{\"id\": \"ftjob-abc123\", \"status\": "));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.providerCode()).contains("MalformedResponse");
    assertThat(e.getMessage())
        .isEqualTo("OpenAI get returned HTTP 200 with a malformed JSON body (request id req_123)");
  }

  @Test
  void shouldTreatSuccessBodyWithoutJobIdAsMalformed() {
    OpenAiCallException e = getFails(json(200, "{\"object\":\"fine_tuning.job\"}"));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.providerCode()).contains("MalformedResponse");
  }

  @Test
  void shouldClassifyNonJsonErrorBodyByStatus() {
    OpenAiCallException e =
        getFails(
            new MockResponse()
                .setResponseCode(502)
                .setHeader("Content-Type", "text/html")
                .setBody("<html><body>Bad gateway</body></html>"));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.providerCode()).contains("http_502");
    assertThat(e.getMessage()).isEqualTo("OpenAI get failed: HTTP 502");
  }

  @Test
  void shouldTreatDroppedConnectionAsTransient() {
    OpenAiCallException e =
        getFails(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.httpStatus()).isZero();
    assertThat(e.providerCode()).contains("ConnectionError");
    assertThat(e.getMessage()).startsWith("OpenAI get failed without a response (");
  }

  @Test
  void shouldTreatTimeoutAsTransient() {
    client =
        new OpenAiClient(
            OpenAiFixtures.http().newBuilder().readTimeout(Duration.ofMillis(300)).build(), CLOCK);
    OpenAiCallException e = getFails(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.getMessage()).startsWith("OpenAI get timed out without a response (");
  }

  @Test
  void shouldTruncateLongProviderMessages() {
    OpenAiCallException e =
        getFails(json(400, error("x".repeat(5000), "invalid_request_error", null, null)));

    assertThat(e.getMessage()).hasSizeLessThan(dev.tuning.operator.text.SafeText.MAX_BYTES + 120);
  }

  private static final long SEVERAL_MB = 16L * 1024 * 1024;

  private static OpenAiCallException getFails(HugeBodyServer server) {
    var bounded = new OpenAiClient(HugeBodyServer.smallBufferClient(), CLOCK);
    var hugeTarget =
        new OpenAiTarget(server.url("/v1"), OpenAiSpec.Flavor.OPENAI, SENTINEL_KEY, null, null);
    return catchThrowableOfType(
        OpenAiCallException.class, () -> bounded.get(hugeTarget, "ftjob-abc123"));
  }

  /** A broken or hostile server cannot make the client download megabytes of an error. */
  @Test
  void shouldNotReadAHugeErrorBodyBeyondTheBound() throws Exception {
    try (var server =
        new HugeBodyServer(
            HugeBodyServer.Reply.json(400, "{\"error\":{\"message\":\"", SEVERAL_MB))) {
      OpenAiCallException e = getFails(server);

      assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
      assertThat(e.getMessage()).isEqualTo("OpenAI get failed: HTTP 400 (request id req_huge)");
      assertThat(server.bodyBytesWritten(0, Duration.ofSeconds(20)))
          .isLessThan(ProviderHttp.MAX_ERROR_BODY + HugeBodyServer.SLACK);
    }
  }

  @Test
  void shouldTreatAHugeSuccessBodyAsMalformedWithoutReadingIt() throws Exception {
    try (var server =
        new HugeBodyServer(
            HugeBodyServer.Reply.json(
                200, "{\"id\":\"ftjob-abc123\",\"status\":\"running\",\"x\":\"", SEVERAL_MB))) {
      OpenAiCallException e = getFails(server);

      assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
      assertThat(e.providerCode()).contains("MalformedResponse");
      assertThat(server.bodyBytesWritten(0, Duration.ofSeconds(20)))
          .isLessThan(ProviderHttp.MAX_BODY + HugeBodyServer.SLACK);
    }
  }

  /** A 2xx cut off by the network is a failed exchange, as for Vertex AI: the cause is kept. */
  @Test
  void shouldTreatABodyCutByTheNetworkAsAnIoFailure() {
    OpenAiCallException e =
        getFails(
            json(200, "{\"id\":\"ftjob-abc123\",\"x\":\"" + "x".repeat(100_000) + "\"}")
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.outcomeUnknown()).isTrue();
    assertThat(e.getCause()).isInstanceOf(IOException.class);
    assertThat(e.getMessage()).startsWith("OpenAI get failed without a response (");
  }

  @Test
  void shouldNeverPutTheKeyIntoAnErrorEvenWhenTheServerEchoesIt() {
    OpenAiCallException echoed =
        getFails(
            json(
                    401,
                    error(
                        "Incorrect API key provided: " + SENTINEL_KEY + ".",
                        "invalid_request_error",
                        SENTINEL_KEY,
                        "invalid_api_key"))
                .setHeader("x-request-id", "req_" + SENTINEL_KEY));
    OpenAiCallException masked =
        getFails(
            json(
                401,
                error(
                    "Incorrect API key provided: sk-proj-********************KEY.",
                    "invalid_request_error",
                    null,
                    "invalid_api_key")));
    OpenAiCallException dropped =
        getFails(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    for (OpenAiCallException e : new OpenAiCallException[] {echoed, masked, dropped}) {
      assertThat(e.getMessage()).doesNotContain(SENTINEL_KEY).doesNotContain("SENTINEL");
      assertThat(e.toString()).doesNotContain(SENTINEL_KEY);
    }
    assertThat(echoed.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(echoed.getMessage()).contains("Incorrect API key provided: [redacted]");
    assertThat(masked.getMessage()).contains("Incorrect API key provided: [redacted]");
    assertThat(target.toString()).doesNotContain(SENTINEL_KEY);
  }
}
