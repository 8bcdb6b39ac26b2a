package dev.tuning.operator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.OperatorConfig;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import dev.tuning.operator.reconciler.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * A sentinel API key travels every path a key can take (Secret, credential, provider context, HTTP
 * headers, failures of every kind, deletion) and must appear in no log line, Event, status, metric
 * or exception message.
 */
@EnableKubernetesMockClient(crud = true)
class SecretLeakTest {

  static final String SENTINEL = "sk-SENTINEL-4f1c9a7e-do-not-print";
  static final String NS = "leak";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void sentinelKeyAppearsNowhere() throws Exception {
    List<String> exceptionMessages = new ArrayList<>();
    OperatorHarness.installCrd(client);
    FakeTuningProvider fake =
        new FakeTuningProvider("openai")
            .failNext("create", ErrorKind.TRANSIENT, "503 unavailable")
            .failNext("get", ErrorKind.AUTHENTICATION, "401 invalid key", Duration.ofMillis(100))
            .failNext("get", ErrorKind.RATE_LIMITED, "429", Duration.ofMillis(100));
    try (var operator =
        new OperatorHarness(
                client,
                new ProviderRegistry().register(fake),
                new CredentialDefaults(
                    java.util.Optional.of(SENTINEL.getBytes(StandardCharsets.UTF_8)),
                    true,
                    AllowList.any()),
                Duration.ofMinutes(1))
            .start()) {
      client
          .secrets()
          .inNamespace(NS)
          .resource(TuningJobs.secret(NS, "openai", "apiKey", SENTINEL))
          .create();
      var jobs = client.resources(TuningJob.class).inNamespace(NS);
      jobs.resource(TuningJobs.openAi(NS, "ok")).create();
      TuningJob wrongKey = TuningJobs.openAi(NS, "wrong-key");
      wrongKey.getSpec().getOpenai().setApiKeySecretRef(new SecretKeyRef("openai", "other"));
      jobs.resource(wrongKey).create();
      TuningJob defaultKey = TuningJobs.openAi(NS, "default-key");
      defaultKey.getSpec().getOpenai().setApiKeySecretRef(null);
      jobs.resource(defaultKey).create();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  phase(jobs.withName("ok").get()) == Phase.Succeeded
                      && phase(jobs.withName("default-key").get()) == Phase.Succeeded
                      && jobs.withName("wrong-key").get().getStatus() != null);
      fake.failNext("create", ErrorKind.PERMANENT, "rejected");
      jobs.resource(TuningJobs.openAi(NS, "rejected")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phase(jobs.withName("rejected").get()) == Phase.Failed);
      jobs.withName("ok").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> jobs.withName("ok").get() == null);

      assertThat(fake.contexts()).isNotEmpty();
      fake.contexts().forEach(c -> exceptionMessages.add(c.credential().toString()));
      exceptionMessages.add(fake.contexts().get(0).toString());

      String statuses = client.getKubernetesSerialization().asYaml(jobs.list());
      String events =
          client.getKubernetesSerialization().asYaml(client.v1().events().inNamespace(NS).list());
      assertThat(statuses).doesNotContain(SENTINEL).contains("CredentialsMissing");
      assertThat(events).doesNotContain(SENTINEL).contains("ProviderUnavailable");
      assertThat(operator.scrape()).doesNotContain(SENTINEL);
    }

    // HTTP layer: the key in a header of a failing call reaches neither logs nor metrics.
    var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (var web = new MockWebServer()) {
      web.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":{}}"));
      web.start(java.net.InetAddress.getLoopbackAddress(), 0);
      var http = HttpClients.shared(meters, HttpClients.Timeouts.defaults());
      var request =
          new Request.Builder()
              .url(web.url("/v1/fine_tuning/jobs?key=" + SENTINEL))
              .header("Authorization", "Bearer " + SENTINEL)
              .tag(ProviderCall.class, new ProviderCall("openai", "list"))
              .build();
      try (var response = http.newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(401);
      }
      assertThat(web.takeRequest().getHeader("Authorization")).contains(SENTINEL);
    }
    assertThat(meters.scrape()).doesNotContain(SENTINEL).contains("tuning_provider_requests");

    // The real OpenAI provider: the provider echoes the key back in its errors, as OpenAI does.
    try (var web = new MockWebServer()) {
      String echo =
          "{\"error\":{\"message\":\"Incorrect API key provided: "
              + SENTINEL
              + ". You can find your API key at https://platform.openai.com\",\"type\":"
              + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
      web.enqueue(
          new MockResponse().setResponseCode(401).setBody(echo).setHeader("x-request-id", "req_1"));
      web.enqueue(
          new MockResponse().setResponseCode(400).setBody(echo.replace("invalid_api_key", "bad")));
      web.enqueue(new MockResponse().setResponseCode(500).setBody(echo));
      web.start(java.net.InetAddress.getLoopbackAddress(), 0);
      var provider =
          new dev.tuning.operator.provider.openai.OpenAiProvider(
              HttpClients.shared(meters, HttpClients.Timeouts.defaults()),
              dev.tuning.operator.provider.openai.OpenAiProvider.Settings.defaults()
                  .withDefaultBaseUrl(web.url("/v1").uri()),
              java.time.Clock.systemUTC());
      var ctx =
          new dev.tuning.operator.provider.JobContext(
              "uid-1",
              NS,
              "ok",
              TuningJobs.openAi(NS, "ok").getSpec(),
              Credential.fromJobSecret(
                  SENTINEL.getBytes(StandardCharsets.UTF_8), "leak/openai/apiKey"));
      for (int i = 0; i < 3; i++) {
        try {
          provider.create(ctx);
        } catch (dev.tuning.operator.provider.ProviderException e) {
          exceptionMessages.add(e.getMessage());
          exceptionMessages.add(String.valueOf(e.providerCode().orElse("")));
          exceptionMessages.add(String.valueOf(e.param().orElse("")));
          exceptionMessages.add(e.toString());
        }
      }
      assertThat(exceptionMessages).hasSizeGreaterThanOrEqualTo(12);
    }
    assertThat(meters.scrape()).doesNotContain(SENTINEL);

    exceptionMessages.add(
        Credential.fromJobSecret(SENTINEL.getBytes(StandardCharsets.UTF_8), "a/b/c").toString());
    exceptionMessages.add(
        Credential.operatorDefault(SENTINEL.getBytes(StandardCharsets.UTF_8)).toString());
    exceptionMessages.add(OperatorConfig.fromEnv(Map.of("OPENAI_API_KEY", SENTINEL)).toString());
    exceptionMessages.add(
        new CredentialDefaults(
                java.util.Optional.of(SENTINEL.getBytes(StandardCharsets.UTF_8)),
                true,
                AllowList.any())
            .toString());
    assertThat(exceptionMessages).allSatisfy(m -> assertThat(m).doesNotContain(SENTINEL));

    Path log = Path.of("target", "test-logs", "operator.log");
    assertThat(log).exists();
    String logs = Files.readString(log);
    assertThat(logs).contains("Created provider job").doesNotContain(SENTINEL);
  }

  private static Phase phase(TuningJob job) {
    return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
  }
}
