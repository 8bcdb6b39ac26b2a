package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How far training got, where the provider reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobProgress {

  @JsonPropertyDescription("The last training step reported.")
  private Long step;

  @JsonPropertyDescription("The latest training loss.")
  private Double trainingLoss;

  @JsonPropertyDescription("The latest validation loss.")
  private Double validationLoss;

  public JobProgress() {}

  public JobProgress(Long step, Double trainingLoss, Double validationLoss) {
    this.step = step;
    this.trainingLoss = trainingLoss;
    this.validationLoss = validationLoss;
  }

  public Long getStep() {
    return step;
  }

  public void setStep(Long step) {
    this.step = step;
  }

  public Double getTrainingLoss() {
    return trainingLoss;
  }

  public void setTrainingLoss(Double trainingLoss) {
    this.trainingLoss = trainingLoss;
  }

  public Double getValidationLoss() {
    return validationLoss;
  }

  public void setValidationLoss(Double validationLoss) {
    this.validationLoss = validationLoss;
  }
}
