package dev.tuning.operator;

import dev.tuning.operator.config.Env;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.RateBudget;
import dev.tuning.operator.provider.bedrock.BedrockProvider;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import dev.tuning.operator.provider.vertex.VertexProvider;
import java.time.Clock;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The provider registry: one line per provider, all sharing one HTTP client. Each provider reads
 * its own settings from the environment; {@code DEFAULT_CREDENTIALS} decides whether any of them
 * offers the operator's own credentials. Every call goes through the shared per-credential rate
 * budget.
 */
final class Providers {
  private Providers() {}

  static ProviderRegistry registry(
      Env env, boolean defaultCredentials, OkHttpClient http, RateBudget budget, Clock clock) {
    return new ProviderRegistry(budget)
        .register(OpenAiProvider.fromEnv(env, defaultCredentials, http, clock))
        .register(VertexProvider.fromEnv(env, defaultCredentials, http, clock))
        .register(
            BedrockProvider.fromEnv(
                env, defaultCredentials, Duration.ofMillis(http.callTimeoutMillis()), clock));
  }
}
