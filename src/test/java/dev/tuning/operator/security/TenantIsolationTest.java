package dev.tuning.operator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.ComputeEngineCredentials;
import dev.tuning.operator.TuningJobTestSupport;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import dev.tuning.operator.provider.vertex.GoogleCredentialsFactory;
import dev.tuning.operator.provider.vertex.GoogleSecretPolicy;
import dev.tuning.operator.provider.vertex.VertexProvider;
import dev.tuning.operator.provider.vertex.VertexTestSupport;
import dev.tuning.operator.reconciler.OperatorHarness;
import dev.tuning.operator.reconciler.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant rule (docs/design.md section 5), tried as a hostile tenant would: the real reconciler
 * with the real OpenAI and Vertex providers, whose every outbound request (provider API, Google
 * token endpoints, credential sources, the metadata server) lands on one recording sink on
 * loopback. Each refused request must show in status with its reason and an Event, and reach the
 * sink zero times.
 */
@EnableKubernetesMockClient(crud = true)
class TenantIsolationTest extends TuningJobTestSupport {

  static final String NS = "tenant-b";
  static final String OPERATOR_TOKEN = "operator-sa-token-SENTINEL-5e2f";
  static final String FOREIGN_OPENAI_JOB = "ftjob-victim123";
  static final String FOREIGN_VERTEX_JOB =
      "projects/victim-proj/locations/us-central1/tuningJobs/77";

  /** Another tenant's job in a project the operator serves. */
  static final String STOLEN_VERTEX_JOB =
      "projects/allowed-proj/locations/us-central1/tuningJobs/78";

  static final ObjectMapper JSON = new ObjectMapper();

  KubernetesMockServer server;
  KubernetesClient client;
  MockWebServer sink;
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  OperatorHarness operator;
  @TempDir Path dir;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected String namespace() {
    return NS;
  }

  @BeforeEach
  void startSink() throws Exception {
    OperatorHarness.installCrd(client);
    sink = new MockWebServer();
    sink.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            return answer(request);
          }
        });
    sink.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (operator != null) {
      operator.close();
    }
    sink.shutdown();
  }

  // --- 1. Google credential documents in a tenant Secret --------------------------------------

  @Test
  void shouldRefuseExternalAccountDocumentsUnlessTheOperatorOptsIn() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), OPERATOR_TOKEN);
    start(GoogleSecretPolicy.serviceAccountKeysOnly(), Defaults.none());

    TuningJob refused =
        applyVertexWithSecret(
            "federation-off", externalAccount(null, Map.of("file", token.toString())));

    assertRejected(refused, "external_account credentials are not allowed in a TuningJob Secret");
  }

  @Test
  void shouldRefuseEveryHostileGoogleDocumentEvenWithTheOptIn() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), OPERATOR_TOKEN);
    String sinkUrl = sink.url("/subject").toString();
    start(
        new GoogleSecretPolicy(true, List.of("subject-tokens.example.com"), false),
        Defaults.none());
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(
        "external_account credential_source.file is not allowed in a TuningJob Secret",
        externalAccount("https://sts.googleapis.com/v1/token", Map.of("file", token.toString())));
    cases.put(
        "external_account credential_source.url is not an https URL on a host the operator"
            + " allows",
        externalAccount(
            "https://sts.googleapis.com/v1/token",
            Map.of("url", sinkUrl, "headers", Map.of("X-Tenant", "b"))));
    cases.put(
        "external_account credential_source.headers may not carry a metadata-server header",
        externalAccount(
            "https://sts.googleapis.com/v1/token",
            Map.of(
                "url",
                "https://subject-tokens.example.com/t",
                "headers",
                Map.of("Metadata-Flavor", "Google"))));
    cases.put(
        "external_account universe_domain is not allowed",
        withField(
            externalAccount(null, Map.of("url", "https://subject-tokens.example.com/t")),
            "universe_domain",
            "127.0.0.1.nip.io"));
    cases.put(
        "external_account credential_source.environment_id is not allowed",
        externalAccount(
            "https://sts.googleapis.com/v1/token",
            Map.of(
                "environment_id",
                "aws1",
                "region_url",
                sinkUrl + "/region",
                "url",
                sinkUrl + "/role",
                "regional_cred_verification_url",
                "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity")));
    cases.put(
        "external_account credential_source.certificate is not allowed",
        externalAccount(
            "https://sts.googleapis.com/v1/token",
            Map.of("certificate", Map.of("use_default_certificate_config", true))));
    cases.put(
        "external_account credential_source.executable is not allowed",
        externalAccount(
            "https://sts.googleapis.com/v1/token",
            Map.of("executable", Map.of("command", "/bin/cat " + token))));
    cases.put(
        "external_account token_url is not an https URL on a host the operator allows",
        externalAccount(
            "https://storage.googleapis.com/v1/token",
            Map.of("url", "https://subject-tokens.example.com/t")));
    cases.put(
        "external_account service_account_impersonation_url is not an https URL",
        withField(
            externalAccount(
                "https://sts.googleapis.com/v1/token",
                Map.of("url", "https://subject-tokens.example.com/t")),
            "service_account_impersonation_url",
            sinkUrl));
    cases.put(
        "service_account token_uri is not an https URL on a host the operator allows",
        serviceAccountKey(sinkUrl + "/token"));
    cases.put(
        "service_account universe_domain is not allowed",
        withField(
            serviceAccountKey("https://oauth2.googleapis.com/token"),
            "universe_domain",
            "example.com"));
    int i = 0;
    for (var c : cases.entrySet()) {
      TuningJob refused = applyVertexWithSecret("hostile-" + i++, c.getValue());
      assertRejected(refused, c.getKey());
    }
  }

  // --- 2. Operator-wide credentials as a confused deputy --------------------------------------

  @Test
  void shouldServeDefaultCredentialsOnlyToListedNamespaces() {
    start(
        GoogleSecretPolicy.serviceAccountKeysOnly(),
        new Defaults(
            Optional.of(OPERATOR_TOKEN.getBytes(StandardCharsets.UTF_8)),
            true,
            AllowList.of(List.of("team-a"))));

    TuningJob openai = TuningJobs.openAi(NS, "default-key");
    openai.getSpec().getOpenai().setApiKeySecretRef(null);
    apply(openai);
    TuningJob vertex = TuningJobs.vertex(NS, "ambient");
    vertex.getSpec().getVertex().setCredentialsSecretRef(null);
    apply(vertex);

    assertRejected(
        awaitSyncReason("default-key", Reason.CREDENTIALS_REJECTED.value()),
        "spec.openai.apiKeySecretRef is not set and namespace tenant-b may not use the operator's"
            + " default credentials");
    assertRejected(
        awaitSyncReason("ambient", Reason.CREDENTIALS_REJECTED.value()),
        "spec.vertex.credentialsSecretRef is not set and namespace tenant-b may not use");
  }

  @Test
  void shouldLimitOperatorCredentialsToListedOrganizationsProjectsAndServiceAccounts() {
    start(
        GoogleSecretPolicy.serviceAccountKeysOnly(),
        new Defaults(
            Optional.of(OPERATOR_TOKEN.getBytes(StandardCharsets.UTF_8)), true, AllowList.any()));

    TuningJob organization = defaultKeyJob("other-org");
    organization.getSpec().getOpenai().setOrganization("org-victim");
    apply(organization);
    TuningJob project = defaultKeyJob("other-project");
    project.getSpec().getOpenai().setProject("proj_victim");
    apply(project);
    TuningJob vertexProject = ambientJob("victim-project");
    vertexProject.getSpec().getVertex().setProject("victim-proj");
    apply(vertexProject);
    TuningJob serviceAccount = ambientJob("victim-sa");
    serviceAccount
        .getSpec()
        .getVertex()
        .setServiceAccount("admin@allowed-proj.iam.gserviceaccount.com");
    apply(serviceAccount);

    assertRejected(
        awaitSyncReason("other-org", Reason.CREDENTIALS_REJECTED.value()),
        "spec.openai.organization is not allowed with the operator's default OpenAI key");
    assertRejected(
        awaitSyncReason("other-project", Reason.CREDENTIALS_REJECTED.value()),
        "spec.openai.project is not allowed with the operator's default OpenAI key");
    assertRejected(
        awaitSyncReason("victim-project", Reason.CREDENTIALS_REJECTED.value()),
        "spec.vertex.project victim-proj may not use the operator's Google identity");
    assertRejected(
        awaitSyncReason("victim-sa", Reason.CREDENTIALS_REJECTED.value()),
        "spec.vertex.serviceAccount may not be used with the operator's Google identity");
  }

  @Test
  void shouldNeverAdoptMirrorOrCancelAnotherTenantsJobWithOperatorCredentials() {
    start(
        GoogleSecretPolicy.serviceAccountKeysOnly(),
        new Defaults(
            Optional.of(OPERATOR_TOKEN.getBytes(StandardCharsets.UTF_8)), true, AllowList.any()));

    TuningJob openai = defaultKeyJob("steal-openai");
    annotate(openai, TuningJob.JOB_ID_ANNOTATION, FOREIGN_OPENAI_JOB);
    annotate(openai, TuningJob.CANCEL_ANNOTATION, "true");
    apply(openai);
    TuningJob vertex = ambientJob("steal-vertex");
    annotate(vertex, TuningJob.JOB_ID_ANNOTATION, STOLEN_VERTEX_JOB);
    annotate(vertex, TuningJob.CANCEL_ANNOTATION, "true");
    apply(vertex);

    for (String name : List.of("steal-openai", "steal-vertex")) {
      TuningJob refused = awaitSyncReason(name, Reason.JOB_NOT_OWNED.value());
      assertThat(refused.getStatus().getJobId()).as("nothing adopted").isNull();
      assertThat(refused.getStatus().getProviderState()).as("nothing mirrored").isNull();
      assertThat(refused.getStatus().getTunedModel()).isNull();
      assertThat(refused.getStatus().getPhase()).isEqualTo(Phase.Pending);
      assertThat(condition(refused, "Synced").getMessage())
          .contains("is not tagged with this TuningJob's UID");
      await().atMost(WAIT).until(() -> eventReasons(name).contains(Reason.JOB_NOT_OWNED.value()));
    }
    // Deleting them must not cancel the foreign jobs either.
    tuningJobs().withName("steal-openai").delete();
    tuningJobs().withName("steal-vertex").delete();
    await()
        .atMost(WAIT)
        .until(() -> get("steal-openai").isEmpty() && get("steal-vertex").isEmpty());
    assertThat(requests)
        .as("only reads of the foreign jobs, no cancel")
        .allSatisfy(r -> assertThat(r.getMethod()).isEqualTo("GET"))
        .isNotEmpty();
    assertThat(requests)
        .allSatisfy(
            r -> assertThat(r.getPath()).doesNotContain(":cancel").doesNotEndWith("/cancel"));
  }

  /** The operator's Google identity is never pointed at a project by an annotation. */
  @Test
  void shouldRefuseAnAnnotatedVertexJobInAProjectTheOperatorDoesNotServe() {
    start(
        GoogleSecretPolicy.serviceAccountKeysOnly(),
        new Defaults(Optional.empty(), true, AllowList.any()));
    TuningJob job = ambientJob("other-project");
    annotate(job, TuningJob.JOB_ID_ANNOTATION, FOREIGN_VERTEX_JOB);
    apply(job);

    TuningJob refused = awaitSyncReason("other-project", Reason.CREDENTIALS_REJECTED.value());
    assertRejected(refused, "annotation tuning.dev/job-id names project victim-proj");
  }

  @Test
  void shouldLetATenantAdoptAnUntaggedJobWithItsOwnKey() {
    start(GoogleSecretPolicy.serviceAccountKeysOnly(), Defaults.none());
    client
        .secrets()
        .inNamespace(NS)
        .resource(TuningJobs.secret(NS, "openai", "apiKey", "sk-tenant-b"))
        .create();
    TuningJob own = TuningJobs.openAi(NS, "own-key");
    annotate(own, TuningJob.JOB_ID_ANNOTATION, FOREIGN_OPENAI_JOB);
    apply(own);

    await().atMost(WAIT).until(() -> FOREIGN_OPENAI_JOB.equals(jobId("own-key")));
    assertThat(reason(get("own-key").orElseThrow(), "Submitted"))
        .isEqualTo(Reason.JOB_ADOPTED.value());
    assertThat(requests)
        .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer sk-tenant-b"));
  }

  @Test
  void shouldCheckTheJobIdAnnotationAgainstTheProvidersFormatBeforeAnyRequest() {
    start(
        GoogleSecretPolicy.serviceAccountKeysOnly(),
        new Defaults(
            Optional.of(OPERATOR_TOKEN.getBytes(StandardCharsets.UTF_8)), true, AllowList.any()));
    Map<String, TuningJob> jobs = new LinkedHashMap<>();
    jobs.put("dots", defaultKeyJob("dots"));
    jobs.put("path", defaultKeyJob("path"));
    jobs.put("vertex-path", ambientJob("vertex-path"));
    annotate(jobs.get("dots"), TuningJob.JOB_ID_ANNOTATION, "..");
    annotate(jobs.get("path"), TuningJob.JOB_ID_ANNOTATION, "ftjob-x/../../files");
    annotate(
        jobs.get("vertex-path"),
        TuningJob.JOB_ID_ANNOTATION,
        "projects/p/locations/us-central1/tuningJobs/1/../../../../v1/x");
    jobs.values().forEach(this::apply);

    for (String name : jobs.keySet()) {
      TuningJob refused = awaitSyncReason(name, Reason.INVALID_SPEC.value());
      assertThat(condition(refused, "Synced").getMessage())
          .contains("annotation tuning.dev/job-id is not a");
      await().atMost(WAIT).until(() -> eventReasons(name).contains(Reason.INVALID_SPEC.value()));
      tuningJobs().withName(name).delete();
    }
    await().atMost(WAIT).until(() -> tuningJobs().list().getItems().isEmpty());
    assertThat(requests).isEmpty();
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** What the operator's configuration offers: its own OpenAI key, Google identity, namespaces. */
  private record Defaults(Optional<byte[]> openAiKey, boolean ambient, AllowList namespaces) {
    static Defaults none() {
      return new Defaults(Optional.empty(), false, AllowList.none());
    }
  }

  private void start(GoogleSecretPolicy policy, Defaults defaults) {
    var http =
        HttpClients.shared(
            new SimpleMeterRegistry(),
            new HttpClients.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5)));
    var openAi =
        new OpenAiProvider(
            http,
            OpenAiProvider.Settings.defaults()
                .withDefaultBaseUrl(URI.create(sink.url("/v1").toString()))
                .withDefaultKey(defaults.openAiKey().map(Credential::operatorDefault).orElse(null)),
            Clock.systemUTC());
    // Every Google request (token endpoints, credential sources, the metadata server) goes to the
    // sink: the operator's own identity is the metadata server's token.
    var google =
        new GoogleCredentialsFactory(
            VertexTestSupport.redirectingTo(sink),
            transport ->
                ComputeEngineCredentials.newBuilder().setHttpTransportFactory(transport).build(),
            policy,
            VertexTestSupport.redirectingConnections(sink));
    var vertex =
        new VertexProvider(
            http,
            VertexProvider.Settings.defaults()
                .withEndpoint(sink.url("/").toString())
                .withAmbientAllowed(AllowList.of(List.of("allowed-proj")), AllowList.none())
                .withAmbient(defaults.ambient()),
            google,
            Clock.systemUTC());
    operator =
        new OperatorHarness(
                client,
                new ProviderRegistry().register(openAi).register(vertex),
                new CredentialDefaults(defaults.namespaces()),
                Duration.ofMinutes(10))
            .start();
  }

  /** Answers the two foreign jobs (tagged with another resource's UID) and the metadata server. */
  private static MockResponse answer(RecordedRequest request) {
    String path = request.getPath();
    if (path.startsWith("/computeMetadata/v1/instance/service-accounts/default/token")) {
      return new MockResponse()
          .setHeader("Metadata-Flavor", "Google")
          .setHeader("Content-Type", "application/json")
          .setBody(
              "{\"access_token\":\""
                  + OPERATOR_TOKEN
                  + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }
    if (path.startsWith("/computeMetadata")) {
      return new MockResponse().setHeader("Metadata-Flavor", "Google").setBody("googleapis.com");
    }
    if (path.equals("/v1/fine_tuning/jobs/" + FOREIGN_OPENAI_JOB)) {
      return json(
          "{\"object\":\"fine_tuning.job\",\"id\":\""
              + FOREIGN_OPENAI_JOB
              + "\",\"model\":\"gpt-4o-mini-2024-07-18\",\"created_at\":1721764800,"
              + "\"status\":\"running\",\"training_file\":\"file-victim\","
              + "\"metadata\":{\"tuningjob-uid\":\"uid-of-tenant-a\"}}");
    }
    if (path.equals("/v1/" + FOREIGN_VERTEX_JOB) || path.equals("/v1/" + STOLEN_VERTEX_JOB)) {
      return json(
          "{\"name\":\""
              + path.substring(4)
              + "\",\"baseModel\":\"gemini-2.5-flash\",\"state\":\"JOB_STATE_RUNNING\","
              + "\"createTime\":\"2026-01-10T08:00:00Z\","
              + "\"tunedModelDisplayName\":\"victim\","
              + "\"labels\":{\"tuningjob-uid\":\"uid-of-tenant-a\"}}");
    }
    return new MockResponse().setResponseCode(500);
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  private TuningJob applyVertexWithSecret(String name, String document) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(TuningJobs.secret(NS, name, "key.json", document))
        .create();
    TuningJob job = TuningJobs.vertex(NS, name);
    job.getSpec().getVertex().setCredentialsSecretRef(new SecretKeyRef(name, "key.json"));
    apply(job);
    return awaitSyncReason(name, Reason.CREDENTIALS_REJECTED.value());
  }

  private TuningJob defaultKeyJob(String name) {
    TuningJob job = TuningJobs.openAi(NS, name);
    job.getSpec().getOpenai().setApiKeySecretRef(null);
    return job;
  }

  private TuningJob ambientJob(String name) {
    TuningJob job = TuningJobs.vertex(NS, name);
    job.getSpec().getVertex().setCredentialsSecretRef(null);
    job.getSpec().getVertex().setProject("allowed-proj");
    return job;
  }

  private static void annotate(TuningJob job, String key, String value) {
    var annotations =
        job.getMetadata().getAnnotations() == null
            ? new HashMap<String, String>()
            : new HashMap<>(job.getMetadata().getAnnotations());
    annotations.put(key, value);
    job.getMetadata().setAnnotations(annotations);
  }

  private TuningJob awaitSyncReason(String name, String reason) {
    await()
        .atMost(WAIT)
        .until(() -> get(name).map(j -> reason(j, "Synced")).orElse("").equals(reason));
    return get(name).orElseThrow();
  }

  private String jobId(String name) {
    return get(name).map(j -> j.getStatus() == null ? null : j.getStatus().getJobId()).orElse(null);
  }

  /** Synced=False with the reason and a message naming the field, an Event, nothing sent. */
  private void assertRejected(TuningJob job, String message) {
    String name = job.getMetadata().getName();
    var synced = condition(job, "Synced");
    assertThat(synced.getStatus()).as(name).isEqualTo("False");
    assertThat(synced.getReason()).as(name).isEqualTo(Reason.CREDENTIALS_REJECTED.value());
    assertThat(synced.getMessage()).as(name).contains(message).doesNotContain(OPERATOR_TOKEN);
    assertThat(job.getStatus().getJobId()).as(name).isNull();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events(name))
                    .as(name)
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo(Reason.CREDENTIALS_REJECTED.value());
                          assertThat(e.getMessage()).contains(message);
                        }));
    assertThat(requests).as("requests reaching the sink after " + name).isEmpty();
  }

  private static String externalAccount(String tokenUrl, Map<String, Object> source)
      throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "external_account");
    doc.put(
        "audience",
        "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k");
    doc.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
    if (tokenUrl != null) {
      doc.put("token_url", tokenUrl);
    }
    doc.put("credential_source", source);
    return JSON.writeValueAsString(doc);
  }

  private static String serviceAccountKey(String tokenUri) throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "service_account");
    doc.put("client_email", "tenant@tenant-proj.iam.gserviceaccount.com");
    doc.put("private_key", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
    doc.put("token_uri", tokenUri);
    return JSON.writeValueAsString(doc);
  }

  @SuppressWarnings("unchecked")
  private static String withField(String document, String field, String value) throws Exception {
    Map<String, Object> doc = JSON.readValue(document, LinkedHashMap.class);
    doc.put(field, value);
    return JSON.writeValueAsString(doc);
  }
}
