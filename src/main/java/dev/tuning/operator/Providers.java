package dev.tuning.operator;

import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import dev.tuning.operator.provider.vertex.GoogleCredentialsFactory;
import dev.tuning.operator.provider.vertex.GoogleSecretPolicy;
import dev.tuning.operator.provider.vertex.VertexProvider;
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
            .withAllowedEndpointHosts(config.openAiEndpointAllowList())
            .withDefaultKeyTargets(
                config.openAiDefaultOrganizations(), config.openAiDefaultProjects());
    var vertex =
        VertexProvider.Settings.defaults()
            .withAmbientAllowed(
                config.vertexDefaultProjects(), config.vertexDefaultServiceAccounts());
    var googleSecrets =
        new GoogleSecretPolicy(
            config.googleExternalAccountSecrets(), config.googleExternalAccountUrlHosts(), false);
    if (config.vertexEndpoint().isPresent()) {
      vertex = vertex.withEndpoint(config.vertexEndpoint().get());
    }
    return new ProviderRegistry()
        .register(new OpenAiProvider(http, openAi, clock))
        .register(
            new VertexProvider(
                http, vertex, GoogleCredentialsFactory.defaults(googleSecrets), clock));
  }
}
