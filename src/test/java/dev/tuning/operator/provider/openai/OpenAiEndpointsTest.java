package dev.tuning.operator.provider.openai;

import static dev.tuning.operator.provider.openai.OpenAiFixtures.CLOCK;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.SENTINEL_KEY;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.ctx;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.job;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.HostPatterns;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that run before any request: endpoint allow-list, credential source, API key presence and
 * the metadata limits. Every refusal must leave the server untouched.
 */
class OpenAiEndpointsTest {

  private MockWebServer server;
  private OpenAiProvider.Settings settings;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
    settings = OpenAiProvider.Settings.defaults().withDefaultBaseUrl(server.url("/v1").uri());
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private OpenAiProvider provider(OpenAiProvider.Settings s) {
    return new OpenAiProvider(OpenAiFixtures.http(), s, CLOCK);
  }

  private ProviderException refusedWithoutRequests(Executable call) {
    ProviderException e = catchThrowableOfType(ProviderException.class, call::execute);
    assertThat(e).as("the call must fail").isNotNull();
    assertThat(server.getRequestCount()).as("no request may be sent").isZero();
    assertThat(e.getMessage()).doesNotContain(SENTINEL_KEY);
    return e;
  }

  private static TuningJobSpec withEndpoint(String endpoint) {
    TuningJobSpec spec = spec();
    spec.getOpenai().setEndpoint(endpoint);
    return spec;
  }

  @Test
  void shouldRefuseSixteenLabelsBecauseTheTagNeedsOnePair() {
    TuningJobSpec spec = spec();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      labels.put("k" + i, "v");
    }
    spec.setLabels(labels);

    ProviderException e = refusedWithoutRequests(() -> provider(settings).create(ctx(spec)));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.getMessage())
        .contains("spec.labels has 16 entries")
        .contains("16 metadata pairs")
        .contains("at most 15 labels");
  }

  @Test
  void shouldAcceptFifteenLabels() throws Exception {
    TuningJobSpec spec = spec();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < 15; i++) {
      labels.put("k" + i, "v");
    }
    spec.setLabels(labels);
    server.enqueue(job("queued"));

    provider(settings).create(ctx(spec));

    assertThat(OpenAiFixtures.tree(server.takeRequest().getBody().readUtf8()).get("metadata"))
        .hasSize(16);
  }

  @Test
  void shouldRefuseLabelKeyOrValueOverOpenAiLimits() {
    TuningJobSpec longKey = spec();
    longKey.setLabels(Map.of("k".repeat(65), "v"));
    TuningJobSpec longValue = spec();
    longValue.setLabels(Map.of("team", "v".repeat(513)));
    TuningJobSpec reserved = spec();
    reserved.setLabels(Map.of("tuningjob-uid", "forged"));

    ProviderException key = refusedWithoutRequests(() -> provider(settings).create(ctx(longKey)));
    ProviderException value =
        refusedWithoutRequests(() -> provider(settings).create(ctx(longValue)));
    ProviderException tag = refusedWithoutRequests(() -> provider(settings).create(ctx(reserved)));

    assertThat(key.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(key.getMessage()).contains("spec.labels").contains("1 to 64 characters");
    assertThat(value.getMessage()).contains("spec.labels").contains("'team'").contains("512");
    assertThat(tag.getMessage()).contains("spec.labels").contains("reserved");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example.com/v1",
        "https://myres.openai.azure.com.evil.io/openai/v1",
        "https://openai.azure.com/openai/v1",
        "https://127.0.0.1/v1",
        "not a url"
      })
  void shouldRefuseEndpointNotOnAllowList(String endpoint) {
    ProviderException e =
        refusedWithoutRequests(
            () -> provider(settings).get(ctx(withEndpoint(endpoint)), "ftjob-1"));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.providerCode()).contains("EndpointNotAllowed");
    assertThat(e.getMessage()).contains("spec.openai.endpoint");
  }

  @Test
  void shouldRefuseCustomEndpointForOperatorDefaultCredential() {
    String endpoint = server.url("/openai/v1").toString();
    var s =
        settings
            .withAllowedEndpointHosts(List.of(server.getHostName()))
            .withAllowPlainHttpEndpoints(true);
    JobContext ctx =
        ctx(
            withEndpoint(endpoint),
            Credential.operatorDefault(SENTINEL_KEY.getBytes(StandardCharsets.UTF_8)));

    ProviderException e = refusedWithoutRequests(() -> provider(s).create(ctx));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.providerCode()).contains("EndpointNotAllowed");
    assertThat(e.getMessage()).contains("own spec.openai.apiKeySecretRef");
  }

  @Test
  void shouldRefusePlainHttpEndpointUnlessAllowed() {
    var s = settings.withAllowedEndpointHosts(List.of(server.getHostName()));

    ProviderException e =
        refusedWithoutRequests(
            () -> provider(s).get(ctx(withEndpoint(server.url("/v1").toString())), "ftjob-1"));

    assertThat(e.getMessage()).contains("https");
  }

  @Test
  void shouldUseApiKeyHeaderForAzureFlavorOnAllowedEndpoint() throws Exception {
    var s =
        settings
            .withAllowedEndpointHosts(List.of("*.openai.azure.com", server.getHostName()))
            .withAllowPlainHttpEndpoints(true);
    TuningJobSpec spec = withEndpoint(server.url("/openai/v1").toString());
    spec.getOpenai().setFlavor(OpenAiSpec.Flavor.AZURE);
    server.enqueue(job("running"));

    provider(s).get(ctx(spec), "ftjob-abc123");

    RecordedRequest r = server.takeRequest();
    assertThat(r.getPath()).isEqualTo("/openai/v1/fine_tuning/jobs/ftjob-abc123");
    assertThat(r.getHeader("api-key")).isEqualTo(SENTINEL_KEY);
    assertThat(r.getHeader("Authorization")).isNull();
  }

  @Test
  void shouldRequireEndpointForAzureFlavor() {
    TuningJobSpec spec = spec();
    spec.getOpenai().setFlavor(OpenAiSpec.Flavor.AZURE);

    ProviderException e = refusedWithoutRequests(() -> provider(settings).create(ctx(spec)));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.providerCode()).contains("EndpointRequired");
  }

  @Test
  void shouldUseOperatorDefaultCredentialOnDefaultBaseUrl() throws Exception {
    server.enqueue(job("running"));

    provider(settings)
        .get(
            ctx(spec(), Credential.operatorDefault(SENTINEL_KEY.getBytes(StandardCharsets.UTF_8))),
            "ftjob-abc123");

    assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer " + SENTINEL_KEY);
  }

  @Test
  void shouldFailAuthenticationWithoutApiKey() {
    ProviderException ambient =
        refusedWithoutRequests(
            () -> provider(settings).get(ctx(spec(), Credential.ambient()), "x"));
    ProviderException blank =
        refusedWithoutRequests(
            () ->
                provider(settings)
                    .get(ctx(spec(), Credential.fromJobSecret(" \n".getBytes(), "ml/o/k")), "x"));
    ProviderException badChars =
        refusedWithoutRequests(
            () ->
                provider(settings)
                    .get(
                        ctx(
                            spec(),
                            Credential.fromJobSecret(
                                (SENTINEL_KEY + "\nX").getBytes(StandardCharsets.UTF_8), "ml/o/k")),
                        "x"));

    assertThat(ambient.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(ambient.getMessage()).contains("no OpenAI API key");
    assertThat(blank.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(badChars.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(badChars.getMessage()).contains("ml/o/k");
  }

  @Test
  void shouldMatchWildcardsOnSubdomainsOnly() {
    assertThat(HostPatterns.matches("*.openai.azure.com", "myres.openai.azure.com")).isTrue();
    assertThat(HostPatterns.matches("*.openai.azure.com", "MyRes.OpenAI.Azure.com")).isTrue();
    assertThat(HostPatterns.matches("*.openai.azure.com", "openai.azure.com")).isFalse();
    assertThat(HostPatterns.matches("*.openai.azure.com", "evilopenai.azure.com")).isFalse();
    assertThat(HostPatterns.matches("api.openai.com", "api.openai.com")).isTrue();
    assertThat(HostPatterns.matches("api.openai.com", "eu.api.openai.com")).isFalse();
  }

  @Test
  void shouldValidateSettings() {
    assertThat(OpenAiProvider.Settings.parseHostList(" a.example.com, *.b.example.com ,"))
        .containsExactly("a.example.com", "*.b.example.com");
    assertThat(OpenAiProvider.Settings.defaults().allowsHost("res.openai.azure.com")).isTrue();
    assertThat(OpenAiProvider.Settings.defaults().defaultBaseUrl())
        .hasToString("https://api.openai.com/v1");
    assertThatThrownBy(() -> settings.withAllowedEndpointHosts(List.of("*")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings.withAllowedEndpointHosts(List.of("evil.com/path")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
