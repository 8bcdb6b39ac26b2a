package dev.tuning.operator.provider.vertex;

import static dev.tuning.operator.provider.vertex.VertexTestSupport.JOB_NAME;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.ctx;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.json;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.resource;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoogleCredentialsFactoryTest {

  private static final String EMAIL = "tuner@my-proj.iam.gserviceaccount.com";
  private static final String SENTINEL = "SENTINEL-7c1e-do-not-leak";
  private static final String TOKEN_PATH =
      "/computeMetadata/v1/instance/service-accounts/default/token";

  private static KeyPair keys;
  private static String pem;

  private final ObjectMapper json = new ObjectMapper();
  private MockWebServer tokens;
  private MockWebServer api;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
  }

  @BeforeEach
  void start() throws Exception {
    tokens = new MockWebServer();
    tokens.start();
    api = new MockWebServer();
    api.start();
  }

  @AfterEach
  void stop() throws Exception {
    tokens.shutdown();
    api.shutdown();
  }

  private String serviceAccountKey(String tokenUri, String quotaProject) throws Exception {
    Map<String, String> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "my-proj");
    key.put("private_key_id", "kid-1");
    key.put("private_key", pem);
    key.put("client_email", EMAIL);
    key.put("client_id", "1234567890");
    key.put("token_uri", tokenUri);
    if (quotaProject != null) {
      key.put("quota_project_id", quotaProject);
    }
    return json.writeValueAsString(key);
  }

  private static Credential secret(String content) {
    return Credential.fromJobSecret(content.getBytes(StandardCharsets.UTF_8), "ml/gcp/key.json");
  }

  /** Secrets only; ADC is unavailable; with {@code false}, token endpoints on loopback allowed. */
  private static GoogleCredentialsFactory secretsOnly(boolean googleEndpointsOnly) {
    GoogleSecretPolicy policy = GoogleSecretPolicy.serviceAccountKeysOnly();
    return secretsOnly(googleEndpointsOnly ? policy : policy.withLoopbackAllowed());
  }

  private static GoogleCredentialsFactory secretsOnly(GoogleSecretPolicy policy) {
    return new GoogleCredentialsFactory(
        NetHttpTransport::new,
        transport -> {
          throw new IOException("no ADC in this test");
        },
        policy);
  }

  /** External accounts allowed, with subject tokens only from {@value #SUBJECT_HOST}. */
  private static final String SUBJECT_HOST = "subject-tokens.example.com";

  private static final GoogleSecretPolicy FEDERATION =
      new GoogleSecretPolicy(true, java.util.List.of(SUBJECT_HOST), false);

  private static MockResponse token(String value, int expiresIn) {
    return json(
        200,
        "{\"access_token\":\""
            + value
            + "\",\"expires_in\":"
            + expiresIn
            + ",\"token_type\":\"Bearer\"}");
  }

  private VertexProvider provider(GoogleCredentialsFactory factory) {
    return VertexTestSupport.provider(api, factory);
  }

  private ProviderException getFails(GoogleCredentialsFactory factory, Credential credential) {
    return catchThrowableOfType(
        ProviderException.class,
        () -> provider(factory).get(ctx(spec(null), credential), JOB_NAME));
  }

  private static Map<String, String> form(RecordedRequest request) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : request.getBody().readUtf8().split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void shouldSignAJwtGetOneTokenAndReuseItAcrossCalls() throws Exception {
    String tokenUri = tokens.url("/token").toString();
    tokens.enqueue(token("sa-token-1", 3600));
    api.enqueue(json(200, resource("job-running.json")));
    api.enqueue(json(200, resource("job-running.json")));
    var provider = provider(secretsOnly(false));
    String key = serviceAccountKey(tokenUri, null);

    provider.get(ctx(spec(null), secret(key)), JOB_NAME);
    // A second Credential object with the same bytes shares the cached token.
    provider.get(ctx(spec(null), secret(key)), JOB_NAME);

    assertThat(tokens.getRequestCount()).isEqualTo(1);
    RecordedRequest tokenRequest = tokens.takeRequest();
    assertThat(tokenRequest.getMethod()).isEqualTo("POST");
    Map<String, String> form = form(tokenRequest);
    assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    String[] jwt = form.get("assertion").split("\\.");
    assertThat(jwt).hasSize(3);
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(keys.getPublic());
    rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
    JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(jwt[1]));
    assertThat(claims.path("iss").asText()).isEqualTo(EMAIL);
    // google-auth signs for Google's token server whatever token_uri says.
    assertThat(claims.path("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
    assertThat(tokenRequest.getPath()).isEqualTo("/token");
    assertThat(claims.path("scope").asText()).isEqualTo(GoogleCredentialsFactory.SCOPE);
    assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer sa-token-1");
    assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer sa-token-1");
  }

  @Test
  void shouldRefreshAnExpiredToken() throws Exception {
    // 10 s is inside the library's expiry margin: the token is expired as soon as it arrives.
    tokens.enqueue(token("short-lived", 10));
    tokens.enqueue(token("fresh", 3600));
    api.enqueue(json(200, resource("job-running.json")));
    api.enqueue(json(200, resource("job-running.json")));
    var provider = provider(secretsOnly(false));
    var credential = secret(serviceAccountKey(tokens.url("/token").toString(), null));

    provider.get(ctx(spec(null), credential), JOB_NAME);
    provider.get(ctx(spec(null), credential), JOB_NAME);

    assertThat(tokens.getRequestCount()).isEqualTo(2);
    assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer short-lived");
    assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer fresh");
  }

  @Test
  void shouldRefreshOnceAndReplayTheRequestAfter401() throws Exception {
    tokens.enqueue(token("revoked", 3600));
    tokens.enqueue(token("replacement", 3600));
    api.enqueue(json(401, "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}"));
    api.enqueue(json(200, resource("job-queued.json")));
    var credential = secret(serviceAccountKey(tokens.url("/token").toString(), null));

    var job = provider(secretsOnly(false)).create(ctx(spec(null), credential));

    assertThat(job.id()).isEqualTo(JOB_NAME);
    assertThat(tokens.getRequestCount()).isEqualTo(2);
    RecordedRequest first = api.takeRequest();
    RecordedRequest replay = api.takeRequest();
    assertThat(first.getHeader("Authorization")).isEqualTo("Bearer revoked");
    assertThat(replay.getHeader("Authorization")).isEqualTo("Bearer replacement");
    assertThat(replay.getMethod()).isEqualTo("POST");
    assertThat(replay.getBody().readUtf8()).contains("\"baseModel\":\"gemini-2.5-flash\"");
  }

  @Test
  void shouldGiveUpWhenTheRefreshedTokenIsAlsoRejected() throws Exception {
    tokens.enqueue(token("one", 3600));
    tokens.enqueue(token("two", 3600));
    api.enqueue(json(401, "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}"));
    api.enqueue(json(401, "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}"));
    var credential = secret(serviceAccountKey(tokens.url("/token").toString(), null));

    ProviderException e = getFails(secretsOnly(false), credential);

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(api.getRequestCount()).isEqualTo(2);
    assertThat(tokens.getRequestCount()).isEqualTo(2);
  }

  @Test
  void shouldSendTheKeysQuotaProject() throws Exception {
    tokens.enqueue(token("sa-token", 3600));
    api.enqueue(json(200, resource("job-running.json")));
    var credential = secret(serviceAccountKey(tokens.url("/token").toString(), "billing-proj"));

    provider(secretsOnly(false)).get(ctx(spec(null), credential), JOB_NAME);

    RecordedRequest request = api.takeRequest();
    assertThat(request.getHeader("x-goog-user-project")).isEqualTo("billing-proj");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sa-token");
  }

  @Test
  void shouldNotLeakTheKeyOrTheTokenEndpointAnswerWhenATokenIsRefused() throws Exception {
    tokens.enqueue(
        json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + SENTINEL + "\"}"));
    var credential = secret(serviceAccountKey(tokens.url("/token").toString(), null));

    ProviderException e = getFails(secretsOnly(false), credential);

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage())
        .contains("ml/gcp/key.json", "HTTP 400")
        .doesNotContain(SENTINEL, "invalid_grant", pem.substring(40, 100), "BEGIN PRIVATE");
    assertThat(e.getCause()).isNull();
    assertThat(api.getRequestCount()).isZero();
  }

  /** What ADC returns on GKE/GCE, with its transport pointed at a fake metadata server. */
  @Test
  void shouldGetAmbientTokensFromTheMetadataServer() throws Exception {
    MockWebServer metadata = fakeMetadataServer();
    try {
      var factory =
          new GoogleCredentialsFactory(
              VertexTestSupport.redirectingTo(metadata),
              transport ->
                  ComputeEngineCredentials.newBuilder().setHttpTransportFactory(transport).build(),
              GoogleSecretPolicy.serviceAccountKeysOnly());
      api.enqueue(json(200, resource("job-running.json")));
      api.enqueue(json(200, resource("job-running.json")));

      provider(factory).get(ctx(spec(null)), JOB_NAME);
      provider(factory).get(ctx(spec(null)), JOB_NAME);

      RecordedRequest tokenRequest = takeTokenRequest(metadata);
      assertThat(tokenRequest.getHeader("Metadata-Flavor")).isEqualTo("Google");
      assertThat(tokenRequest.getRequestUrl().queryParameter("scopes"))
          .contains(GoogleCredentialsFactory.SCOPE);
      assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer metadata-token");
      assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer metadata-token");
      assertThat(countTokenRequests(metadata)).isZero();
    } finally {
      metadata.shutdown();
    }
  }

  /** The real ADC search, which falls through to the metadata server when nothing else is set. */
  @Test
  void shouldDiscoverTheMetadataServerThroughApplicationDefaultCredentials() throws Exception {
    assumeTrue(System.getenv("GOOGLE_APPLICATION_CREDENTIALS") == null, "ADC file configured");
    assumeTrue(System.getenv("NO_GCE_CHECK") == null, "GCE check disabled");
    assumeTrue(System.getenv("DEVSHELL_CLIENT_PORT") == null, "Cloud Shell");
    String config = System.getenv("CLOUDSDK_CONFIG");
    Path gcloud =
        config != null
            ? Path.of(config)
            : Path.of(System.getProperty("user.home"), ".config", "gcloud");
    assumeTrue(!Files.exists(gcloud.resolve("application_default_credentials.json")), "gcloud ADC");
    MockWebServer metadata = fakeMetadataServer();
    try {
      var factory =
          new GoogleCredentialsFactory(
              VertexTestSupport.redirectingTo(metadata),
              GoogleCredentials::getApplicationDefault,
              GoogleSecretPolicy.serviceAccountKeysOnly());
      api.enqueue(json(200, resource("job-running.json")));

      provider(factory).get(ctx(spec(null)), JOB_NAME);

      assertThat(takeTokenRequest(metadata).getHeader("Metadata-Flavor")).isEqualTo("Google");
      assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer metadata-token");
    } finally {
      metadata.shutdown();
    }
  }

  private static MockWebServer fakeMetadataServer() throws IOException {
    MockWebServer metadata = new MockWebServer();
    metadata.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (!"Google".equals(request.getHeader("Metadata-Flavor"))) {
              return new MockResponse().setResponseCode(403);
            }
            MockResponse response =
                request.getPath().startsWith(TOKEN_PATH)
                    ? token("metadata-token", 3600)
                    : new MockResponse().setResponseCode(200).setBody("googleapis.com");
            return response.setHeader("Metadata-Flavor", "Google");
          }
        });
    metadata.start();
    return metadata;
  }

  private static RecordedRequest takeTokenRequest(MockWebServer metadata) throws Exception {
    for (RecordedRequest r = metadata.takeRequest(); ; r = metadata.takeRequest()) {
      if (r.getPath().startsWith(TOKEN_PATH)) {
        return r;
      }
    }
  }

  private static int countTokenRequests(MockWebServer metadata) throws Exception {
    int count = 0;
    for (RecordedRequest r;
        (r = metadata.takeRequest(0, java.util.concurrent.TimeUnit.SECONDS)) != null; ) {
      count += r.getPath().startsWith(TOKEN_PATH) ? 1 : 0;
    }
    return count;
  }

  private String externalAccount(String tokenUrl, Map<String, Object> source) throws Exception {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("type", "external_account");
    config.put(
        "audience",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/k8s/providers/c1");
    config.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
    config.put("token_url", tokenUrl);
    config.put("credential_source", source);
    return json.writeValueAsString(config);
  }

  /**
   * With the operator's opt-in, a url-sourced federation document works: the subject token comes
   * from the allowed host, the exchange from Google's STS (the transport sends both to loopback).
   */
  @Test
  void shouldExchangeAUrlSourcedSubjectTokenAtStsWhenTheOperatorAllowsFederation()
      throws Exception {
    tokens.enqueue(new MockResponse().setResponseCode(200).setBody("oidc-subject-jwt"));
    tokens.enqueue(
        json(
            200,
            "{\"access_token\":\"federated-token\",\"issued_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\","
                + "\"expires_in\":3600}"));
    api.enqueue(json(200, resource("job-running.json")));
    var credential =
        secret(
            externalAccount(
                "https://sts.googleapis.com/v1/token",
                Map.of("url", "https://" + SUBJECT_HOST + "/token")));
    var factory = federation();

    provider(factory).get(ctx(spec(null), credential), JOB_NAME);

    assertThat(tokens.takeRequest().getPath()).isEqualTo("/token");
    RecordedRequest exchange = tokens.takeRequest();
    assertThat(exchange.getPath()).isEqualTo("/v1/token");
    Map<String, String> form = form(exchange);
    assertThat(form)
        .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
        .containsEntry("subject_token", "oidc-subject-jwt");
    assertThat(form.get("scope")).contains(GoogleCredentialsFactory.SCOPE);
    assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer federated-token");
  }

  /** Token connections of Secret documents go to loopback, as the real hosts would be asked. */
  private GoogleCredentialsFactory federation() {
    return new GoogleCredentialsFactory(
        VertexTestSupport.redirectingTo(tokens),
        transport -> {
          throw new IOException("no ADC in this test");
        },
        FEDERATION,
        VertexTestSupport.redirectingConnections(tokens));
  }

  /**
   * google-auth follows redirects: an allowed subject-token host that redirects to the metadata
   * server (with the tenant's Metadata-Flavor-free headers) must not be followed.
   */
  @Test
  void shouldNotFollowASubjectTokenRedirectToTheMetadataServer() throws Exception {
    tokens.enqueue(
        new MockResponse()
            .setResponseCode(302)
            .setHeader(
                "Location",
                "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token"));
    tokens.enqueue(token("operator-identity-token", 3600));
    var credential =
        secret(
            externalAccount(
                "https://sts.googleapis.com/v1/token",
                Map.of("url", "https://" + SUBJECT_HOST + "/token")));

    ProviderException e = getFails(federation(), credential);

    assertThat(e.kind()).isEqualTo(ErrorKind.CREDENTIALS_REJECTED);
    assertThat(e.getMessage()).contains("tried to reach a host the operator does not allow");
    assertThat(tokens.getRequestCount()).as("only the allowed host was asked").isEqualTo(1);
    assertThat(api.getRequestCount()).isZero();
  }

  @Test
  void shouldRefuseTokenEndpointsOutsideGoogle() throws Exception {
    String local = tokens.url("/token").toString();
    String source = "https://" + SUBJECT_HOST + "/t";
    for (String content :
        new String[] {
          serviceAccountKey(local, null),
          serviceAccountKey("https://oauth2.googleapis.com.evil.example/token", null),
          externalAccount(local, Map.of("url", source)),
          externalAccount(
              "https://sts.googleapis.com.evil.example/v1/token", Map.of("url", source)),
          // A Google host, but not the token service.
          externalAccount("https://storage.googleapis.com/v1/token", Map.of("url", source))
        }) {
      ProviderException e = getFails(secretsOnly(FEDERATION), secret(content));

      assertThat(e.kind()).isEqualTo(ErrorKind.CREDENTIALS_REJECTED);
      assertThat(e.getMessage()).contains("is not an https URL on a host the operator allows");
    }
    assertThat(tokens.getRequestCount()).isZero();
    assertThat(api.getRequestCount()).isZero();
  }

  @Test
  void shouldRefuseExecutableCredentialSources() throws Exception {
    String content =
        externalAccount(
            "https://sts.googleapis.com/v1/token",
            Map.of("executable", Map.of("command", "/bin/sh -c " + SENTINEL)));

    ProviderException e = getFails(secretsOnly(FEDERATION), secret(content));

    assertThat(e.kind()).isEqualTo(ErrorKind.CREDENTIALS_REJECTED);
    assertThat(e.getMessage())
        .contains("credential_source.executable is not allowed")
        .doesNotContain(SENTINEL);
  }

  @Test
  void shouldRejectSecretsThatAreNotUsableCredentialsWithoutEchoingThem() throws Exception {
    for (String content :
        new String[] {
          "{\"type\": \"service_account\", \"private_key\": \"" + SENTINEL,
          SENTINEL,
          "{\"type\":\"authorized_user\",\"refresh_token\":\"" + SENTINEL + "\"}",
          "{\"type\":\"" + SENTINEL + "\"}",
          "{\"type\":\"service_account\",\"client_email\":\"" + EMAIL + "\"}",
          "{\"type\":\"service_account\",\"client_email\":\"a@b\",\"private_key\":\""
              + SENTINEL
              + "\"}"
        }) {
      ProviderException e = getFails(secretsOnly(false), secret(content));

      assertThat(e.kind()).isEqualTo(ErrorKind.CREDENTIALS_REJECTED);
      assertThat(e.getMessage())
          .startsWith("the Google credential JSON in ml/gcp/key.json")
          .doesNotContain(SENTINEL);
      assertThat(e.getCause()).isNull();
    }
    assertThat(api.getRequestCount()).isZero();
  }

  @Test
  void shouldExplainMissingApplicationDefaultCredentials() {
    ProviderException e = getFails(secretsOnly(true), Credential.ambient());

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage()).contains("Application Default Credentials", "credentialsSecretRef");
    assertThat(api.getRequestCount()).isZero();
  }

  @Test
  void shouldKeepSeparateTokensPerCredential() throws Exception {
    String tokenUri = tokens.url("/token").toString();
    tokens.enqueue(token("first", 3600));
    tokens.enqueue(token("second", 3600));
    api.enqueue(json(200, resource("job-running.json")));
    api.enqueue(json(200, resource("job-running.json")));
    var provider = provider(secretsOnly(false));

    provider.get(ctx(spec(null), secret(serviceAccountKey(tokenUri, null))), JOB_NAME);
    provider.get(ctx(spec(null), secret(serviceAccountKey(tokenUri, "other-proj"))), JOB_NAME);

    assertThat(tokens.getRequestCount()).isEqualTo(2);
    assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer first");
    assertThat(api.takeRequest().getHeader("Authorization")).isEqualTo("Bearer second");
  }
}
