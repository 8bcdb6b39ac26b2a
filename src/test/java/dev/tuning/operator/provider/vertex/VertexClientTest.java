package dev.tuning.operator.provider.vertex;

import static dev.tuning.operator.provider.vertex.VertexTestSupport.CLOCK;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.JOB_NAME;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.ctx;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.json;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.HugeBodyServer;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

/**
 * The client reads answers through the shared {@link ProviderHttp}: the same bounds and the same
 * mapping of broken answers as the OpenAI client (see OpenAiClientTest).
 */
class VertexClientTest {

  private static final long SEVERAL_MB = 16L * 1024 * 1024;

  private static VertexProvider provider(HugeBodyServer server) {
    var settings =
        VertexProvider.Settings.defaults()
            .withEndpoint(server.url("/").toString())
            .withAmbientAllowed(AllowList.of(List.of("my-proj")), AllowList.none());
    return new VertexProvider(
        HugeBodyServer.smallBufferClient(),
        settings,
        VertexTestSupport.staticToken("ya29.token", null),
        CLOCK);
  }

  private static ProviderException getFails(VertexProvider provider) {
    return catchThrowableOfType(
        ProviderException.class, () -> provider.get(ctx(spec(null)), JOB_NAME));
  }

  @Test
  void shouldNotReadAHugeErrorBodyBeyondTheBound() throws Exception {
    try (var server =
        new HugeBodyServer(
            HugeBodyServer.Reply.json(400, "{\"error\":{\"message\":\"", SEVERAL_MB))) {
      ProviderException e = getFails(provider(server));

      assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
      assertThat(e.getMessage()).isEqualTo("Vertex AI get failed: HTTP 400 INVALID_ARGUMENT");
      assertThat(server.bodyBytesWritten(0, Duration.ofSeconds(20)))
          .isLessThan(ProviderHttp.MAX_ERROR_BODY + HugeBodyServer.SLACK);
    }
  }

  @Test
  void shouldTreatAHugeSuccessBodyAsUnreadableWithoutReadingIt() throws Exception {
    try (var server =
        new HugeBodyServer(
            HugeBodyServer.Reply.json(
                200, "{\"name\":\"" + JOB_NAME + "\",\"description\":\"", SEVERAL_MB))) {
      ProviderException e = getFails(provider(server));

      assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
      assertThat(e.getMessage())
          .isEqualTo("Vertex AI get returned an unreadable answer (HTTP 200)");
      assertThat(server.bodyBytesWritten(0, Duration.ofSeconds(20)))
          .isLessThan(ProviderHttp.MAX_BODY + HugeBodyServer.SLACK);
    }
  }

  /** A 2xx cut off by the network is a failed exchange, as for OpenAI: the IOException is kept. */
  @Test
  void shouldTreatABodyCutByTheNetworkAsAnIoFailure() throws Exception {
    var server = new MockWebServer();
    server.start();
    try {
      server.enqueue(
          json(200, "{\"name\":\"" + JOB_NAME + "\",\"description\":\"" + "x".repeat(100_000))
              .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
      var provider = VertexTestSupport.provider(server, VertexTestSupport.staticToken("t", null));

      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> provider.get(ctx(spec(null)), JOB_NAME));

      assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
      assertThat(e.outcomeUnknown()).isTrue();
      assertThat(e.getCause()).isInstanceOf(IOException.class);
      assertThat(e.getMessage()).startsWith("Vertex AI get request failed");
    } finally {
      server.shutdown();
    }
  }
}
