package dev.tuning.operator;

import dev.tuning.operator.provider.ProviderRegistry;
import java.time.Clock;
import okhttp3.OkHttpClient;

/** The provider registry: one line per provider. */
final class Providers {
  private Providers() {}

  static ProviderRegistry registry(OperatorConfig config, OkHttpClient http, Clock clock) {
    return new ProviderRegistry();
  }
}
