package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.Retryable;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
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
 *       or {@code external_account} (workload identity federation). Other types are refused.
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
  private final AdcLoader adc;
  private final boolean googleTokenEndpointsOnly;
  private final ObjectMapper json = new ObjectMapper();
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
   * @param googleTokenEndpointsOnly refuse Secret JSON whose token, STS or impersonation URLs are
   *     not https on a {@code googleapis.com} host, so a tenant's JSON cannot make the operator
   *     post to an address the tenant chose (off only in tests)
   */
  public GoogleCredentialsFactory(
      HttpTransportFactory transport, AdcLoader adc, boolean googleTokenEndpointsOnly) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.adc = Objects.requireNonNull(adc, "adc");
    this.googleTokenEndpointsOnly = googleTokenEndpointsOnly;
  }

  /** Production settings: a shared java.net transport, real ADC, Google token endpoints only. */
  public static GoogleCredentialsFactory defaults() {
    return new GoogleCredentialsFactory(
        DEFAULT_TRANSPORT, GoogleCredentials::getApplicationDefault, true);
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
    try {
      return switch (type) {
        case "service_account" -> {
          requireFields(credential, root, "client_email", "private_key");
          checkEndpoint(credential, root, "token_uri");
          yield ServiceAccountCredentials.fromStream(new ByteArrayInputStream(secret), transport);
        }
        case "external_account" -> {
          requireFields(credential, root, "audience", "subject_token_type");
          checkEndpoint(credential, root, "token_url");
          checkEndpoint(credential, root, "service_account_impersonation_url");
          if (root.path("credential_source").has("executable")) {
            throw invalid(credential, "uses an executable credential source, which is not allowed");
          }
          yield ExternalAccountCredentials.fromStream(new ByteArrayInputStream(secret), transport);
        }
        default ->
            throw invalid(
                credential,
                "has type '"
                    + (type.matches("[a-z_]{1,40}") ? type : "?")
                    + "'; expected service_account or external_account");
      };
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

  private void checkEndpoint(Credential credential, JsonNode root, String field)
      throws ProviderException {
    if (!googleTokenEndpointsOnly || !root.hasNonNull(field)) {
      return;
    }
    URI uri;
    try {
      uri = URI.create(root.get(field).asText());
    } catch (IllegalArgumentException e) {
      throw invalid(credential, "has a malformed " + field);
    }
    String host = uri.getHost() == null ? "" : uri.getHost();
    if (!"https".equals(uri.getScheme())
        || !(host.equals("googleapis.com") || host.endsWith(".googleapis.com"))) {
      throw invalid(credential, "has a " + field + " outside https://*.googleapis.com");
    }
  }

  private static ProviderException invalid(Credential credential, String problem) {
    return new ProviderException(
        ErrorKind.AUTHENTICATION,
        "the Google credential JSON in " + credential.origin() + " " + problem);
  }

  /** Classifies a failed token request without quoting the token endpoint's answer. */
  private static ProviderException tokenFailure(Credential credential, Exception e) {
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
        "could not obtain a Google access token for " + credential.origin() + ": " + what,
        null,
        null,
        null,
        null,
        null);
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
