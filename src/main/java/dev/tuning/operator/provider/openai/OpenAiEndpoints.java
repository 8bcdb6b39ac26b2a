package dev.tuning.operator.provider.openai;

import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Decides the base URL and key of a request (docs/design.md section 5): the operator's default base
 * URL, or a custom {@code spec.openai.endpoint} only with the job's own Secret and only for a host
 * on the operator's allow-list. Everything is checked before a request exists, so a refused
 * endpoint never receives a key.
 */
final class OpenAiEndpoints {

  static final String NOT_ALLOWED = "EndpointNotAllowed";

  private final OpenAiProvider.Settings settings;
  private final HttpUrl defaultBase;

  OpenAiEndpoints(OpenAiProvider.Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.defaultBase = HttpUrl.get(settings.defaultBaseUrl());
  }

  OpenAiTarget resolve(JobContext ctx) throws ProviderException {
    OpenAiRequest request = ctx.request(OpenAiRequest.class);
    OpenAiSpec.Flavor flavor = request.flavor();
    String endpoint = request.endpoint();
    HttpUrl base;
    if (endpoint == null) {
      if (flavor == OpenAiSpec.Flavor.AZURE) {
        throw new ProviderException(
            ErrorKind.PERMANENT,
            "spec.openai.endpoint is required when flavor is azure"
                + " (https://<resource>.openai.azure.com/openai/v1)",
            "EndpointRequired",
            null,
            null,
            null,
            null);
      }
      base = defaultBase;
    } else {
      base = custom(endpoint, ctx.credential());
    }
    String organization = request.organization();
    String project = request.project();
    if (ctx.credential().operatorOwned()) {
      // The operator's key may reach many organizations and projects; a tenant gets only those
      // the operator lists, never whatever the key can see.
      checkDefaultKeyTarget(
          "spec.openai.organization", organization, settings.defaultKeyOrganizations());
      checkDefaultKeyTarget("spec.openai.project", project, settings.defaultKeyProjects());
    }
    return new OpenAiTarget(base, flavor, apiKey(ctx.credential()), organization, project);
  }

  private static void checkDefaultKeyTarget(String field, String value, AllowList allowed)
      throws ProviderException {
    if (value != null && !value.isBlank() && !allowed.allows(value.strip())) {
      throw new ProviderException(
          ErrorKind.CREDENTIALS_REJECTED,
          field
              + " is not allowed with the operator's default OpenAI key (OPENAI_DEFAULT_"
              + (field.endsWith("organization") ? "ORGANIZATIONS" : "PROJECTS")
              + "); set spec.openai.apiKeySecretRef",
          "CredentialsRejected",
          null,
          null,
          null,
          null);
    }
  }

  private HttpUrl custom(String endpoint, Credential credential) throws ProviderException {
    // The credential check comes first: an operator-wide key must never go to a URL a tenant
    // chose, whatever the allow-list says.
    if (credential.source() != Credential.Source.JOB_SECRET) {
      throw refused(
          "spec.openai.endpoint is only used with the TuningJob's own spec.openai.apiKeySecretRef;"
              + " the operator's default credential is never sent to a custom endpoint");
    }
    HttpUrl url = HttpUrl.parse(endpoint);
    if (url == null
        || !url.username().isEmpty()
        || !url.password().isEmpty()
        || url.encodedQuery() != null
        || url.fragment() != null) {
      throw refused("spec.openai.endpoint is not a plain https URL");
    }
    if (!url.isHttps() && !settings.allowPlainHttpEndpoints()) {
      throw refused("spec.openai.endpoint must use https");
    }
    if (!settings.allowsHost(url.host())) {
      throw refused(
          "spec.openai.endpoint host "
              + url.host()
              + " is not on the operator's endpoint allow-list "
              + settings.allowedEndpointHosts());
    }
    return url;
  }

  private static String apiKey(Credential credential) throws ProviderException {
    if (!credential.hasSecret()) {
      throw auth("no OpenAI API key: set spec.openai.apiKeySecretRef (" + credential + ")");
    }
    String key = credential.secretText();
    if (key.isEmpty()) {
      throw auth("no OpenAI API key: the Secret key " + credential.origin() + " is empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      // OkHttp would reject the header and, for api-key, quote the value in its exception.
      if (c < 0x21 || c > 0x7e) {
        throw auth(
            "the OpenAI API key in "
                + credential.origin()
                + " contains characters not allowed in an HTTP header");
      }
    }
    return key;
  }

  private static ProviderException refused(String message) {
    return new ProviderException(ErrorKind.PERMANENT, message, NOT_ALLOWED);
  }

  private static ProviderException auth(String message) {
    return new ProviderException(ErrorKind.AUTHENTICATION, message, "NoApiKey");
  }
}
