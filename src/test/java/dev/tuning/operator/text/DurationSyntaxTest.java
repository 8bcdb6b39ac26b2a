package dev.tuning.operator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSyntaxTest {

  /** What the configuration accepted before, with the same meaning. */
  @ParameterizedTest
  @CsvSource({
    "15s, PT15S",
    "10m, PT10M",
    "1h, PT1H",
    "500ms, PT0.5S",
    "0s, PT0S",
    "' 90s ', PT1M30S",
    "PT15S, PT15S",
    "pt15s, PT15S",
    "P1DT2H, PT26H"
  })
  void shouldReadWhatTheConfigurationAlwaysRead(String value, String iso) {
    assertThat(DurationSyntax.parse(value)).isEqualTo(Duration.parse(iso));
  }

  /** The rest of Go's grammar, as OpenAI's x-ratelimit-reset-* headers use it. */
  @ParameterizedTest
  @CsvSource({
    "6m0s, 360000000000",
    "1h2m3.5s, 3723500000000",
    "1.5h, 5400000000000",
    "0.5s, 500000000",
    ".5s, 500000000",
    "1.s, 1000000000",
    "20ms, 20000000",
    "2.25ms, 2250000",
    "500us, 500000",
    "500µs, 500000",
    "500μs, 500000",
    "42ns, 42",
    "1.0000000009s, 1000000000",
    "0, 0",
    "+5s, 5000000000",
    "-0s, 0",
    "1h1h, 7200000000000",
    "2562047h47m16.854775807s, 9223372036854775807"
  })
  void shouldReadGoDurations(String value, long nanos) {
    assertThat(DurationSyntax.parse(value)).isEqualTo(Duration.ofNanos(nanos));
    assertThat(DurationSyntax.tryParse(value)).contains(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "soon",
        "12",
        "s",
        ".s",
        "6x",
        "1H",
        "1d",
        "1.5.5s",
        "1s2",
        "1 s",
        "-1s",
        "-PT15S",
        "PT-15S",
        "P",
        "2562047h47m16.854775808s"
      })
  void shouldRefuseAnythingElse(String value) {
    assertThatThrownBy(() -> DurationSyntax.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("15s");
    assertThat(DurationSyntax.tryParse(value)).isEmpty();
  }
}
