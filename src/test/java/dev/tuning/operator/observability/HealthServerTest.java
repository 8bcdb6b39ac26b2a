package dev.tuning.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeMetricsAndProbes() throws Exception {
    var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.counter("tuning.test").increment();
    AtomicBoolean ready = new AtomicBoolean(false);
    try (var server = new HealthServer(0, meters, () -> true, ready::get).start()) {
      assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);
      var metrics = get(server.port(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("tuning_test_total 1.0");
    }
  }

  @Test
  void shouldReportNotLiveWhenTheCheckThrows() throws Exception {
    var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (var server =
        new HealthServer(
                0,
                meters,
                () -> {
                  throw new IllegalStateException("broken");
                },
                () -> true)
            .start()) {
      assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(503);
    }
  }
}
