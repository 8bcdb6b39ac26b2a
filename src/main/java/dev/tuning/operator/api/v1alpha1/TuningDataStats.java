package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A summary of the provider's statistics about the training data. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TuningDataStats {

  @JsonPropertyDescription("Number of training examples.")
  private Long exampleCount;

  @JsonPropertyDescription("Billable tokens in the training data.")
  private Long billableTokens;

  @JsonPropertyDescription("Number of tuning steps.")
  private Long stepCount;

  public TuningDataStats() {}

  public TuningDataStats(Long exampleCount, Long billableTokens, Long stepCount) {
    this.exampleCount = exampleCount;
    this.billableTokens = billableTokens;
    this.stepCount = stepCount;
  }

  public Long getExampleCount() {
    return exampleCount;
  }

  public void setExampleCount(Long exampleCount) {
    this.exampleCount = exampleCount;
  }

  public Long getBillableTokens() {
    return billableTokens;
  }

  public void setBillableTokens(Long billableTokens) {
    this.billableTokens = billableTokens;
  }

  public Long getStepCount() {
    return stepCount;
  }

  public void setStepCount(Long stepCount) {
    this.stepCount = stepCount;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TuningDataStats s
        && Objects.equals(exampleCount, s.exampleCount)
        && Objects.equals(billableTokens, s.billableTokens)
        && Objects.equals(stepCount, s.stepCount);
  }

  @Override
  public int hashCode() {
    return Objects.hash(exampleCount, billableTokens, stepCount);
  }
}
