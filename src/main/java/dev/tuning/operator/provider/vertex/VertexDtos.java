package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Wire records for aiplatform v1 {@code tuningJobs}, lowerCamelCase as on the wire. Unknown fields
 * are ignored (the API adds fields often); nulls are never sent. int64 fields are strings on the
 * wire and read leniently (numbers are accepted too).
 */
final class VertexDtos {

  private VertexDtos() {}

  /** A TuningJob, as sent on create (input fields only) and as returned. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record TuningJob(
      String name,
      String baseModel,
      String tunedModelDisplayName,
      String description,
      TuningSpec supervisedTuningSpec,
      TuningSpec preferenceOptimizationSpec,
      Map<String, String> labels,
      EncryptionSpec encryptionSpec,
      String serviceAccount,
      String state,
      String createTime,
      String startTime,
      String endTime,
      String updateTime,
      Status error,
      String experiment,
      TunedModel tunedModel,
      TuningDataStats tuningDataStats) {

    /** The input fields of a create request. */
    static TuningJob forCreate(
        String baseModel,
        String tunedModelDisplayName,
        String description,
        TuningSpec supervised,
        TuningSpec preference,
        Map<String, String> labels,
        EncryptionSpec encryptionSpec,
        String serviceAccount) {
      return new TuningJob(
          null,
          baseModel,
          tunedModelDisplayName,
          description,
          supervised,
          preference,
          labels,
          encryptionSpec,
          serviceAccount,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
  }

  /** supervisedTuningSpec and preferenceOptimizationSpec share this shape. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record TuningSpec(
      String trainingDatasetUri,
      String validationDatasetUri,
      HyperParameters hyperParameters,
      Boolean exportLastCheckpointOnly) {}

  /** epochCount is an int64, hence a JSON string; beta only for preference optimization. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record HyperParameters(
      String epochCount, Double learningRateMultiplier, String adapterSize, Double beta) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record EncryptionSpec(String kmsKeyName) {}

  /** google.rpc.Status as found in TuningJob.error (no status string there). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Status(Integer code, String message) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record TunedModel(String model, String endpoint) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record TuningDataStats(
      DatasetCounts supervisedTuningDataStats, DatasetCounts preferenceOptimizationDataStats) {}

  /** The summary counts both data-stats kinds share (int64 strings on the wire). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record DatasetCounts(
      Long tuningDatasetExampleCount, Long totalBillableTokenCount, Long tuningStepCount) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ListResponse(List<TuningJob> tuningJobs, String nextPageToken) {}

  /** The standard Google error envelope {@code {"error":{code,message,status,details}}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorEnvelope(ErrorBody error) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorBody(
      Integer code, String message, String status, List<Map<String, Object>> details) {}
}
