package dev.tuning.operator.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Records {@code tuning_provider_requests} (a timer) by provider, operation and outcome, and counts
 * rate-limit answers in {@code tuning_provider_rate_limited}. Tags never carry ids, URLs or
 * credentials: only the fixed provider and operation names and a status class.
 */
final class MetricsInterceptor implements Interceptor {

  private final MeterRegistry registry;

  MetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    ProviderCall call = callOf(request);
    Timer.Sample sample = Timer.start(registry);
    String outcome = "io_error";
    try {
      Response response = chain.proceed(request);
      outcome = outcome(response.code());
      if (response.code() == 429) {
        registry.counter("tuning.provider.rate.limited", "provider", call.provider()).increment();
      }
      return response;
    } finally {
      sample.stop(
          Timer.builder("tuning.provider.requests")
              .description("Provider API requests by provider, operation and outcome")
              .tag("provider", call.provider())
              .tag("operation", call.operation())
              .tag("outcome", outcome)
              .register(registry));
    }
  }

  static ProviderCall callOf(Request request) {
    ProviderCall call = request.tag(ProviderCall.class);
    return call != null ? call : new ProviderCall("unknown", "unknown");
  }

  private static String outcome(int code) {
    if (code >= 200 && code < 300) {
      return "success";
    }
    if (code == 429) {
      return "rate_limited";
    }
    return code >= 500 ? "server_error" : "client_error";
  }
}
