package dev.tuning.operator.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    long start = System.nanoTime();
    try {
      Response response = chain.proceed(request);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      String requestId = requestId(response);
      if (response.isSuccessful()) {
        log.atDebug()
            .addKeyValue("provider", call.provider())
            .addKeyValue("operation", call.operation())
            .addKeyValue("httpStatus", response.code())
            .log(
                "{} {}{} -> {} in {} ms",
                request.method(),
                request.url().host(),
                request.url().encodedPath(),
                response.code(),
                ms);
      } else {
        log.atInfo()
            .addKeyValue("provider", call.provider())
            .addKeyValue("operation", call.operation())
            .addKeyValue("httpStatus", response.code())
            .log(
                "{} {}{} -> {} in {} ms (request id {})",
                request.method(),
                request.url().host(),
                request.url().encodedPath(),
                response.code(),
                ms,
                requestId);
      }
      return response;
    } catch (IOException e) {
      log.atInfo()
          .addKeyValue("provider", call.provider())
          .addKeyValue("operation", call.operation())
          .log(
              "{} {}{} failed: {}",
              request.method(),
              request.url().host(),
              request.url().encodedPath(),
              e.getClass().getSimpleName());
      throw e;
    }
  }

  static String requestId(Response response) {
    String id = response.header("x-request-id");
    return id != null ? id : response.header("x-goog-request-id", "none");
  }
}
