package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The hosted service that runs the tuning job. */
public enum ProviderType {
  @JsonProperty("openai")
  OPENAI("openai"),
  @JsonProperty("vertex")
  VERTEX("vertex"),
  @JsonProperty("bedrock")
  BEDROCK("bedrock");

  private final String id;

  ProviderType(String id) {
    this.id = id;
  }

  /** The value used in YAML and as the provider registry key. */
  public String id() {
    return id;
  }
}
