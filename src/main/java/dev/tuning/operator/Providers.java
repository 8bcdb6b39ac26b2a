package dev.tuning.operator;

import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import java.net.URI;
import java.time.Clock;
import okhttp3.OkHttpClient;

/** The provider registry: one line per provider, all sharing one HTTP client. */
final class Providers {
  private Providers() {}

  static ProviderRegistry registry(OperatorConfig config, OkHttpClient http, Clock clock) {
    var openAi =
        OpenAiProvider.Settings.defaults()
            .withDefaultBaseUrl(URI.create(config.openAiBaseUrl()))
            .withAllowedEndpointHosts(config.openAiEndpointAllowList());
    return new ProviderRegistry().register(new OpenAiProvider(http, openAi, clock));
  }
}
