package dev.tuning.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.operator.config.Env;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import dev.tuning.operator.provider.vertex.VertexProvider;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void shouldUseDefaults() {
    OperatorConfig c = OperatorConfig.fromEnv(Map.of());
    assertThat(c.watchNamespaces()).isEmpty();
    assertThat(c.intervals().running()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.cancelTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.reconcileThreads()).as("reconciles are I/O-bound: 50, not 10").isEqualTo(50);
    assertThat(c.leaderElection()).as("leader election is on by default").isTrue();
    assertThat(c.defaultCredentials()).as("default credentials are off by default").isFalse();
    assertThat(c.defaultCredentialNamespaces().isEmpty()).isTrue();
    var none = new Env(Map.of());
    var vertex = VertexProvider.Settings.fromEnv(none, true);
    assertThat(vertex.ambientProjects().isEmpty()).isTrue();
    assertThat(vertex.endpoint()).isNull();
    var openAi = OpenAiProvider.Settings.fromEnv(none, true);
    assertThat(openAi.defaultBaseUrl()).hasToString("https://api.openai.com/v1");
    assertThat(openAi.allowedEndpointHosts()).contains("api.openai.com", "*.openai.azure.com");
    assertThat(openAi.defaultKey()).isNull();
  }

  @Test
  void shouldReadEveryVariable() {
    OperatorConfig c =
        OperatorConfig.fromEnv(
            Map.of(
                "WATCH_NAMESPACES", "a, b",
                "LABEL_SELECTOR", "shard=1",
                "POLL_RUNNING", "2m",
                "POLL_QUEUED", "PT5S",
                "CANCEL_TIMEOUT", "15m",
                "HTTP_PORT", "9090",
                "LEADER_ELECTION", "true",
                "LEASE_NAME", "lock",
                "POD_NAMESPACE", "ops",
                "OPENAI_API_KEY", "sk-secret-value"));
    assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(c.labelSelector()).contains("shard=1");
    assertThat(c.intervals().running()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.intervals().queued()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.cancelTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.httpPort()).isEqualTo(9090);
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaseNamespace()).contains("ops");
    assertThat(c.toString()).doesNotContain("sk-secret-value");
  }

  /** One grammar with OpenAI's reset headers: Go's compound and fractional forms work here too. */
  @Test
  void shouldReadGoCompoundAndFractionalDurations() {
    OperatorConfig c =
        OperatorConfig.fromEnv(
            Map.of("POLL_RUNNING", "1m30s", "POLL_QUEUED", "2.5s", "CANCEL_TIMEOUT", "1h0m0s"));
    assertThat(c.intervals().running()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.intervals().queued()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.cancelTimeout()).isEqualTo(Duration.ofHours(1));
  }

  /**
   * A negative poll interval or timeout was accepted in ISO form ("PT-15S"); it never made sense.
   */
  @Test
  void shouldRejectNegativeDurations() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("POLL_RUNNING", "PT-15S")))
        .hasMessageContaining("POLL_RUNNING")
        .hasMessageContaining("negative");
  }

  @Test
  void shouldRejectBadDurationsNamingTheVariable() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("POLL_RUNNING", "soon")))
        .hasMessageContaining("POLL_RUNNING")
        .hasMessageContaining("15s");
  }

  /** The settle runs from an attempt's start: it must outlast the whole call plus a margin. */
  @Test
  void shouldRefuseASettleShorterThanTheCallTimeoutPlusAQuarter() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("SUBMIT_SETTLE", "90s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SUBMIT_SETTLE (PT1M30S) must be at least PT1M52.5S");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnv(
                    Map.of(
                        "HTTP_CALL_TIMEOUT",
                        "10s",
                        "HTTP_READ_TIMEOUT",
                        "5s",
                        "SUBMIT_SETTLE",
                        "12s")))
        .hasMessageContaining("must be at least PT12.5S");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnv(Map.of("HTTP_CALL_TIMEOUT", "30s", "SUBMIT_SETTLE", "60s")))
        .as("a read timeout longer than the call")
        .hasMessageContaining("HTTP_CALL_TIMEOUT must be at least HTTP_READ_TIMEOUT");
    var ok =
        OperatorConfig.fromEnv(
            Map.of(
                "HTTP_CALL_TIMEOUT",
                "6s",
                "HTTP_READ_TIMEOUT",
                "6s",
                "HTTP_CONNECT_TIMEOUT",
                "2s",
                "SUBMIT_SETTLE",
                "10s"));
    assertThat(ok.httpTimeouts().call()).isEqualTo(Duration.ofSeconds(6));
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("SUBMIT_SETTLE", "11m", "CANCEL_TIMEOUT", "10m")))
        .as("deletion waits out the settle window within the cancel deadline")
        .hasMessageContaining("must not exceed CANCEL_TIMEOUT");
    assertThat(OperatorConfig.fromEnv(Map.of()).intervals().submitSettle())
        .isEqualTo(Duration.ofSeconds(120));
  }
}
