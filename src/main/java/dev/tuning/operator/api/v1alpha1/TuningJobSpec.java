package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tuning.operator.provider.vertex.VertexLabels;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The desired tuning job. See docs/design.md section 3 for the rules enforced here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.provider != 'openai' || has(self.openai)",
    message = "spec.openai is required when provider is openai",
    fieldPath = ".openai")
@ValidationRule(
    value = "self.provider != 'vertex' || has(self.vertex)",
    message = "spec.vertex is required when provider is vertex",
    fieldPath = ".vertex")
@ValidationRule(
    value = "self.provider == 'openai' || !has(self.openai)",
    message = "spec.openai must not be set unless provider is openai",
    fieldPath = ".openai")
@ValidationRule(
    value = "self.provider == 'vertex' || !has(self.vertex)",
    message = "spec.vertex must not be set unless provider is vertex",
    fieldPath = ".vertex")
@ValidationRule(
    value = "self.provider != 'bedrock' || has(self.bedrock)",
    message = "spec.bedrock is required when provider is bedrock",
    fieldPath = ".bedrock")
@ValidationRule(
    value = "self.provider == 'bedrock' || !has(self.bedrock)",
    message = "spec.bedrock must not be set unless provider is bedrock",
    fieldPath = ".bedrock")
@ValidationRule(
    value = "self.provider != 'bedrock' || self.trainingData.matches(" + BedrockSpec.S3_URI + ")",
    message = "trainingData must be an S3 URI (s3://bucket/key) when provider is bedrock",
    fieldPath = ".trainingData")
@ValidationRule(
    value =
        "!has(self.validationData) || self.provider != 'bedrock' ||"
            + " self.validationData.matches("
            + BedrockSpec.S3_URI
            + ")",
    message = "validationData must be an S3 URI (s3://bucket/key) when provider is bedrock",
    fieldPath = ".validationData")
@ValidationRule(
    value = "self.method != 'preference' || self.provider != 'bedrock'",
    message = "method preference is not available with provider bedrock",
    fieldPath = ".method")
@ValidationRule(
    value =
        "self.method != 'reinforcement' || self.provider != 'bedrock' ||"
            + " (has(self.bedrock) && has(self.bedrock.reinforcement))",
    message =
        "spec.bedrock.reinforcement (with lambdaGraderArn) is required when method is"
            + " reinforcement",
    fieldPath = ".method")
@ValidationRule(
    value =
        "!has(self.bedrock) || !has(self.bedrock.reinforcement) || self.method == 'reinforcement'",
    message = "spec.bedrock.reinforcement is only allowed when method is reinforcement",
    fieldPath = ".bedrock.reinforcement")
@ValidationRule(
    value =
        "!has(self.tunedModelName) || self.provider != 'bedrock' ||"
            + " self.tunedModelName.matches('^([0-9a-zA-Z][_-]?){1,63}$')",
    message =
        "tunedModelName is the Bedrock custom model name with provider bedrock: up to 63 letters"
            + " and digits, each optionally followed by one '-' or '_'",
    fieldPath = ".tunedModelName")
@ValidationRule(
    value =
        "!has(self.labels) || self.provider != 'bedrock' || (size(self.labels) <= 47 &&"
            + " self.labels.all(k, !k.lowerAscii().startsWith('aws:')))",
    message =
        "labels with provider bedrock: at most 47 (AWS allows 50 tags and the operator uses 3),"
            + " no key starting with aws:",
    fieldPath = ".labels")
@ValidationRule(
    value = "self.provider != 'openai' || self.trainingData.matches('^file-[A-Za-z0-9_-]+$')",
    message = "trainingData must be an OpenAI file id (file-...) when provider is openai",
    fieldPath = ".trainingData")
@ValidationRule(
    value =
        "self.provider != 'vertex' ||"
            + " self.trainingData.matches('^gs://[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]/.+$')",
    message = "trainingData must be a Cloud Storage URI (gs://bucket/path) when provider is vertex",
    fieldPath = ".trainingData")
@ValidationRule(
    value =
        "!has(self.validationData) || self.provider != 'openai' ||"
            + " self.validationData.matches('^file-[A-Za-z0-9_-]+$')",
    message = "validationData must be an OpenAI file id (file-...) when provider is openai",
    fieldPath = ".validationData")
@ValidationRule(
    value =
        "!has(self.validationData) || self.provider != 'vertex' ||"
            + " self.validationData.matches('^gs://[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]/.+$')",
    message =
        "validationData must be a Cloud Storage URI (gs://bucket/path) when provider is vertex",
    fieldPath = ".validationData")
@ValidationRule(
    value = "self.method != 'reinforcement' || self.provider in ['openai', 'bedrock']",
    message = "method reinforcement is only available with provider openai or bedrock",
    fieldPath = ".method")
@ValidationRule(
    value =
        "self.method != 'reinforcement' || self.provider != 'openai' ||"
            + " (has(self.openai) && has(self.openai.reinforcement))",
    message = "spec.openai.reinforcement (with a grader) is required when method is reinforcement",
    fieldPath = ".method")
@ValidationRule(
    value =
        "!has(self.openai) || !has(self.openai.reinforcement) || self.method == 'reinforcement'",
    message = "spec.openai.reinforcement is only allowed when method is reinforcement",
    fieldPath = ".openai.reinforcement")
@ValidationRule(
    value =
        "!has(self.hyperparameters) || !has(self.hyperparameters.adapterSize) ||"
            + " self.provider == 'vertex'",
    message = "hyperparameters.adapterSize is only supported with provider vertex",
    fieldPath = ".hyperparameters.adapterSize")
@ValidationRule(
    value =
        "!has(self.hyperparameters) || !has(self.hyperparameters.batchSize) ||"
            + " self.provider in ['openai', 'bedrock']",
    message = "hyperparameters.batchSize is only supported with provider openai or bedrock",
    fieldPath = ".hyperparameters.batchSize")
@ValidationRule(
    value =
        "!has(self.hyperparameters) || !has(self.hyperparameters.beta) ||"
            + " self.method == 'preference'",
    message = "hyperparameters.beta is only allowed when method is preference",
    fieldPath = ".hyperparameters.beta")
@ValidationRule(
    value = "!has(self.seed) || self.provider == 'openai'",
    message = "seed is only supported with provider openai",
    fieldPath = ".seed")
@ValidationRule(
    value = "!has(self.description) || self.provider == 'vertex'",
    message = "description is only supported with provider vertex",
    fieldPath = ".description")
@ValidationRule(
    value =
        "!has(self.tunedModelName) || self.provider != 'openai' ||"
            + " self.tunedModelName.matches('^[A-Za-z0-9_-]{1,64}$')",
    message =
        "tunedModelName is the OpenAI model suffix with provider openai: 1 to 64 letters, digits,"
            + " '-' or '_'",
    fieldPath = ".tunedModelName")
// The Vertex label rule is VertexLabels' (one rule for the CRD, the mapper and the emulator). The
// patterns go into raw CEL strings, r'...', so their backslashes reach RE2 unchanged.
@ValidationRule(
    value =
        "!has(self.labels) || self.provider != 'vertex' || self.labels.all(k,"
            + " k.matches(r'"
            + VertexLabels.KEY_PATTERN
            + "') && size(bytes(k)) <= "
            + VertexLabels.MAX_BYTES
            + " && self.labels[k].matches(r'"
            + VertexLabels.VALUE_PATTERN
            + "') && size(bytes(self.labels[k])) <= "
            + VertexLabels.MAX_BYTES
            + ")",
    message = "labels with provider vertex: " + VertexLabels.RULE,
    fieldPath = ".labels")
@ValidationRule(
    value =
        "!has(self.labels) || self.provider != 'openai' || (size(self.labels) <= 15 &&"
            + " self.labels.all(k, size(k) <= 64))",
    message =
        "labels with provider openai: at most 15 (OpenAI allows 16 metadata pairs and the operator"
            + " uses one), keys up to 64 and values up to 512 characters",
    fieldPath = ".labels")
@ValidationRule(
    value = "!has(self.labels) || !('tuningjob-uid' in self.labels)",
    message = "labels: the key tuningjob-uid is reserved for the operator",
    fieldPath = ".labels")
public class TuningJobSpec {

  @Required
  @JsonPropertyDescription("The hosted service that runs the job: openai, vertex or bedrock.")
  private ProviderType provider;

  @Required
  @Size(min = 1, max = 256)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/@-]*$")
  @JsonPropertyDescription(
      "The model to tune, e.g. gpt-4.1-mini-2025-04-14 (openai) or gemini-2.5-flash (vertex).")
  private String baseModel;

  @Default("supervised")
  @JsonPropertyDescription(
      "Tuning method: supervised (default), preference (OpenAI DPO / Vertex preference"
          + " optimization) or reinforcement (openai only).")
  private TuningMethod method;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription(
      "Training data: an uploaded file id (file-...) for openai, a gs:// URI of a JSONL file for"
          + " vertex.")
  private String trainingData;

  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("Optional validation data, in the same form as trainingData.")
  private String validationData;

  @JsonPropertyDescription("Training hyperparameters; every field is optional (provider default).")
  private Hyperparameters hyperparameters;

  @Size(min = 1, max = 128)
  @JsonPropertyDescription(
      "Name of the tuned model: the model suffix for openai (up to 64 characters), the display"
          + " name for vertex (up to 128).")
  private String tunedModelName;

  @Size(max = 4096)
  @JsonPropertyDescription("Description of the tuning job (vertex only).")
  private String description;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Labels copied to the provider job (vertex labels, openai metadata), merged with the"
          + " operator's own tuningjob-uid tag.")
  private Map<String, @Size(max = 512) String> labels;

  @Min(0)
  @Max(2147483647)
  @JsonPropertyDescription("Random seed for reproducible runs (openai only).")
  private Integer seed;

  @Default("Cancel")
  @JsonPropertyDescription(
      "What to do with the provider job when this TuningJob is deleted: Cancel (default) cancels"
          + " an active job and waits for it to end; Orphan leaves it running. May be changed at"
          + " any time.")
  private DeletionPolicy deletionPolicy;

  @Default("false")
  @JsonPropertyDescription(
      "Pause the job (openai pause/resume) or, before submission, hold it. May be changed at any"
          + " time.")
  private Boolean suspend;

  @Min(1)
  @Max(315360000)
  @JsonPropertyDescription(
      "Like a Kubernetes Job's field of that name: once the provider job has been active this many"
          + " seconds (from the provider's create time, paused time excluded), it is cancelled and"
          + " the TuningJob ends Failed with reason DeadlineExceeded. After submission it may only"
          + " be lowered (or added), never raised or removed.")
  private Long activeDeadlineSeconds;

  @Min(0)
  @Max(315360000)
  @JsonPropertyDescription(
      "Like a Kubernetes Job's field of that name: delete this TuningJob that many seconds after"
          + " it finished (Succeeded, Failed or Cancelled). The provider job and the tuned model"
          + " stay. With GitOps, see the README on pruning.")
  private Long ttlSecondsAfterFinished;

  @JsonPropertyDescription("OpenAI settings; required when provider is openai.")
  private OpenAiSpec openai;

  @JsonPropertyDescription("Vertex AI settings; required when provider is vertex.")
  private VertexSpec vertex;

  @JsonPropertyDescription("Amazon Bedrock settings; required when provider is bedrock.")
  private BedrockSpec bedrock;

  public ProviderType getProvider() {
    return provider;
  }

  public void setProvider(ProviderType provider) {
    this.provider = provider;
  }

  public String getBaseModel() {
    return baseModel;
  }

  public void setBaseModel(String baseModel) {
    this.baseModel = baseModel;
  }

  public TuningMethod getMethod() {
    return method;
  }

  public void setMethod(TuningMethod method) {
    this.method = method;
  }

  public String getTrainingData() {
    return trainingData;
  }

  public void setTrainingData(String trainingData) {
    this.trainingData = trainingData;
  }

  public String getValidationData() {
    return validationData;
  }

  public void setValidationData(String validationData) {
    this.validationData = validationData;
  }

  public Hyperparameters getHyperparameters() {
    return hyperparameters;
  }

  public void setHyperparameters(Hyperparameters hyperparameters) {
    this.hyperparameters = hyperparameters;
  }

  public String getTunedModelName() {
    return tunedModelName;
  }

  public void setTunedModelName(String tunedModelName) {
    this.tunedModelName = tunedModelName;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Integer getSeed() {
    return seed;
  }

  public void setSeed(Integer seed) {
    this.seed = seed;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public Long getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Long ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public OpenAiSpec getOpenai() {
    return openai;
  }

  public void setOpenai(OpenAiSpec openai) {
    this.openai = openai;
  }

  public VertexSpec getVertex() {
    return vertex;
  }

  public BedrockSpec getBedrock() {
    return bedrock;
  }

  public void setBedrock(BedrockSpec bedrock) {
    this.bedrock = bedrock;
  }

  public void setVertex(VertexSpec vertex) {
    this.vertex = vertex;
  }
}
