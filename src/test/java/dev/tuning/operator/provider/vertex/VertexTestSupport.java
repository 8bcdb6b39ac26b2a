package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.ProviderType;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.api.v1alpha1.VertexSpec;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.JobContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/** Fixtures shared by the Vertex tests: specs, contexts, credentials, servers. */
public final class VertexTestSupport {

  static final String UID = "6f1c2c0e-1111-2222-3333-444455556666";
  static final String JOB_NAME = "projects/123456789/locations/us-central1/tuningJobs/4567";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-10T09:00:00Z"), ZoneOffset.UTC);

  private VertexTestSupport() {}

  static TuningJobSpec spec(TuningMethod method) {
    var vertex = new VertexSpec();
    vertex.setProject("my-proj");
    vertex.setLocation("us-central1");
    var spec = new TuningJobSpec();
    spec.setProvider(ProviderType.VERTEX);
    spec.setBaseModel("gemini-2.5-flash");
    spec.setMethod(method);
    spec.setTrainingData("gs://bucket/train.jsonl");
    spec.setVertex(vertex);
    return spec;
  }

  /** A spec with every field the Vertex create body carries. */
  static TuningJobSpec fullSpec(TuningMethod method) {
    TuningJobSpec spec = spec(method);
    spec.setValidationData("gs://bucket/val.jsonl");
    var hp = new Hyperparameters();
    hp.setEpochs(3);
    hp.setLearningRateMultiplier(0.5);
    hp.setAdapterSize(4);
    if (method == TuningMethod.PREFERENCE) {
      hp.setBeta(0.1);
    }
    spec.setHyperparameters(hp);
    spec.setTunedModelName("support-bot-v3");
    spec.setDescription("support bot, third try");
    spec.setLabels(Map.of("team", "support"));
    spec.getVertex().setServiceAccount("tuner@my-proj.iam.gserviceaccount.com");
    spec.getVertex()
        .setKmsKeyName("projects/my-proj/locations/us-central1/keyRings/r/cryptoKeys/k");
    spec.getVertex().setExportLastCheckpointOnly(true);
    return spec;
  }

  static JobContext ctx(TuningJobSpec spec) {
    return ctx(spec, Credential.ambient());
  }

  static JobContext ctx(TuningJobSpec spec, Credential credential) {
    return ctx(UID, spec, credential);
  }

  /** The one place the Vertex tests build a context. */
  static JobContext ctx(String uid, TuningJobSpec spec, Credential credential) {
    try {
      return new JobContext(uid, "ml", "support-bot", VertexRequest.of(spec), credential);
    } catch (dev.tuning.operator.provider.ProviderException e) {
      throw new AssertionError("test spec refused: " + e.getMessage(), e);
    }
  }

  /**
   * Credentials from job Secrets only (no ADC); token endpoints on loopback allowed (emulators).
   */
  static GoogleCredentialsFactory loopbackSecretsOnly() {
    NetHttpTransport transport = new NetHttpTransport();
    return new GoogleCredentialsFactory(
        () -> transport,
        t -> {
          throw new IOException("no Application Default Credentials in this test");
        },
        GoogleSecretPolicy.serviceAccountKeysOnly().withLoopbackAllowed());
  }

  /**
   * A service-account key document whose {@code token_uri} is {@code tokenUri} (an emulator's token
   * endpoint), signed with a key generated once per test run.
   */
  static String serviceAccountKey(String tokenUri) {
    Map<String, String> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "my-proj");
    key.put("private_key_id", "kid-emulator-1");
    key.put("private_key", TestKey.PEM);
    key.put("client_email", "tuner@my-proj.iam.gserviceaccount.com");
    key.put("client_id", "1234567890");
    key.put("token_uri", tokenUri);
    try {
      return new ObjectMapper().writeValueAsString(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PKCS#8 RSA key, generated when first used. */
  private static final class TestKey {
    static final String PEM = generate();

    private static String generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        return "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Ambient credentials that hold a fixed, long-lived token (and optionally a quota project). */
  static GoogleCredentialsFactory staticToken(String token, String quotaProject) {
    var expiry = Date.from(Instant.now().plus(Duration.ofDays(1)));
    return new GoogleCredentialsFactory(
        NetHttpTransport::new,
        transport ->
            GoogleCredentials.newBuilder()
                .setAccessToken(new AccessToken(token, expiry))
                .setQuotaProjectId(quotaProject)
                .build(),
        GoogleSecretPolicy.serviceAccountKeysOnly());
  }

  /** An OkHttp client that records each request's {@link ProviderCall} tag. */
  static OkHttpClient recordingClient(List<ProviderCall> calls) {
    return new OkHttpClient.Builder()
        .retryOnConnectionFailure(false)
        .addInterceptor(
            chain -> {
              calls.add(chain.request().tag(ProviderCall.class));
              return chain.proceed(chain.request());
            })
        .build();
  }

  static VertexProvider provider(MockWebServer server, GoogleCredentialsFactory credentials) {
    return provider(server, credentials, new CopyOnWriteArrayList<>());
  }

  static VertexProvider provider(
      MockWebServer server, GoogleCredentialsFactory credentials, List<ProviderCall> calls) {
    // The operator's identity may serve the test project (ctx(spec) uses ambient credentials).
    var settings =
        VertexProvider.Settings.defaults()
            .withEndpoint(server.url("/").toString())
            .withAmbientAllowed(
                AllowList.of(List.of("my-proj")),
                AllowList.of(List.of("tuner@my-proj.iam.gserviceaccount.com")));
    return new VertexProvider(recordingClient(calls), settings, credentials, CLOCK);
  }

  static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .setBody(body);
  }

  static String resource(String name) {
    try (InputStream in = VertexTestSupport.class.getResourceAsStream("/provider/vertex/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A google-http transport that sends every request, whatever its host (the metadata server's
   * 169.254.169.254 or metadata.google.internal), to {@code server} on loopback.
   */
  public static HttpTransportFactory redirectingTo(MockWebServer server) {
    NetHttpTransport transport =
        new NetHttpTransport.Builder().setConnectionFactory(redirectingConnections(server)).build();
    return () -> transport;
  }

  /** The connections of {@link #redirectingTo}, for the guarded transport of Secret documents. */
  public static com.google.api.client.http.javanet.ConnectionFactory redirectingConnections(
      MockWebServer server) {
    return url ->
        (HttpURLConnection)
            new URL("http", server.getHostName(), server.getPort(), url.getFile())
                .openConnection(Proxy.NO_PROXY);
  }
}
