package dev.tuning.operator.provider.vertex;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What passes the policy: the documents users really have. Refusals: TenantIsolationTest. */
class GoogleSecretPolicyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GoogleSecretPolicy KEYS_ONLY = GoogleSecretPolicy.serviceAccountKeysOnly();
  private static final GoogleSecretPolicy FEDERATION =
      new GoogleSecretPolicy(true, List.of("*.idp.example.com"), false);

  /** The fields of a key as the Cloud console downloads it, links included. */
  @Test
  void shouldAcceptAServiceAccountKeyAsGoogleIssuesIt() {
    String key =
        """
        {"type": "service_account", "project_id": "p", "private_key_id": "k",
         "private_key": "-----BEGIN PRIVATE KEY-----\\n", "client_email": "a@p.iam.gserviceaccount.com",
         "client_id": "1", "auth_uri": "https://accounts.google.com/o/oauth2/auth",
         "token_uri": "https://oauth2.googleapis.com/token",
         "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
         "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/a%40p",
         "universe_domain": "googleapis.com"}
        """;
    assertThatCode(() -> KEYS_ONLY.check("service_account", tree(key))).doesNotThrowAnyException();
    assertThatCode(
            () ->
                KEYS_ONLY.check(
                    "service_account",
                    tree("{\"token_uri\": \"https://accounts.google.com/o/oauth2/token\"}")))
        .as("keys made before 2019")
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptAUrlSourcedFederationDocumentOnlyWithTheOptIn() {
    String document =
        """
        {"type": "external_account",
         "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k",
         "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
         "token_url": "https://sts.googleapis.com/v1/token",
         "service_account_impersonation_url":
           "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@p.iam.gserviceaccount.com:generateAccessToken",
         "credential_source": {"url": "https://tokens.idp.example.com/k8s", "headers": {"A": "b"},
                               "format": {"type": "json", "subject_token_field_name": "t"}}}
        """;
    assertThatCode(() -> FEDERATION.check("external_account", tree(document)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> KEYS_ONLY.check("external_account", tree(document)))
        .hasMessageContaining("GOOGLE_EXTERNAL_ACCOUNT_SECRETS=true");
    assertThatThrownBy(
            () ->
                FEDERATION.check(
                    "external_account",
                    tree(document.replace("tokens.idp.example.com", "idp.example.com.evil"))))
        .hasMessageContaining("credential_source.url is not an https URL");
  }

  @Test
  void shouldAllowLoopbackOnlyWhenAskedForTests() throws Exception {
    JsonNode key = tree("{\"token_uri\": \"http://127.0.0.1:8080/token\"}");
    assertThatThrownBy(() -> KEYS_ONLY.check("service_account", key))
        .hasMessageContaining("token_uri is not an https URL");
    assertThatCode(() -> KEYS_ONLY.withLoopbackAllowed().check("service_account", key))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseUrlsHiddenInUnknownFields() {
    assertThatThrownBy(
            () ->
                KEYS_ONLY.check(
                    "service_account",
                    tree("{\"future\": {\"endpoint\": [\"https://169.254.169.254/x\"]}}")))
        .hasMessageContaining("service_account future.endpoint is not an https URL");
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void shouldRefuseMetadataServerHeadersInAUrlSource() {
    String document =
        """
        {"type": "external_account", "token_url": "https://sts.googleapis.com/v1/token",
         "credential_source": {"url": "https://tokens.idp.example.com/k8s",
                               "headers": {"Metadata-Flavor": "Google"}}}
        """;
    assertThatThrownBy(() -> FEDERATION.check("external_account", tree(document)))
        .hasMessageContaining("credential_source.headers may not carry a metadata-server header");
  }

  /** Connections of a Secret's token flow, redirects included, go only to allowed hosts. */
  @Test
  void shouldAllowConnectionsOnlyToTokenAndListedHosts() throws Exception {
    assertThatCode(
            () ->
                FEDERATION.checkConnection(new java.net.URL("https://sts.googleapis.com/v1/token")))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> FEDERATION.checkConnection(new java.net.URL("https://a.idp.example.com/t")))
        .doesNotThrowAnyException();
    for (String url :
        List.of(
            "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token",
            "https://metadata.google.internal/computeMetadata/v1/",
            "http://sts.googleapis.com/v1/token",
            "https://kubernetes.default.svc/api",
            "https://127.0.0.1:6443/")) {
      assertThatThrownBy(() -> FEDERATION.checkConnection(new java.net.URL(url)))
          .as(url)
          .isInstanceOf(java.io.IOException.class);
    }
  }
}
