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
            .operatorCredential(
                Credential.operatorDefault(SENTINEL.getBytes(StandardCharsets.UTF_8)))
            .failNext("create", ErrorKind.TRANSIENT, "503 unavailable")
            .failNext("get", ErrorKind.AUTHENTICATION, "401 invalid key", Duration.ofMillis(100))
            .failNext("get", ErrorKind.RATE_LIMITED, "429", Duration.ofMillis(100));
    try (var operator =
        new OperatorHarness(
                client,
                new ProviderRegistry().register(fake),
                new CredentialDefaults(AllowList.any()),
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
      String events = eventsContaining("ProviderUnavailable");
      assertThat(statuses).doesNotContain(SENTINEL).contains("CredentialsMissing");
      assertThat(events).doesNotContain(SENTINEL);
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
              provider.prepare(TuningJobs.openAi(NS, "ok").getSpec()),
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
        dev.tuning.operator.provider.openai.OpenAiProvider.Settings.fromEnv(
                new dev.tuning.operator.config.Env(Map.of("OPENAI_API_KEY", SENTINEL)), true)
            .toString());
    assertThat(exceptionMessages).allSatisfy(m -> assertThat(m).doesNotContain(SENTINEL));

    Path log = Path.of("target", "test-logs", "operator.log");
    assertThat(log).exists();
    String logs = Files.readString(log);
    assertThat(logs).contains("Created provider job").doesNotContain(SENTINEL);
  }

  /**
   * The tenant rule's refusal paths: a refused default key, a Google document full of the sentinel
   * (as a file path, URL, header and private key), and a foreign job met with the operator's key.
   */
  @Test
  void sentinelAppearsNowhereOnTheRefusalPaths() throws Exception {
    OperatorHarness.installCrd(client);
    FakeTuningProvider fake =
        new FakeTuningProvider("openai")
            .operatorCredential(
                Credential.operatorDefault(SENTINEL.getBytes(StandardCharsets.UTF_8)));
    String foreign = fake.addExternalJob(dev.tuning.operator.provider.ProviderJobState.RUNNING);
    try (var sink = new MockWebServer()) {
      sink.start(java.net.InetAddress.getLoopbackAddress(), 0);
      var vertex =
          new dev.tuning.operator.provider.vertex.VertexProvider(
              HttpClients.shared(
                  new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                  HttpClients.Timeouts.defaults()),
              dev.tuning.operator.provider.vertex.VertexProvider.Settings.defaults()
                  .withEndpoint(sink.url("/").toString()),
              dev.tuning.operator.provider.vertex.GoogleCredentialsFactory.defaults(
                  new dev.tuning.operator.provider.vertex.GoogleSecretPolicy(
                      true, List.of("tokens.example.com"), false)),
              java.time.Clock.systemUTC());
      try (var operator =
          new OperatorHarness(
                  client,
                  new ProviderRegistry().register(fake).register(vertex),
                  new CredentialDefaults(AllowList.of(List.of(NS))),
                  Duration.ofMinutes(1))
              .start()) {
        var jobs = client.resources(TuningJob.class).inNamespace(NS);
        String document =
            """
            {"type": "external_account", "audience": "%1$s",
             "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
             "token_url": "https://%1$s.example/token",
             "credential_source": {"url": "https://%1$s.example/t", "headers": {"X": "%1$s"},
                                   "file": "/tmp/%1$s"}}
            """
                .formatted(SENTINEL);
        String key =
            """
            {"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com",
             "private_key": "%1$s", "token_uri": "https://%1$s.example/token"}
            """
                .formatted(SENTINEL);
        client
            .secrets()
            .inNamespace(NS)
            .resource(TuningJobs.secret(NS, "federation", "key.json", document))
            .create();
        client
            .secrets()
            .inNamespace(NS)
            .resource(TuningJobs.secret(NS, "key", "key.json", key))
            .create();
        for (String secret : List.of("federation", "key")) {
          TuningJob job = TuningJobs.vertex(NS, "google-" + secret);
          job.getSpec().getVertex().setCredentialsSecretRef(new SecretKeyRef(secret, "key.json"));
          jobs.resource(job).create();
        }
        TuningJob steal = TuningJobs.openAi(NS, "steal");
        steal.getSpec().getOpenai().setApiKeySecretRef(null);
        steal.getMetadata().setAnnotations(Map.of(TuningJob.JOB_ID_ANNOTATION, foreign));
        jobs.resource(steal).create();

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    syncReason(jobs.withName("google-federation").get())
                            .equals("CredentialsRejected")
                        && syncReason(jobs.withName("google-key").get())
                            .equals("CredentialsRejected")
                        && syncReason(jobs.withName("steal").get()).equals("JobNotOwned"));

        String statuses = client.getKubernetesSerialization().asYaml(jobs.list());
        String events = eventsContaining("CredentialsRejected", "JobNotOwned");
        assertThat(statuses)
            .doesNotContain(SENTINEL)
            .contains("CredentialsRejected", "JobNotOwned");
        assertThat(events).doesNotContain(SENTINEL);
        assertThat(operator.scrape()).doesNotContain(SENTINEL);
      }
      assertThat(sink.getRequestCount()).isZero();
    }
    Map<String, String> env = new java.util.HashMap<>();
    env.put("OPENAI_API_KEY", SENTINEL);
    env.put("DEFAULT_CREDENTIALS", "true");
    env.put("DEFAULT_CREDENTIALS_NAMESPACES", "a,b");
    env.put("GOOGLE_EXTERNAL_ACCOUNT_SECRETS", "true");
    assertThat(OperatorConfig.fromEnv(env).toString()).doesNotContain(SENTINEL);
    String logs = Files.readString(Path.of("target", "test-logs", "operator.log"));
    assertThat(logs).contains("CredentialsRejected").doesNotContain(SENTINEL);
  }

  private static String syncReason(TuningJob job) {
    if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return "";
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Synced"))
        .map(c -> String.valueOf(c.getReason()))
        .findFirst()
        .orElse("");
  }

  private static Phase phase(TuningJob job) {
    return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
  }

  /**
   * The namespace's Events as YAML once they include {@code expected}: Events are written on the
   * recorder's own thread, after the reconcile that recorded them.
   */
  private String eventsContaining(String... expected) {
    String[] yaml = {""};
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              yaml[0] =
                  client
                      .getKubernetesSerialization()
                      .asYaml(client.v1().events().inNamespace(NS).list());
              assertThat(yaml[0]).contains(expected);
            });
    return yaml[0];
  }
}
