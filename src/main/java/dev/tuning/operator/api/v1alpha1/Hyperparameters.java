package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Training hyperparameters. Every field is optional; an absent field lets the provider choose. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Hyperparameters {

  @Min(1)
  @Max(50)
  @JsonPropertyDescription(
      "Number of passes over the training data (OpenAI n_epochs, Vertex epochCount). Absent means"
          + " the provider chooses.")
  private Integer epochs;

  @Min(value = 0, inclusive = false)
  @Max(100)
  @JsonPropertyDescription(
      "Multiplier applied to the provider's default learning rate. Must be greater than 0.")
  private Double learningRateMultiplier;

  @Min(1)
  @Max(256)
  @JsonPropertyDescription("Examples per batch (OpenAI only).")
  private Integer batchSize;

  @ValidationRule(
      value = "self in [1, 2, 4, 8, 16, 32]",
      message = "adapterSize must be one of 1, 2, 4, 8, 16 or 32")
  @JsonPropertyDescription("LoRA adapter size (Vertex AI only): 1, 2, 4, 8, 16 or 32.")
  private Integer adapterSize;

  @Min(value = 0, inclusive = false)
  @Max(2)
  @JsonPropertyDescription(
      "Preference tuning only: weight of the penalty that keeps the model close to the base model"
          + " (OpenAI DPO beta, 0 < beta <= 2; Vertex beta).")
  private Double beta;

  public Integer getEpochs() {
    return epochs;
  }

  public void setEpochs(Integer epochs) {
    this.epochs = epochs;
  }

  public Double getLearningRateMultiplier() {
    return learningRateMultiplier;
  }

  public void setLearningRateMultiplier(Double learningRateMultiplier) {
    this.learningRateMultiplier = learningRateMultiplier;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Integer getAdapterSize() {
    return adapterSize;
  }

  public void setAdapterSize(Integer adapterSize) {
    this.adapterSize = adapterSize;
  }

  public Double getBeta() {
    return beta;
  }

  public void setBeta(Double beta) {
    this.beta = beta;
  }
}
