package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The provider-neutral part of a TuningJob's spec, which every provider's {@link JobRequest}
 * carries: what to tune, on which data, how, and under which name and labels.
 *
 * @param method never null: {@link TuningMethod#SUPERVISED} when the spec leaves it out
 * @param labels never null; in the spec's order
 */
public record CommonSpec(
    String baseModel,
    TuningMethod method,
    String trainingData,
    String validationData,
    Hyperparameters hyperparameters,
    String tunedModelName,
    String description,
    Map<String, String> labels,
    Integer seed) {

  public CommonSpec {
    method = Objects.requireNonNullElse(method, TuningMethod.SUPERVISED);
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /** The common fields of {@code spec}. */
  public static CommonSpec of(TuningJobSpec spec) {
    return new CommonSpec(
        spec.getBaseModel(),
        spec.getMethod(),
        spec.getTrainingData(),
        spec.getValidationData(),
        spec.getHyperparameters(),
        spec.getTunedModelName(),
        spec.getDescription(),
        spec.getLabels(),
        spec.getSeed());
  }
}
