package dev.tuning.operator.provider.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the OpenAI fine-tuning API that the operator reads and writes. Field names are
 * spelled out because the API uses snake_case. Responses are read leniently: unknown fields are
 * ignored and every field may be absent or null; fields whose shape varies between API versions
 * ({@code error}, {@code hyperparameters}, {@code method}) stay {@link JsonNode}.
 */
final class OpenAiWire {

  private OpenAiWire() {}

  /** {@code CreateFineTuningJobRequest}; absent (null) fields are not sent. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CreateJobRequest(
      @JsonProperty("model") String model,
      @JsonProperty("training_file") String trainingFile,
      @JsonProperty("validation_file") String validationFile,
      @JsonProperty("method") Method method,
      @JsonProperty("suffix") String suffix,
      @JsonProperty("seed") Integer seed,
      @JsonProperty("integrations") List<Integration> integrations,
      @JsonProperty("metadata") Map<String, String> metadata) {}

  /** {@code FineTuneMethod}: the type plus the settings object named after it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Method(
      @JsonProperty("type") String type,
      @JsonProperty("supervised") MethodSettings supervised,
      @JsonProperty("dpo") MethodSettings dpo,
      @JsonProperty("reinforcement") MethodSettings reinforcement) {}

  /** The settings of one method; {@code grader} only for reinforcement. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MethodSettings(
      @JsonProperty("grader") JsonNode grader,
      @JsonProperty("hyperparameters") Hyperparameters hyperparameters) {}

  /** Explicit hyperparameters; an absent one is omitted, which the API reads as "auto". */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Hyperparameters(
      @JsonProperty("n_epochs") Integer nEpochs,
      @JsonProperty("learning_rate_multiplier") Double learningRateMultiplier,
      @JsonProperty("batch_size") Integer batchSize,
      @JsonProperty("beta") Double beta,
      @JsonProperty("reasoning_effort") String reasoningEffort,
      @JsonProperty("compute_multiplier") Double computeMultiplier,
      @JsonProperty("eval_interval") Integer evalInterval,
      @JsonProperty("eval_samples") Integer evalSamples) {

    boolean isEmpty() {
      return nEpochs == null
          && learningRateMultiplier == null
          && batchSize == null
          && beta == null
          && reasoningEffort == null
          && computeMultiplier == null
          && evalInterval == null
          && evalSamples == null;
    }
  }

  /** {@code FineTuningIntegration} of type {@code wandb}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Integration(@JsonProperty("type") String type, @JsonProperty("wandb") Wandb wandb) {}

  /** Weights and Biases settings of an integration. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Wandb(
      @JsonProperty("project") String project,
      @JsonProperty("name") String name,
      @JsonProperty("entity") String entity,
      @JsonProperty("tags") List<String> tags) {}

  /** The {@code fine_tuning.job} object, only the fields the operator maps. */
  record Job(
      @JsonProperty("id") String id,
      @JsonProperty("status") String status,
      @JsonProperty("created_at") Long createdAt,
      @JsonProperty("finished_at") Long finishedAt,
      @JsonProperty("estimated_finish") Long estimatedFinish,
      @JsonProperty("model") String model,
      @JsonProperty("fine_tuned_model") String fineTunedModel,
      @JsonProperty("trained_tokens") Long trainedTokens,
      @JsonProperty("result_files") List<String> resultFiles,
      @JsonProperty("error") JsonNode error,
      @JsonProperty("hyperparameters") JsonNode hyperparameters,
      @JsonProperty("method") JsonNode method,
      @JsonProperty("metadata") Map<String, String> metadata) {}

  /** A page of jobs: {@code {"object":"list","data":[...],"has_more":bool}}. */
  record JobList(@JsonProperty("data") List<Job> data, @JsonProperty("has_more") Boolean hasMore) {}

  /**
   * A page of checkpoints, newest first: the list envelope plus {@code first_id} and {@code
   * last_id} (docs/providers/openai.md section 1).
   */
  record CheckpointList(
      @JsonProperty("data") List<Checkpoint> data,
      @JsonProperty("has_more") Boolean hasMore,
      @JsonProperty("first_id") String firstId,
      @JsonProperty("last_id") String lastId) {}

  /** The {@code fine_tuning.job.checkpoint} object (section 3.3), only the fields mapped. */
  record Checkpoint(
      @JsonProperty("id") String id,
      @JsonProperty("created_at") Long createdAt,
      @JsonProperty("step_number") Long stepNumber,
      @JsonProperty("metrics") CheckpointMetrics metrics) {}

  /** A checkpoint's metrics; every member is optional (e.g. no validation file, no loss). */
  record CheckpointMetrics(
      @JsonProperty("step") Double step,
      @JsonProperty("train_loss") Double trainLoss,
      @JsonProperty("valid_loss") Double validLoss,
      @JsonProperty("full_valid_loss") Double fullValidLoss) {}
}
