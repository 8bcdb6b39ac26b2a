package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fake Google token sources served by the Vertex emulator, so that real google-auth-library
 * credentials work against it: the OAuth2 token endpoint ({@code POST /token}, for service-account
 * keys whose {@code token_uri}, and external-account configs whose {@code token_url}, point here)
 * and the GCE metadata server's token path (for {@code GCE_METADATA_HOST}). Issued tokens are
 * remembered and always accepted by the API.
 */
final class GoogleTokens {

  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final Set<String> SECRET_FIELDS =
      Set.of("assertion", "subject_token", "actor_token", "refresh_token", "client_secret");

  private final Set<String> issued = ConcurrentHashMap.newKeySet();

  boolean issued(String token) {
    return issued.contains(token);
  }

  void clear() {
    issued.clear();
  }

  /** {@code POST /token}: jwt-bearer, token-exchange or refresh_token grants. */
  ApiResponse token(HttpEmulator.Call call) {
    Map<String, List<String>> form = Json.form(call.body());
    String grant = Json.first(form, "grant_type");
    String credential;
    if (JWT_BEARER.equals(grant)) {
      credential = "assertion";
    } else if (TOKEN_EXCHANGE.equals(grant)) {
      credential = "subject_token";
    } else if ("refresh_token".equals(grant)) {
      credential = "refresh_token";
    } else {
      return oauthError("unsupported_grant_type", "Invalid grant_type: " + grant);
    }
    String value = Json.first(form, credential);
    if (value == null || value.isBlank()) {
      return oauthError("invalid_request", "Missing required parameter: " + credential);
    }
    if (credential.equals("assertion") && value.split("\\.", -1).length != 3) {
      return oauthError("invalid_grant", "Invalid JWT: assertion is not a signed JWT.");
    }
    ObjectNode body = accessToken();
    if (TOKEN_EXCHANGE.equals(grant)) {
      body.put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
    }
    return ApiResponse.ok(body);
  }

  /** {@code GET /computeMetadata/v1/instance/service-accounts/default/token}. */
  ApiResponse metadataToken(HttpEmulator.Call call) {
    if (!"Google".equals(call.headers().getFirst("Metadata-Flavor"))) {
      return ApiResponse.json(
              403,
              Json.object()
                  .put("error", "Missing required header: \"Metadata-Flavor\": \"Google\""))
          .withHeader("Metadata-Flavor", "Google");
    }
    return ApiResponse.ok(accessToken()).withHeader("Metadata-Flavor", "Google");
  }

  /** {@code GET /} and {@code /computeMetadata/v1/}: the metadata server's presence check. */
  ApiResponse metadataPing(HttpEmulator.Call call) {
    return ApiResponse.ok(Json.object()).withHeader("Metadata-Flavor", "Google");
  }

  /** The form body of a token request with its credential values replaced. */
  static String redact(String body) {
    StringBuilder out = new StringBuilder();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(
          SECRET_FIELDS.contains(name) && eq >= 0
              ? pair.substring(0, eq) + "=" + RecordedRequest.REDACTED
              : pair);
    }
    return out.toString();
  }

  private ObjectNode accessToken() {
    String token = "ya29.emulator-" + JobStore.randomAlnum(40);
    issued.add(token);
    return Json.object()
        .put("access_token", token)
        .put("expires_in", 3600)
        .put("token_type", "Bearer");
  }

  private static ApiResponse oauthError(String error, String description) {
    return ApiResponse.json(
        400, Json.object().put("error", error).put("error_description", description));
  }
}
