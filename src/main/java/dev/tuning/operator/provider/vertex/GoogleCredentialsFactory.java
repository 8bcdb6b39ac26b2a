package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.ConnectionFactory;
import com.google.api.client.http.javanet.DefaultConnectionFactory;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.Retryable;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link Credential} into Google credentials scoped to {@value #SCOPE} and hands out
 * ready-to-send request headers ({@code Authorization}, plus {@code x-goog-user-project} when the
 * credential names a quota project).
 *
 * <ul>
 *   <li>{@code AMBIENT}: Application Default Credentials ({@code GOOGLE_APPLICATION_CREDENTIALS},
 *       or the metadata server, i.e. GKE Workload Identity).
 *   <li>{@code JOB_SECRET}: the Secret's JSON, by its {@code type}: {@code service_account} (a key)
 *       or, when the {@link GoogleSecretPolicy} allows it, {@code external_account} (workload
 *       identity federation). The policy is checked before the library parses the document, so a
 *       document that would read the operator's files or call a URL the tenant chose is refused
 *       with no request made. Other types are refused.
 * </ul>
 *
 * <p>One {@link GoogleCredentials} is kept per {@link Credential#fingerprint()}; it caches its
 * access token and refreshes it before expiry. Error messages never contain the JSON, keys or
 * tokens, and nothing here logs.
 */
public final class GoogleCredentialsFactory {

  /** The only OAuth scope the tuningJobs methods need. */
  public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  /** Loads Application Default Credentials with the given transport. */
  @FunctionalInterface
  public interface AdcLoader {
    GoogleCredentials load(HttpTransportFactory transport) throws IOException;
  }

  static final String QUOTA_PROJECT_HEADER = "x-goog-user-project";
  private static final int MAX_CACHED = 256;
  private static final Pattern ERROR_CODE = Pattern.compile("Error code (\\d{3})");
  private static final HttpTransportFactory DEFAULT_TRANSPORT = new SharedTransport();

  private final HttpTransportFactory transport;
  private final HttpTransportFactory secretTransport;
  private final AdcLoader adc;
  private final GoogleSecretPolicy policy;
  private final ObjectMapper json = ProviderJson.MAPPER;
  private final Map<String, GoogleCredentials> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GoogleCredentials> eldest) {
          return size() > MAX_CACHED;
        }
      };

  /**
   * @param transport the HTTP transport google-auth uses for token requests (STS, token URIs, the
   *     metadata server)
   * @param adc how to load Application Default Credentials, normally {@code
   *     GoogleCredentials::getApplicationDefault}
   * @param policy what a credential document in a TuningJob's Secret may ask of the operator;
   *     checked before the library sees the document, so a refused one causes no request at all
   */
  public GoogleCredentialsFactory(
      HttpTransportFactory transport, AdcLoader adc, GoogleSecretPolicy policy) {
    this(transport, adc, policy, new DefaultConnectionFactory());
  }

  /**
   * @param secretConnections how token requests of Secret documents connect (tests send them to
   *     loopback); every connection, redirects included, is first held to the policy's hosts
   */
  public GoogleCredentialsFactory(
      HttpTransportFactory transport,
      AdcLoader adc,
      GoogleSecretPolicy policy,
      ConnectionFactory secretConnections) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.adc = Objects.requireNonNull(adc, "adc");
    this.policy = Objects.requireNonNull(policy, "policy");
    // The library follows redirects: a subject-token host that redirects (or an open redirect on
    // an allowed host) must not lead the operator to the metadata server or a cluster address.
    NetHttpTransport guarded =
        new NetHttpTransport.Builder()
            .setConnectionFactory(
                url -> {
                  policy.checkConnection(url);
                  return secretConnections.openConnection(url);
                })
            .build();
    this.secretTransport = () -> guarded;
  }

  /** Production settings: a shared java.net transport, real ADC and the given Secret policy. */
  public static GoogleCredentialsFactory defaults(GoogleSecretPolicy policy) {
    return new GoogleCredentialsFactory(
        DEFAULT_TRANSPORT, GoogleCredentials::getApplicationDefault, policy);
  }

  /**
   * Checks that the credential can be used, without any network call: a Secret's document is parsed
   * and held to the policy (ambient credentials are checked by the caller's allow-lists).
   */
  void check(Credential credential) throws ProviderException {
    if (credential.hasSecret()) {
      credentialsFor(credential);
    }
  }

  /** Headers to add to one request to {@code uri}; refreshes the token when it is (nearly) due. */
  Map<String, List<String>> requestHeaders(Credential credential, URI uri)
      throws ProviderException {
    GoogleCredentials google = credentialsFor(credential);
    Map<String, List<String>> headers;
    try {
      headers = google.getRequestMetadata(uri);
    } catch (IOException | RuntimeException e) {
      throw tokenFailure(credential, e);
    }
    // The library attaches the quota project only to tokens it fetched itself, not to one a
    // credential was built with; add it when missing so billing never depends on that detail.
    String quotaProject = google.getQuotaProjectId();
    if (quotaProject == null
        || headers.keySet().stream().anyMatch(QUOTA_PROJECT_HEADER::equalsIgnoreCase)) {
      return headers;
    }
    Map<String, List<String>> withQuota = new LinkedHashMap<>(headers);
    withQuota.put(QUOTA_PROJECT_HEADER, List.of(quotaProject));
    return withQuota;
  }

  /** Forces a new access token, after the API answered 401 with the cached one. */
  void refresh(Credential credential) throws ProviderException {
    GoogleCredentials google = credentialsFor(credential);
    try {
      google.refresh();
    } catch (IOException | RuntimeException e) {
      throw tokenFailure(credential, e);
    }
  }

  private GoogleCredentials credentialsFor(Credential credential) throws ProviderException {
    String key = credential.fingerprint();
    synchronized (cache) {
      GoogleCredentials cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    // Loaded outside the lock: ADC may probe the metadata server.
    GoogleCredentials loaded = load(credential).createScoped(List.of(SCOPE));
    synchronized (cache) {
      GoogleCredentials raced = cache.putIfAbsent(key, loaded);
      return raced != null ? raced : loaded;
    }
  }

  private GoogleCredentials load(Credential credential) throws ProviderException {
    if (!credential.hasSecret()) {
      try {
        return adc.load(transport);
      } catch (IOException | RuntimeException e) {
        throw new ProviderException(
            ErrorKind.AUTHENTICATION,
            "Google Application Default Credentials are not available to the operator: set"
                + " spec.vertex.credentialsSecretRef, or run the operator with GKE Workload"
                + " Identity or GOOGLE_APPLICATION_CREDENTIALS");
      }
    }
    byte[] secret = credential.secretBytes();
    JsonNode root;
    try {
      root = json.readTree(secret);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw invalid(credential, "is not a JSON object");
    }
    String type = root.path("type").asText("");
    if (!type.equals("service_account") && !type.equals("external_account")) {
      throw invalid(
          credential,
          "has type '"
              + (type.matches("[a-z_]{1,40}") ? type : "?")
              + "'; expected service_account"
              + (policy.externalAccountAllowed() ? " or external_account" : ""));
    }
    try {
      policy.check(type, root);
    } catch (GoogleSecretPolicy.Refusal refusal) {
      throw ProviderException.credentialsRejected(
          refusal.getMessage() + " (" + credential.origin() + ")");
    }
    boolean key = type.equals("service_account");
    if (key) {
      requireFields(credential, root, "client_email", "private_key");
    } else {
      requireFields(credential, root, "audience", "subject_token_type");
    }
    try {
      return key
          ? ServiceAccountCredentials.fromStream(new ByteArrayInputStream(secret), secretTransport)
          : ExternalAccountCredentials.fromStream(
              new ByteArrayInputStream(secret), secretTransport);
    } catch (IOException | RuntimeException e) {
      // The library's messages can quote the JSON; say only what kind of document failed.
      throw invalid(credential, "is not a usable " + type + " credential");
    }
  }

  private static void requireFields(Credential credential, JsonNode root, String... fields)
      throws ProviderException {
    for (String field : fields) {
      if (root.path(field).asText("").isBlank()) {
        throw invalid(credential, "lacks the field " + field);
      }
    }
  }

  private static ProviderException invalid(Credential credential, String problem) {
    return ProviderException.credentialsRejected(
        "the Google credential JSON in " + credential.origin() + " " + problem);
  }

  /** Classifies a failed token request without quoting the token endpoint's answer. */
  private static ProviderException tokenFailure(Credential credential, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof GoogleSecretPolicy.RefusedConnection refused) {
        return ProviderException.credentialsRejected(
            refused.getMessage() + " (" + credential.origin() + ")");
      }
    }
    Integer status = statusOf(e);
    boolean retryable =
        (e instanceof Retryable r && r.isRetryable())
            || (status == null && e instanceof IOException)
            || (status != null && (status >= 500 || status == 408 || status == 429));
    String what =
        status == null
            ? e.getClass().getSimpleName()
            : "the token endpoint answered HTTP " + status;
    return new ProviderException(
        retryable ? ErrorKind.TRANSIENT : ErrorKind.AUTHENTICATION,
        "could not obtain a Google access token for " + credential.origin() + ": " + what);
  }

  private static Integer statusOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException h) {
        return h.getStatusCode();
      }
      // The metadata-server path reports its status only in the message.
      Matcher m = ERROR_CODE.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return Integer.valueOf(m.group(1));
      }
    }
    return null;
  }

  private static final class SharedTransport implements HttpTransportFactory {
    private final NetHttpTransport transport = new NetHttpTransport();

    @Override
    public NetHttpTransport create() {
      return transport;
    }
  }
}
