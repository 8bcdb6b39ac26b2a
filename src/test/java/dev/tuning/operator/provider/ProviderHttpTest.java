package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared JSON execution: bounds, parsing, and which classifier method sees what. */
class ProviderHttpTest {

  record Job(@JsonProperty("id") String id) {}

  /** Records each call and answers with a plain ProviderException naming it. */
  static final class Recording implements ErrorClassifier<String, ProviderException> {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String body;
    volatile IOException io;

    @Override
    public ProviderException fromResponse(String op, int status, Headers headers, String body) {
      this.body = body;
      calls.add("fromResponse " + op + " " + status);
      return new ProviderException(ErrorKind.PERMANENT, "rejected");
    }

    @Override
    public ProviderException fromIo(String op, IOException e) {
      this.io = e;
      calls.add("fromIo " + op);
      return new ProviderException(ErrorKind.TRANSIENT, "io");
    }

    @Override
    public ProviderException malformed(String op, int status, Headers headers) {
      calls.add("malformed " + op + " " + status);
      return new ProviderException(ErrorKind.TRANSIENT, "malformed");
    }
  }

  private MockWebServer server;
  private final Recording errors = new Recording();
  private final ProviderHttp http =
      new ProviderHttp(
          new OkHttpClient.Builder()
              .retryOnConnectionFailure(false)
              .readTimeout(Duration.ofSeconds(5))
              .build(),
          ProviderJson.MAPPER);

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private Request get() {
    return new Request.Builder().url(server.url("/job")).build();
  }

  private ProviderException fails(Request request, Class<?> type) {
    return catchThrowableOfType(
        ProviderException.class, () -> http.call(request, "get", errors, type, v -> true));
  }

  @Test
  void shouldParseASuccessBodyLeniently() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"id\":\"j-1\",\"unknown\":{\"a\":[1]}}  \n"));

    Job job = http.call(get(), "get", errors, Job.class, j -> j.id() != null);

    assertThat(job).isEqualTo(new Job("j-1"));
    assertThat(errors.calls).isEmpty();
  }

  @Test
  void shouldCallABodyThatIsNotWellFormedMalformed() {
    server.enqueue(new MockResponse().setBody("{\"other\":1}"));
    server.enqueue(new MockResponse().setBody("{\"id\": "));
    server.enqueue(new MockResponse().setBody(""));
    server.enqueue(new MockResponse().setBody("null"));

    for (int i = 0; i < 4; i++) {
      catchThrowableOfType(
          ProviderException.class,
          () -> http.call(get(), "get", errors, Job.class, j -> j.id() != null));
    }

    assertThat(errors.calls).containsOnly("malformed get 200").hasSize(4);
  }

  @Test
  void shouldHandTheErrorBodyToTheClassifier() {
    server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":\"bad\"}"));

    assertThat(fails(get(), Job.class).getMessage()).isEqualTo("rejected");
    assertThat(errors.calls).containsExactly("fromResponse get 400");
    assertThat(errors.body).isEqualTo("{\"error\":\"bad\"}");
  }

  @Test
  void shouldMapNoResponseAndABodyCutByTheNetworkToFromIo() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    server.enqueue(
        new MockResponse()
            .setBody("{\"id\":\"j-1\", \"padding\":\"" + "x".repeat(100_000) + "\"}")
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    fails(get(), Job.class);
    fails(get(), Job.class);

    assertThat(errors.calls).containsExactly("fromIo get", "fromIo get");
  }

  /** Small answers are read to their end, so the connection is kept for the next request. */
  @Test
  void shouldKeepTheConnectionAfterSmallAnswersEvenUnread() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"error\":\"gone\"}"));
    server.enqueue(new MockResponse().setBody("{}"));
    server.enqueue(new MockResponse().setBody("{\"id\":\"j-1\"}"));

    fails(get(), Job.class);
    assertThat(http.<String, ProviderException, Void>call(get(), "cancel", errors, null, v -> true))
        .isNull();
    http.call(get(), "get", errors, Job.class, j -> true);

    assertThat(server.takeRequest().getSequenceNumber()).isZero();
    assertThat(server.takeRequest().getSequenceNumber()).isEqualTo(1);
    assertThat(server.takeRequest().getSequenceNumber()).isEqualTo(2);
  }

  @Test
  void shouldReadAtMostTheBoundOfAHugeErrorBody() throws Exception {
    long length = 16L * 1024 * 1024;
    try (var huge = new HugeBodyServer(HugeBodyServer.Reply.json(400, "{\"error\":\"", length))) {
      var bounded = new ProviderHttp(HugeBodyServer.smallBufferClient(), ProviderJson.MAPPER);

      catchThrowableOfType(
          ProviderException.class,
          () ->
              bounded.call(
                  new Request.Builder().url(huge.url("/job")).build(),
                  "get",
                  errors,
                  Job.class,
                  j -> true));

      assertThat(errors.calls).containsExactly("fromResponse get 400");
      assertThat(errors.body).hasSize(ProviderHttp.MAX_ERROR_BODY).startsWith("{\"error\":\"xxx");
      assertThat(huge.bodyBytesWritten(0, Duration.ofSeconds(20)))
          .isLessThan(ProviderHttp.MAX_ERROR_BODY + HugeBodyServer.SLACK);
    }
  }

  @Test
  void shouldReadAtMostTheBoundOfAHugeSuccessBody() throws Exception {
    long length = ProviderHttp.MAX_BODY * 2;
    try (var huge =
        new HugeBodyServer(
            HugeBodyServer.Reply.json(200, "{\"id\":\"j-1\",\"padding\":\"", length))) {
      var bounded = new ProviderHttp(HugeBodyServer.smallBufferClient(), ProviderJson.MAPPER);

      catchThrowableOfType(
          ProviderException.class,
          () ->
              bounded.call(
                  new Request.Builder().url(huge.url("/job")).build(),
                  "get",
                  errors,
                  Job.class,
                  j -> true));

      assertThat(errors.calls).containsExactly("malformed get 200");
      assertThat(huge.bodyBytesWritten(0, Duration.ofSeconds(20)))
          .isLessThan(ProviderHttp.MAX_BODY + HugeBodyServer.SLACK);
    }
  }

  /** A body nobody parses (a 401 before its replay, an Empty answer) is not downloaded either. */
  @Test
  void shouldNotDownloadAHugeBodyThatIsClosedUnread() throws Exception {
    try (var huge = new HugeBodyServer(HugeBodyServer.Reply.json(401, "{", 16L * 1024 * 1024))) {
      var bounded = new ProviderHttp(HugeBodyServer.smallBufferClient(), ProviderJson.MAPPER);

      try (var exchange =
          bounded.send(new Request.Builder().url(huge.url("/job")).build(), "get", errors)) {
        assertThat(exchange.status()).isEqualTo(401);
      }

      assertThat(huge.bodyBytesWritten(0, Duration.ofSeconds(20)))
          .isLessThan(ProviderHttp.MAX_ERROR_BODY + HugeBodyServer.SLACK);
    }
  }
}
