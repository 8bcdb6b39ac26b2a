package dev.tuning.operator.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.provider.ErrorKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pure classification rules, without HTTP. */
class OpenAiErrorsTest {

  @ParameterizedTest
  @CsvSource({"6m0s, 360000", "1s, 1000", "20ms, 20", "1h2m3.5s, 3723500", "0.5s, 500"})
  void shouldParseRateLimitResetDurations(String value, long millis) {
    assertThat(OpenAiErrors.parseGoDuration(value)).contains(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "6x", "s", "12"})
  void shouldIgnoreUnparseableResetDurations(String value) {
    assertThat(OpenAiErrors.parseGoDuration(value)).isEmpty();
  }

  @Test
  void shouldDistinguishNotFoundByOperation() {
    assertThat(OpenAiErrors.kindOf("get", 404, null, null)).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf("cancel", 404, null, null)).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf("pause", 404, null, null)).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf("resume", 404, null, null)).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(OpenAiErrors.kindOf("create", 404, null, null)).isEqualTo(ErrorKind.PERMANENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Fine-tuning is no longer available for your organization.",
        "Your organization is not eligible for fine-tuning.",
        "Self-serve fine tuning has been discontinued; job creation is unavailable."
      })
  void shouldRecognizeWindDownMessagesOnCreate(String message) {
    assertThat(OpenAiErrors.kindOf("create", 403, "permission_denied", message))
        .isEqualTo(ErrorKind.PERMANENT);
  }

  @Test
  void shouldKeepOrdinaryForbiddenAsAuthentication() {
    assertThat(
            OpenAiErrors.kindOf(
                "create", 403, null, "Project proj_x does not have access to model gpt-4o"))
        .isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(OpenAiErrors.kindOf("create", 403, null, null)).isEqualTo(ErrorKind.AUTHENTICATION);
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
  void shouldSanitizeKeysControlCharactersAndLength() {
    assertThat(OpenAiErrors.sanitize("key sk-abcdef123456 and secret-xyz\n", "secret-xyz"))
        .isEqualTo("key [redacted] and [redacted]");
    assertThat(OpenAiErrors.sanitize("a".repeat(1000), null)).hasSize(OpenAiErrors.MAX_MESSAGE);
    assertThat(OpenAiErrors.sanitize(null, "k")).isNull();
  }

  /** A 5xx on create may follow a job that was created: "do not retry" must not make it final. */
  @Test
  void shouldKeepACreates5xxAnUnknownOutcomeWhateverXShouldRetrySays() {
    var headers = okhttp3.Headers.of("x-should-retry", "false");
    var create =
        OpenAiErrors.fromResponse(
            "create", 500, headers, "{}", java.time.Clock.systemUTC(), "sk-x");
    var get =
        OpenAiErrors.fromResponse("get", 500, headers, "{}", java.time.Clock.systemUTC(), "sk-x");

    assertThat(create.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(create.outcomeUnknown()).isTrue();
    var conflict =
        OpenAiErrors.fromResponse(
            "create", 409, headers, "{}", java.time.Clock.systemUTC(), "sk-x");
    assertThat(conflict.outcomeUnknown()).isTrue();
    assertThat(get.kind()).isEqualTo(ErrorKind.PERMANENT);
  }
}
