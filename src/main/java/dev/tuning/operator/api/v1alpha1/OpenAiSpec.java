package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** OpenAI (and Azure OpenAI) settings. Required when {@code provider: openai}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.flavor != 'azure' || has(self.endpoint)",
    message =
        "endpoint is required when flavor is azure (https://<resource>.openai.azure.com/openai/v1)",
    fieldPath = ".endpoint")
public class OpenAiSpec {

  /** Which API flavour the endpoint speaks. */
  public enum Flavor {
    @JsonProperty("openai")
    OPENAI,
    @JsonProperty("azure")
    AZURE
  }

  @JsonPropertyDescription(
      "Secret key holding the API key (default key 'apiKey'). Without it the operator-wide key is"
          + " used, if the operator has one.")
  private SecretKeyRef apiKeySecretRef;

  @Size(max = 128)
  @Pattern("^org-[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("OpenAI organization id (org-...), sent as OpenAI-Organization.")
  private String organization;

  @Size(max = 128)
  @Pattern("^proj_[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("OpenAI project id (proj_...), sent as OpenAI-Project.")
  private String project;

  @Size(max = 512)
  @Pattern("^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$")
  @JsonPropertyDescription(
      "Custom API base URL, e.g. https://<resource>.openai.azure.com/openai/v1. Used only with"
          + " this job's own apiKeySecretRef and only for hosts on the operator's allow-list.")
  private String endpoint;

  @Default("openai")
  @JsonPropertyDescription(
      "API flavour: 'openai' (Authorization: Bearer) or 'azure' (api-key header).")
  private Flavor flavor;

  @Size(max = 5)
  @JsonPropertyDescription("Integrations to enable for the job (at most 5).")
  private List<OpenAiIntegration> integrations;

  @JsonPropertyDescription(
      "Reinforcement fine-tuning settings; required when method is reinforcement.")
  private OpenAiReinforcement reinforcement;

  public SecretKeyRef getApiKeySecretRef() {
    return apiKeySecretRef;
  }

  public void setApiKeySecretRef(SecretKeyRef apiKeySecretRef) {
    this.apiKeySecretRef = apiKeySecretRef;
  }

  public String getOrganization() {
    return organization;
  }

  public void setOrganization(String organization) {
    this.organization = organization;
  }

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Flavor getFlavor() {
    return flavor;
  }

  public void setFlavor(Flavor flavor) {
    this.flavor = flavor;
  }

  public List<OpenAiIntegration> getIntegrations() {
    return integrations;
  }

  public void setIntegrations(List<OpenAiIntegration> integrations) {
    this.integrations = integrations;
  }

  public OpenAiReinforcement getReinforcement() {
    return reinforcement;
  }

  public void setReinforcement(OpenAiReinforcement reinforcement) {
    this.reinforcement = reinforcement;
  }
}
