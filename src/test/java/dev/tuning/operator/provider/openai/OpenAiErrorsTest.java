package dev.tuning.operator.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.openai.OpenAiErrors.Operation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pure classification rules, without HTTP. */
class OpenAiErrorsTest {

  private static final OpenAiErrors ERRORS = new OpenAiErrors(java.time.Clock.systemUTC(), "sk-x");

  private static OpenAiCallException rateLimited(String reset) {
    return ERRORS.fromResponse(
        Operation.GET,
        429,
        okhttp3.Headers.of("x-ratelimit-reset-requests", reset),
        "{\"error\":{\"code\":\"rate_limit_exceeded\"}}");
  }

  /** OpenAI's reset headers are Go durations, read by the operator's one duration grammar. */
  @ParameterizedTest
  @CsvSource({
    "6m0s, 360000",
    "1s, 1000",
    "20ms, 20",
    "1h2m3.5s, 3723500",
    "0.5s, 500",
    "1.5s, 1500",
    "500us, 0.5",
    "2.25ms, 2.25"
  })
  void shouldParseRateLimitResetDurations(String value, double millis) {
    assertThat(rateLimited(value).retryAfter())
        .contains(Duration.ofNanos(Math.round(millis * 1_000_000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "6x", "s", "12", "-1s", "6M0S"})
  void shouldIgnoreUnparseableResetDurations(String value) {
    assertThat(rateLimited(value).retryAfter()).isEmpty();
  }

  @Test
  void shouldDistinguishNotFoundByOperation() {
    assertThat(OpenAiErrors.kindOf(Operation.GET, 404, null, null)).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf(Operation.CANCEL, 404, null, null))
        .isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf(Operation.PAUSE, 404, null, null))
        .isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf(Operation.RESUME, 404, null, null))
        .isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf(Operation.CREATE, 404, null, null))
        .isEqualTo(ErrorKind.PERMANENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Fine-tuning is no longer available for your organization.",
        "Your organization is not eligible for fine-tuning.",
        "Self-serve fine tuning has been discontinued; job creation is unavailable."
      })
  void shouldRecognizeWindDownMessagesOnCreate(String message) {
    assertThat(OpenAiErrors.kindOf(Operation.CREATE, 403, "permission_denied", message))
        .isEqualTo(ErrorKind.PERMANENT);
  }

  @Test
  void shouldKeepOrdinaryForbiddenAsAuthentication() {
    assertThat(
            OpenAiErrors.kindOf(
                Operation.CREATE, 403, null, "Project proj_x does not have access to model gpt-4o"))
        .isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(OpenAiErrors.kindOf(Operation.CREATE, 403, null, null))
        .isEqualTo(ErrorKind.AUTHENTICATION);
  }

  @Test
  void shouldApplyShouldRetryOnlyWhereItChangesTheVerdict() {
    assertThat(OpenAiErrors.applyShouldRetry(ErrorKind.RATE_LIMITED, "false"))
        .isEqualTo(ErrorKind.PERMANENT);
    assertThat(OpenAiErrors.applyShouldRetry(ErrorKind.NOT_FOUND, "TRUE"))
        .isEqualTo(ErrorKind.TRANSIENT);
    assertThat(OpenAiErrors.applyShouldRetry(ErrorKind.AUTHENTICATION, "true"))
        .isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(OpenAiErrors.applyShouldRetry(ErrorKind.QUOTA, "false")).isEqualTo(ErrorKind.QUOTA);
    assertThat(OpenAiErrors.applyShouldRetry(ErrorKind.TRANSIENT, null))
        .isEqualTo(ErrorKind.TRANSIENT);
  }

  @Test
  void shouldSanitizeTheProviderMessageWithTheRequestsKey() {
    var e =
        new OpenAiErrors(java.time.Clock.systemUTC(), "secret-xyz")
            .fromResponse(
                Operation.GET,
                400,
                okhttp3.Headers.of(),
                "{\"error\":{\"message\":\"key sk-abcdef123456 and secret-xyz\\n\"}}");
    assertThat(e.getMessage())
        .isEqualTo("OpenAI get failed: HTTP 400: key [redacted] and [redacted]");
  }

  /** A 5xx on create may follow a job that was created: "do not retry" must not make it final. */
  @Test
  void shouldKeepACreates5xxAnUnknownOutcomeWhateverXShouldRetrySays() {
    var headers = okhttp3.Headers.of("x-should-retry", "false");
    var create = ERRORS.fromResponse(Operation.CREATE, 500, headers, "{}");
    var get = ERRORS.fromResponse(Operation.GET, 500, headers, "{}");

    assertThat(create.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(create.outcomeUnknown()).isTrue();
    var conflict = ERRORS.fromResponse(Operation.CREATE, 409, headers, "{}");
    assertThat(conflict.outcomeUnknown()).isTrue();
    assertThat(get.kind()).isEqualTo(ErrorKind.PERMANENT);
  }
}
