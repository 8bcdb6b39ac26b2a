package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.operator.provider.HostPatterns;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a Google credential document in a tenant's Secret may ask of the operator (docs/design.md
 * section 5). A tenant Secret holds a key, never instructions: the operator must not read its own
 * files, run programs, call addresses the tenant chose or use its own cloud identity on a tenant's
 * behalf.
 *
 * <ul>
 *   <li>{@code service_account} keys: {@code token_uri} on Google's OAuth hosts, {@code
 *       universe_domain} absent or {@code googleapis.com}.
 *   <li>{@code external_account} (workload identity federation): refused unless {@link
 *       #externalAccountAllowed()}; even then only a {@code credential_source.url} on {@link
 *       #urlSourceHosts()} over https. {@code file} and {@code executable} read the operator's
 *       files or run its programs; {@code environment_id} (AWS) and {@code certificate} use the
 *       operator's own AWS identity or certificate files; none of them is ever allowed.
 *   <li>Every URL anywhere in the document is https on an allowed host; the STS, impersonation and
 *       token URLs on their own Google hosts only.
 * </ul>
 *
 * @param externalAccountAllowed accept {@code external_account} documents at all (operator opt-in)
 * @param urlSourceHosts hosts a {@code credential_source.url} may name (exact names, or {@code
 *     *.suffix} for subdomains)
 * @param loopbackAllowed also accept plain-http loopback URLs in every field (tests and emulators
 *     only)
 */
public record GoogleSecretPolicy(
    boolean externalAccountAllowed, List<String> urlSourceHosts, boolean loopbackAllowed) {

  /** A connection of a Secret's token flow to a host the policy does not allow. */
  public static final class RefusedConnection extends java.io.IOException {
    RefusedConnection(String message) {
      super(message);
    }
  }

  /** The refusal of one document; the message names the field, never its value. */
  public static final class Refusal extends Exception {
    Refusal(String message) {
      super(message);
    }
  }

  private static final Set<String> GOOGLE_UNIVERSE = Set.of("googleapis.com");
  private static final Set<String> STS_HOSTS =
      Set.of("sts.googleapis.com", "sts.mtls.googleapis.com");
  private static final Set<String> IMPERSONATION_HOSTS =
      Set.of("iamcredentials.googleapis.com", "iamcredentials.mtls.googleapis.com");
  // accounts.google.com appears in keys created before 2019.
  private static final Set<String> OAUTH_HOSTS =
      Set.of("oauth2.googleapis.com", "oauth2.mtls.googleapis.com", "accounts.google.com");

  /** Hosts other URL fields may name (documentation links in keys that nothing calls). */
  private static final List<String> GOOGLE_HOSTS =
      List.of("*.googleapis.com", "accounts.google.com");

  /** Headers that only metadata servers (GCE, Azure, AWS) expect. */
  private static final Set<String> METADATA_HEADERS =
      Set.of(
          "metadata-flavor", "metadata", "x-aws-ec2-metadata-token", "x-google-metadata-request");

  private static final Map<String, Set<String>> FIELD_HOSTS =
      Map.of(
          "token_uri", OAUTH_HOSTS,
          "token_url", STS_HOSTS,
          "token_info_url", STS_HOSTS,
          "service_account_impersonation_url", IMPERSONATION_HOSTS);

  public GoogleSecretPolicy {
    urlSourceHosts = HostPatterns.normalize(urlSourceHosts);
  }

  /** The production default: service account keys only. */
  public static GoogleSecretPolicy serviceAccountKeysOnly() {
    return new GoogleSecretPolicy(false, List.of(), false);
  }

  /** These settings, also accepting plain-http loopback URLs (emulators and tests). */
  public GoogleSecretPolicy withLoopbackAllowed() {
    return new GoogleSecretPolicy(externalAccountAllowed, urlSourceHosts, true);
  }

  /** Checks a parsed document of the given {@code type}; throws naming the offending field. */
  void check(String type, JsonNode root) throws Refusal {
    String universe = root.path("universe_domain").asText("");
    if (root.has("universe_domain") && !GOOGLE_UNIVERSE.contains(universe)) {
      throw new Refusal(
          type + " universe_domain is not allowed in a TuningJob Secret (only googleapis.com)");
    }
    if (type.equals("external_account")) {
      checkExternalAccount(root);
    }
    for (var field : FIELD_HOSTS.entrySet()) {
      if (root.hasNonNull(field.getKey())) {
        checkUrl(
            type + " " + field.getKey(), root.get(field.getKey()), field.getValue(), List.of());
      }
    }
    checkEveryUrl(type, "", root);
  }

  private void checkExternalAccount(JsonNode root) throws Refusal {
    if (!externalAccountAllowed) {
      throw new Refusal(
          "external_account credentials are not allowed in a TuningJob Secret (the operator"
              + " accepts them only when started with GOOGLE_EXTERNAL_ACCOUNT_SECRETS=true)");
    }
    JsonNode source = root.path("credential_source");
    for (String field : List.of("file", "executable", "environment_id", "certificate")) {
      if (source.has(field)) {
        throw new Refusal(
            "external_account credential_source."
                + field
                + " is not allowed in a TuningJob Secret");
      }
    }
    for (var it = source.path("headers").fieldNames(); it.hasNext(); ) {
      String header = it.next().toLowerCase(Locale.ROOT);
      if (METADATA_HEADERS.contains(header)) {
        throw new Refusal(
            "external_account credential_source.headers may not carry a metadata-server header");
      }
    }
    if (!source.hasNonNull("url")) {
      throw new Refusal("external_account needs a credential_source.url in a TuningJob Secret");
    }
    if (urlSourceHosts.isEmpty()) {
      throw new Refusal(
          "external_account credential_source.url is not allowed: the operator allows no"
              + " subject-token hosts (GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS)");
    }
    checkUrl("external_account credential_source.url", source.get("url"), Set.of(), urlSourceHosts);
  }

  /**
   * Every connection a Secret document's token flow opens, redirects included: https to a Google
   * token host or a listed subject-token host (or loopback when allowed for tests).
   */
  void checkConnection(java.net.URL url) throws java.io.IOException {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    if (loopbackAllowed && isLoopback(host)) {
      return;
    }
    boolean google = FIELD_HOSTS.values().stream().anyMatch(h -> h.contains(host));
    boolean listed = urlSourceHosts.stream().anyMatch(p -> HostPatterns.matches(p, host));
    if (!"https".equalsIgnoreCase(url.getProtocol())
        || url.getUserInfo() != null
        || !(google || listed)) {
      throw new RefusedConnection(
          "the token flow of the Google credential tried to reach a host the operator does not"
              + " allow for TuningJob Secrets (a redirect, or a URL outside"
              + " GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS); nothing was sent there");
    }
  }

  /** Any other URL-looking string, at any depth, must be https on a Google host. */
  private void checkEveryUrl(String type, String path, JsonNode node) throws Refusal {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (FIELD_HOSTS.containsKey(name) || name.equals("credential_source.url")) {
          continue;
        }
        checkEveryUrl(type, name, field.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        checkEveryUrl(type, path, item);
      }
    } else if (node.isTextual() && node.asText().contains("://")) {
      checkUrl(type + " " + safeName(path), node, Set.of(), GOOGLE_HOSTS);
    }
  }

  private void checkUrl(String what, JsonNode value, Set<String> exactHosts, List<String> patterns)
      throws Refusal {
    URI uri;
    try {
      uri = URI.create(value.asText(""));
    } catch (IllegalArgumentException e) {
      throw new Refusal(what + " is not a valid URL");
    }
    String host = Optional.ofNullable(uri.getHost()).orElse("").toLowerCase(Locale.ROOT);
    if (loopbackAllowed && isLoopback(host) && uri.getUserInfo() == null) {
      return;
    }
    boolean allowed =
        "https".equalsIgnoreCase(uri.getScheme())
            && uri.getUserInfo() == null
            && (uri.getPort() == -1 || uri.getPort() == 443)
            && (exactHosts.contains(host)
                || patterns.stream().anyMatch(p -> HostPatterns.matches(p, host)));
    if (!allowed) {
      throw new Refusal(what + " is not an https URL on a host the operator allows");
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
  }

  /** Field paths come from the tenant's document: show them only when they look like names. */
  private static String safeName(String path) {
    return path.matches("[A-Za-z0-9_.]{1,80}") ? path : "field";
  }
}
