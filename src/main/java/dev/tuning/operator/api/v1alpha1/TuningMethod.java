package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The tuning technique. */
public enum TuningMethod {
  @JsonProperty("supervised")
  SUPERVISED,
  @JsonProperty("preference")
  PREFERENCE,
  @JsonProperty("reinforcement")
  REINFORCEMENT
}
