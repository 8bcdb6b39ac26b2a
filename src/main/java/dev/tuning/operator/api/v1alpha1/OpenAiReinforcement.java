package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Reinforcement fine-tuning settings (OpenAI only), passed through to the provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OpenAiReinforcement {

  /** Reasoning effort of the model during reinforcement tuning. */
  public enum ReasoningEffort {
    @com.fasterxml.jackson.annotation.JsonProperty("default")
    DEFAULT,
    @com.fasterxml.jackson.annotation.JsonProperty("low")
    LOW,
    @com.fasterxml.jackson.annotation.JsonProperty("medium")
    MEDIUM,
    @com.fasterxml.jackson.annotation.JsonProperty("high")
    HIGH
  }

  @Required
  @PreserveUnknownFields
  @JsonPropertyDescription(
      "The grader, exactly as the OpenAI API takes it (type string_check, text_similarity, python,"
          + " score_model or multi, with its fields). Passed through unchanged.")
  private JsonNode grader;

  @JsonPropertyDescription("Reasoning effort: default, low, medium or high.")
  private ReasoningEffort reasoningEffort;

  @Min(value = 0.00001, inclusive = false)
  @Max(10)
  @JsonPropertyDescription("Multiplier on the compute used to explore the search space.")
  private Double computeMultiplier;

  @Min(1)
  @JsonPropertyDescription("Training steps between evaluation runs.")
  private Integer evalInterval;

  @Min(1)
  @JsonPropertyDescription("Evaluation samples generated per training step.")
  private Integer evalSamples;

  public JsonNode getGrader() {
    return grader;
  }

  public void setGrader(JsonNode grader) {
    this.grader = grader;
  }

  public ReasoningEffort getReasoningEffort() {
    return reasoningEffort;
  }

  public void setReasoningEffort(ReasoningEffort reasoningEffort) {
    this.reasoningEffort = reasoningEffort;
  }

  public Double getComputeMultiplier() {
    return computeMultiplier;
  }

  public void setComputeMultiplier(Double computeMultiplier) {
    this.computeMultiplier = computeMultiplier;
  }

  public Integer getEvalInterval() {
    return evalInterval;
  }

  public void setEvalInterval(Integer evalInterval) {
    this.evalInterval = evalInterval;
  }

  public Integer getEvalSamples() {
    return evalSamples;
  }

  public void setEvalSamples(Integer evalSamples) {
    this.evalSamples = evalSamples;
  }
}
