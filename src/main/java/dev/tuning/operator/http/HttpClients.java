package dev.tuning.operator.http;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** Builds the one OkHttp client shared by all providers. */
public final class HttpClients {

  /** Timeouts for provider calls. */
  public record Timeouts(Duration connect, Duration read, Duration call) {
    public static Timeouts defaults() {
      return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(90));
    }
  }

  private HttpClients() {}

  /**
   * The shared client. Providers add their own per-request authentication (never an interceptor
   * holding a key) and derive per-provider variants with {@code newBuilder()}, which shares the
   * pool and dispatcher.
   */
  public static OkHttpClient shared(MeterRegistry registry, Timeouts timeouts) {
    ConnectionPool pool = new ConnectionPool(16, 5, TimeUnit.MINUTES);
    return new OkHttpClient.Builder()
        .connectTimeout(timeouts.connect())
        .readTimeout(timeouts.read())
        .writeTimeout(timeouts.read())
        .callTimeout(timeouts.call())
        .connectionPool(pool)
        // Provider calls are not idempotent (create); the reconciler decides what to retry. Only a
        // read that got no answer (a closed keep-alive connection) is sent once more.
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .addInterceptor(new StaleConnectionRetry(pool))
        .addInterceptor(new MetricsInterceptor(registry))
        .addInterceptor(new LoggingInterceptor())
        // The rate budget counts a call from when it is written, not when it was let out.
        .addNetworkInterceptor(new WireMark.OnWire())
        .build();
  }
}
