package dev.tuning.operator.provider;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The normalized view of a provider job. Providers map their JSON to this; the reconciler maps this
 * to status. Absent values are null (lists and maps are never null).
 */
public record ProviderJob(
    String id,
    ProviderJobState state,
    String rawState,
    Instant createTime,
    Instant startTime,
    Instant endTime,
    Instant updateTime,
    Instant estimatedFinish,
    String tunedModel,
    String tunedModelEndpoint,
    Long trainedTokens,
    List<String> resultFiles,
    DataStats dataStats,
    Failure error,
    Map<String, String> hyperparameters,
    Map<String, String> tags,
    String experiment,
    Progress progress,
    String stateDetail,
    String tunedModelName) {

  public ProviderJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    resultFiles = resultFiles == null ? List.of() : List.copyOf(resultFiles);
    hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** The provider's error for a failed or cancelled job. */
  public record Failure(String code, String message, String param) {}

  /** A summary of the provider's training-data statistics. */
  public record DataStats(Long exampleCount, Long billableTokens, Long stepCount) {}

  /**
   * How far training got, as far as the provider reports it (absent values are null).
   *
   * @param step the last training step reported
   * @param trainingLoss the latest training loss
   * @param validationLoss the latest validation loss
   */
  public record Progress(Long step, Double trainingLoss, Double validationLoss) {}

  public static Builder builder(String id, ProviderJobState state) {
    return new Builder(id, state);
  }

  /** A copy with another state, as a provider returns after cancel, pause or resume. */
  public Builder toBuilder() {
    var b = new Builder(id, state);
    b.rawState = rawState;
    b.createTime = createTime;
    b.startTime = startTime;
    b.endTime = endTime;
    b.updateTime = updateTime;
    b.estimatedFinish = estimatedFinish;
    b.tunedModel = tunedModel;
    b.tunedModelEndpoint = tunedModelEndpoint;
    b.trainedTokens = trainedTokens;
    b.resultFiles = resultFiles;
    b.dataStats = dataStats;
    b.error = error;
    b.hyperparameters = hyperparameters;
    b.tags = tags;
    b.experiment = experiment;
    b.progress = progress;
    b.stateDetail = stateDetail;
    b.tunedModelName = tunedModelName;
    return b;
  }

  /** Builder for {@link ProviderJob}; only id and state are required. */
  public static final class Builder {
    private String id;
    private ProviderJobState state;
    private String rawState;
    private Instant createTime;
    private Instant startTime;
    private Instant endTime;
    private Instant updateTime;
    private Instant estimatedFinish;
    private String tunedModel;
    private String tunedModelEndpoint;
    private Long trainedTokens;
    private List<String> resultFiles;
    private DataStats dataStats;
    private Failure error;
    private Map<String, String> hyperparameters;
    private Map<String, String> tags;
    private String experiment;
    private Progress progress;
    private String stateDetail;
    private String tunedModelName;

    private Builder(String id, ProviderJobState state) {
      this.id = id;
      this.state = state;
    }

    public Builder id(String v) {
      id = v;
      return this;
    }

    public Builder state(ProviderJobState v) {
      state = v;
      return this;
    }

    public Builder rawState(String v) {
      rawState = v;
      return this;
    }

    public Builder createTime(Instant v) {
      createTime = v;
      return this;
    }

    public Builder startTime(Instant v) {
      startTime = v;
      return this;
    }

    public Builder endTime(Instant v) {
      endTime = v;
      return this;
    }

    public Builder updateTime(Instant v) {
      updateTime = v;
      return this;
    }

    public Builder estimatedFinish(Instant v) {
      estimatedFinish = v;
      return this;
    }

    public Builder tunedModel(String v) {
      tunedModel = v;
      return this;
    }

    public Builder tunedModelEndpoint(String v) {
      tunedModelEndpoint = v;
      return this;
    }

    public Builder trainedTokens(Long v) {
      trainedTokens = v;
      return this;
    }

    public Builder resultFiles(List<String> v) {
      resultFiles = v;
      return this;
    }

    public Builder dataStats(DataStats v) {
      dataStats = v;
      return this;
    }

    public Builder error(Failure v) {
      error = v;
      return this;
    }

    public Builder hyperparameters(Map<String, String> v) {
      hyperparameters = v;
      return this;
    }

    public Builder tags(Map<String, String> v) {
      tags = v;
      return this;
    }

    public Builder experiment(String v) {
      experiment = v;
      return this;
    }

    public Builder progress(Progress v) {
      progress = v;
      return this;
    }

    /** The tuned model's name where the provider names it apart from its id (Bedrock). */
    public Builder tunedModelName(String v) {
      tunedModelName = v;
      return this;
    }

    /** The provider's sub-states in words, e.g. "validation Completed, training InProgress". */
    public Builder stateDetail(String v) {
      stateDetail = v;
      return this;
    }

    public ProviderJob build() {
      return new ProviderJob(
          id,
          state,
          rawState,
          createTime,
          startTime,
          endTime,
          updateTime,
          estimatedFinish,
          tunedModel,
          tunedModelEndpoint,
          trainedTokens,
          resultFiles,
          dataStats,
          error,
          hyperparameters,
          tags,
          experiment,
          progress,
          stateDetail,
          tunedModelName);
    }
  }
}
