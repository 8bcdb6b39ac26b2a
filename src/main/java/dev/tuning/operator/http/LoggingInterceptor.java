package dev.tuning.operator.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs each provider request at DEBUG (failures at INFO): method, host, path without the query
 * string, status, latency and the provider's request id. Never headers or bodies, which may hold
 * keys or training data.
 */
final class LoggingInterceptor implements Interceptor {

  private static final Logger log = LoggerFactory.getLogger(LoggingInterceptor.class);

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    ProviderCall call = MetricsInterceptor.callOf(request);
    String target = request.method() + " " + request.url().host() + request.url().encodedPath();
    long start = System.nanoTime();
    try {
      Response response = chain.proceed(request);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      boolean ok = response.isSuccessful();
      event(ok ? Level.DEBUG : Level.INFO, call)
          .addKeyValue("httpStatus", response.code())
          .log(
              "{} -> {} in {} ms{}",
              target,
              response.code(),
              ms,
              ok ? "" : " (request id " + requestId(response) + ")");
      return response;
    } catch (IOException e) {
      event(Level.INFO, call).log("{} failed: {}", target, e.getClass().getSimpleName());
      throw e;
    }
  }

  /** An event at {@code level} with the call's provider and operation. */
  private static LoggingEventBuilder event(Level level, ProviderCall call) {
    return log.atLevel(level)
        .addKeyValue("provider", call.provider())
        .addKeyValue("operation", call.operation());
  }

  static String requestId(Response response) {
    String id = response.header("x-request-id");
    return id != null ? id : response.header("x-goog-request-id", "none");
  }
}
