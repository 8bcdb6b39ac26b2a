package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The observed state of a TuningJob, mirrored from the provider by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TuningJobStatus {

  @JsonPropertyDescription(
      "Lifecycle phase: Pending, Submitting, Queued, Running, Suspended, Cancelling, Succeeded,"
          + " Failed or Cancelled.")
  @Size(max = 16)
  private Phase phase;

  @JsonPropertyDescription(
      "The provider's job id (ftjob-... for openai, projects/.../tuningJobs/... for vertex).")
  @Size(max = 512)
  private String jobId;

  @JsonPropertyDescription("The provider's raw job state, kept as the provider reported it.")
  @Size(max = 64)
  private String providerState;

  @JsonPropertyDescription(
      "The provider's sub-states in words where it reports them, e.g. \"validation Completed,"
          + " training InProgress\" (bedrock).")
  @Size(max = 256)
  private String providerStateDetail;

  @JsonPropertyDescription("How far training got, where the provider reports it.")
  private JobProgress progress;

  @JsonPropertyDescription(
      "The tuned model's name where the provider names it apart from tunedModel (bedrock: the"
          + " custom model's name; tunedModel is its ARN).")
  @Size(max = 256)
  private String tunedModelName;

  @JsonPropertyDescription("When the provider created the job (RFC 3339).")
  @Size(max = 64)
  private String createTime;

  @JsonPropertyDescription("When the job started running (RFC 3339).")
  @Size(max = 64)
  private String startTime;

  @JsonPropertyDescription("When the job ended (RFC 3339).")
  @Size(max = 64)
  private String endTime;

  @JsonPropertyDescription("When the provider last updated the job (RFC 3339).")
  @Size(max = 64)
  private String updateTime;

  @JsonPropertyDescription("The provider's estimate of when the job finishes (RFC 3339).")
  @Size(max = 64)
  private String estimatedFinish;

  @JsonPropertyDescription(
      "The tuned model (ft:... for openai, projects/.../models/... for vertex).")
  @Size(max = 512)
  private String tunedModel;

  @JsonPropertyDescription("The endpoint serving the tuned model (vertex).")
  @Size(max = 512)
  private String tunedModelEndpoint;

  @JsonPropertyDescription("Billable tokens trained (openai).")
  private Long trainedTokens;

  @JsonPropertyDescription("Result file ids (openai).")
  @Size(max = 64)
  private List<@Size(max = 256) String> resultFiles;

  @JsonPropertyDescription("Summary of the provider's statistics about the training data.")
  private TuningDataStats tuningDataStats;

  @JsonPropertyDescription("The hyperparameters the provider resolved, as strings.")
  @Size(max = 32)
  private Map<String, @Size(max = 64) String> hyperparameters;

  @JsonPropertyDescription("The provider's experiment or run reference (vertex experiment).")
  @Size(max = 512)
  private String experiment;

  @JsonPropertyDescription("The provider's error for a failed job or a rejected request.")
  private JobError error;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("When the operator last exchanged with the provider successfully.")
  @Size(max = 64)
  private String lastSyncTime;

  @JsonPropertyDescription(
      "When the latest create attempt started (RFC 3339), recorded before the call: after a crash"
          + " or failover the operator only looks the job up until the settle window from this"
          + " moment has passed, so a create still in flight is never duplicated.")
  @Size(max = 64)
  private String submitAttemptTime;

  @JsonPropertyDescription(
      "Since when (RFC 3339) the provider has answered that the job does not exist; the job is"
          + " marked Failed only when this persists.")
  @Size(max = 64)
  private String notFoundSince;

  @JsonPropertyDescription(
      "When (RFC 3339) this TuningJob reached a terminal phase; ttlSecondsAfterFinished counts"
          + " from here.")
  @Size(max = 64)
  private String finishedTime;

  @JsonPropertyDescription(
      "Seconds the provider job spent paused (suspend), excluded from activeDeadlineSeconds.")
  private Long suspendedSeconds;

  @JsonPropertyDescription("Since when (RFC 3339) the provider job is paused, while it is.")
  @Size(max = 64)
  private String suspendedSince;

  @JsonPropertyDescription(
      "The value of the annotation tuning.dev/reconcile-requested-at last served by an immediate"
          + " provider read.")
  @Size(max = 256)
  private String lastSyncRequest;

  @JsonPropertyDescription(
      "Whether this finished job's usage (trained tokens) was counted in the operator's metrics,"
          + " so that a restart never counts it twice.")
  private Boolean usageRecorded;

  @JsonPropertyDescription(
      "Conditions: Submitted, Running, Suspended, Succeeded, Failed (what the job did) and Synced"
          + " (whether the operator's last exchange with the provider worked).")
  @Size(max = 16)
  private List<Condition> conditions = new ArrayList<>();

  public String getSubmitAttemptTime() {
    return submitAttemptTime;
  }

  public void setSubmitAttemptTime(String submitAttemptTime) {
    this.submitAttemptTime = submitAttemptTime;
  }

  public String getNotFoundSince() {
    return notFoundSince;
  }

  public void setNotFoundSince(String notFoundSince) {
    this.notFoundSince = notFoundSince;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getJobId() {
    return jobId;
  }

  public void setJobId(String jobId) {
    this.jobId = jobId;
  }

  public String getProviderState() {
    return providerState;
  }

  public void setProviderState(String providerState) {
    this.providerState = providerState;
  }

  public String getCreateTime() {
    return createTime;
  }

  public void setCreateTime(String createTime) {
    this.createTime = createTime;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getEndTime() {
    return endTime;
  }

  public void setEndTime(String endTime) {
    this.endTime = endTime;
  }

  public String getUpdateTime() {
    return updateTime;
  }

  public void setUpdateTime(String updateTime) {
    this.updateTime = updateTime;
  }

  public String getEstimatedFinish() {
    return estimatedFinish;
  }

  public void setEstimatedFinish(String estimatedFinish) {
    this.estimatedFinish = estimatedFinish;
  }

  public String getTunedModel() {
    return tunedModel;
  }

  public void setTunedModel(String tunedModel) {
    this.tunedModel = tunedModel;
  }

  public String getTunedModelEndpoint() {
    return tunedModelEndpoint;
  }

  public void setTunedModelEndpoint(String tunedModelEndpoint) {
    this.tunedModelEndpoint = tunedModelEndpoint;
  }

  public Long getTrainedTokens() {
    return trainedTokens;
  }

  public void setTrainedTokens(Long trainedTokens) {
    this.trainedTokens = trainedTokens;
  }

  public List<String> getResultFiles() {
    return resultFiles;
  }

  public void setResultFiles(List<String> resultFiles) {
    this.resultFiles = resultFiles;
  }

  public TuningDataStats getTuningDataStats() {
    return tuningDataStats;
  }

  public void setTuningDataStats(TuningDataStats tuningDataStats) {
    this.tuningDataStats = tuningDataStats;
  }

  public Map<String, String> getHyperparameters() {
    return hyperparameters;
  }

  public void setHyperparameters(Map<String, String> hyperparameters) {
    this.hyperparameters = hyperparameters;
  }

  public String getFinishedTime() {
    return finishedTime;
  }

  public void setFinishedTime(String finishedTime) {
    this.finishedTime = finishedTime;
  }

  public Long getSuspendedSeconds() {
    return suspendedSeconds;
  }

  public void setSuspendedSeconds(Long suspendedSeconds) {
    this.suspendedSeconds = suspendedSeconds;
  }

  public String getSuspendedSince() {
    return suspendedSince;
  }

  public void setSuspendedSince(String suspendedSince) {
    this.suspendedSince = suspendedSince;
  }

  public String getLastSyncRequest() {
    return lastSyncRequest;
  }

  public void setLastSyncRequest(String lastSyncRequest) {
    this.lastSyncRequest = lastSyncRequest;
  }

  public Boolean getUsageRecorded() {
    return usageRecorded;
  }

  public void setUsageRecorded(Boolean usageRecorded) {
    this.usageRecorded = usageRecorded;
  }

  public String getProviderStateDetail() {
    return providerStateDetail;
  }

  public void setProviderStateDetail(String providerStateDetail) {
    this.providerStateDetail = providerStateDetail;
  }

  public String getTunedModelName() {
    return tunedModelName;
  }

  public void setTunedModelName(String tunedModelName) {
    this.tunedModelName = tunedModelName;
  }

  public JobProgress getProgress() {
    return progress;
  }

  public void setProgress(JobProgress progress) {
    this.progress = progress;
  }

  public String getExperiment() {
    return experiment;
  }

  public void setExperiment(String experiment) {
    this.experiment = experiment;
  }

  public JobError getError() {
    return error;
  }

  public void setError(JobError error) {
    this.error = error;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastSyncTime() {
    return lastSyncTime;
  }

  public void setLastSyncTime(String lastSyncTime) {
    this.lastSyncTime = lastSyncTime;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
