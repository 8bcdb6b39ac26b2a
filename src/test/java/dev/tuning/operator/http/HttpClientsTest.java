package dev.tuning.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

class HttpClientsTest {

  @Test
  void shouldCountRequestsByProviderOperationAndOutcome() throws Exception {
    var meters = new SimpleMeterRegistry();
    OkHttpClient http = HttpClients.shared(meters, HttpClients.Timeouts.defaults());
    try (var web = new MockWebServer()) {
      web.enqueue(new MockResponse().setBody("{}"));
      web.enqueue(new MockResponse().setResponseCode(429));
      web.enqueue(new MockResponse().setResponseCode(503));
      web.start(InetAddress.getLoopbackAddress(), 0);
      call(http, web, "get");
      call(http, web, "create");
      call(http, web, "create");
    }
    var closed = new MockWebServer();
    closed.start(InetAddress.getLoopbackAddress(), 0);
    closed.shutdown();
    assertThatThrownBy(() -> call(http, closed, "cancel")).isInstanceOf(IOException.class);
    assertThat(count(meters, "get", "success")).isEqualTo(1);
    assertThat(count(meters, "create", "rate_limited")).isEqualTo(1);
    assertThat(count(meters, "create", "server_error")).isEqualTo(1);
    assertThat(count(meters, "cancel", "io_error")).isEqualTo(1);
    assertThat(
            meters.get("tuning.provider.rate.limited").tag("provider", "openai").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void shouldNotRetryOrFollowRedirectsOnItsOwn() {
    OkHttpClient http =
        HttpClients.shared(new SimpleMeterRegistry(), HttpClients.Timeouts.defaults());
    assertThat(http.retryOnConnectionFailure()).isFalse();
    assertThat(http.followRedirects()).isFalse();
    assertThat(http.callTimeoutMillis()).isPositive();
  }

  /**
   * A read whose pooled connection the server had closed (no answer at all) is sent once more: the
   * benchmark's lists, a minute apart, each failed on their first page ("unexpected end of stream")
   * and every job of the key fell back to a read of its own. A write is never sent twice.
   */
  @Test
  void shouldSendAReadOnceMoreWhenItsConnectionClosedWithoutAnAnswer() throws Exception {
    OkHttpClient http =
        HttpClients.shared(new SimpleMeterRegistry(), HttpClients.Timeouts.defaults());
    try (var web = new MockWebServer()) {
      web.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      web.enqueue(new MockResponse().setBody("{}"));
      web.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      web.enqueue(new MockResponse().setBody("{}"));
      web.start(InetAddress.getLoopbackAddress(), 0);

      call(http, web, "list");
      assertThat(web.getRequestCount()).as("the read, sent once more").isEqualTo(2);

      var create =
          new Request.Builder()
              .url(web.url("/v1/x"))
              .post(okhttp3.RequestBody.create(new byte[0]))
              .tag(ProviderCall.class, new ProviderCall("openai", "create"))
              .build();
      assertThatThrownBy(() -> http.newCall(create).execute().close())
          .isInstanceOf(IOException.class);
      assertThat(web.getRequestCount()).as("the create, sent once").isEqualTo(3);
    }
  }

  /**
   * Each attempt of a request tells this thread's listener it goes on the wire (the rate budget
   * counts calls from there); a request on another thread, or after the listener closed, does not.
   */
  @Test
  void shouldMarkEachAttemptWhenItGoesOnTheWire() throws Exception {
    OkHttpClient http =
        HttpClients.shared(new SimpleMeterRegistry(), HttpClients.Timeouts.defaults());
    try (var web = new MockWebServer()) {
      web.enqueue(new MockResponse().setBody("{}"));
      web.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      web.enqueue(new MockResponse().setBody("{}"));
      web.enqueue(new MockResponse().setBody("{}"));
      web.enqueue(new MockResponse().setBody("{}"));
      web.start(InetAddress.getLoopbackAddress(), 0);
      java.util.concurrent.atomic.AtomicInteger marks =
          new java.util.concurrent.atomic.AtomicInteger();
      try (var listening = WireMark.listen(marks::incrementAndGet)) {
        call(http, web, "get");
        assertThat(marks).as("one request, one mark").hasValue(1);
        call(http, web, "list");
        assertThat(marks).as("a read sent twice is marked twice").hasValue(3);
        var failed = new java.util.concurrent.atomic.AtomicReference<IOException>();
        var other =
            new Thread(
                () -> {
                  try {
                    call(http, web, "get");
                  } catch (IOException e) {
                    failed.set(e);
                  }
                });
        other.start();
        other.join();
        assertThat(failed).hasNullValue();
        assertThat(marks).as("another thread's request").hasValue(3);
      }
      call(http, web, "get");
      assertThat(marks).as("no one listening").hasValue(3);
    }
  }

  private static long count(SimpleMeterRegistry meters, String operation, String outcome) {
    return meters
        .get("tuning.provider.requests")
        .tags("provider", "openai", "operation", operation, "outcome", outcome)
        .timer()
        .count();
  }

  private static void call(OkHttpClient http, MockWebServer web, String operation)
      throws IOException {
    var request =
        new Request.Builder()
            .url(web.url("/v1/x"))
            .tag(ProviderCall.class, new ProviderCall("openai", operation))
            .build();
    try (var response = http.newCall(request).execute()) {
      response.body().string();
    }
  }
}
