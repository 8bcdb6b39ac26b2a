package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorMainTest {

  @Test
  void shouldStartTheEmulatorsAndPrintTheirBaseUrls() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EmulatorMain.Started started =
        EmulatorMain.start(
            new String[] {
              "--running=45s",
              "--queued=500ms",
              "--keys=k1,k2",
              "--bedrock-access-keys=AKIAIOSFODNN7EXAMPLE",
              "--bedrock-regions=us-east-1,us-west-2"
            },
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8))) {
      String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");

      assertThat(lines)
          .containsExactly(
              "openai-emulator http://127.0.0.1:" + started.openai().port() + "/v1",
              "vertex-emulator http://127.0.0.1:" + started.vertex().port(),
              "bedrock-emulator http://127.0.0.1:" + started.bedrock().port());
      assertThat(started.openai().config.running()).isEqualTo(Duration.ofSeconds(45));
      assertThat(started.openai().config.queued()).isEqualTo(Duration.ofMillis(500));
      assertThat(started.vertex().config.validKeys()).containsExactlyInAnyOrder("k1", "k2");
      assertThat(started.bedrock().config.running()).isEqualTo(Duration.ofSeconds(45));
      assertThat(started.bedrock().options().accessKeyIds())
          .containsExactly("AKIAIOSFODNN7EXAMPLE");
      assertThat(started.bedrock().options().regions())
          .containsExactlyInAnyOrder("us-east-1", "us-west-2");
      assertThat(
              EmulatorHttp.bearer("k1")
                  .get(started.openai().baseUrl() + "/fine_tuning/jobs")
                  .code())
          .isEqualTo(200);
      assertThat(
              EmulatorHttp.anonymous().get(started.vertex().rootUrl() + "/_emulator/health").code())
          .isEqualTo(200);
    }
  }

  @Test
  void shouldTakePortsFromArgumentsBeforeEnvironment() {
    int free;
    try (OpenAiEmulator probe = new OpenAiEmulator(EmulatorConfig.defaults())) {
      free = probe.port();
    }
    try (EmulatorMain.Started started =
        EmulatorMain.start(
            new String[] {"--openai-port=" + free},
            Map.of(
                "OPENAI_EMULATOR_PORT",
                "1",
                "VERTEX_EMULATOR_PORT",
                "0",
                "BEDROCK_EMULATOR_PORT",
                "0"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      assertThat(started.openai().port()).isEqualTo(free);
      assertThat(started.vertex().port()).isPositive();
      assertThat(started.bedrock().port()).isPositive();
    }
  }

  @Test
  void shouldParseShortAndIsoDurationsAndRejectUnknownOptions() {
    assertThat(EmulatorMain.duration("20s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(20));
    assertThat(EmulatorMain.duration("2m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
    assertThat(EmulatorMain.duration("1h", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
    assertThat(EmulatorMain.duration("PT1.5S", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
    assertThat(EmulatorMain.duration(null, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(
            () -> EmulatorMain.start(new String[] {"--speed=fast"}, Map.of(), System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--speed");
  }
}
