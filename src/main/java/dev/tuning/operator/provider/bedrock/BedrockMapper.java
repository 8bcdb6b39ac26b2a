package dev.tuning.operator.provider.bedrock;

import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.provider.CommonSpec;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.TuningProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrock.model.CreateModelCustomizationJobRequest;
import software.amazon.awssdk.services.bedrock.model.CustomizationConfig;
import software.amazon.awssdk.services.bedrock.model.DistillationConfig;
import software.amazon.awssdk.services.bedrock.model.GetModelCustomizationJobResponse;
import software.amazon.awssdk.services.bedrock.model.GraderConfig;
import software.amazon.awssdk.services.bedrock.model.LambdaGraderConfig;
import software.amazon.awssdk.services.bedrock.model.ModelCustomizationJobSummary;
import software.amazon.awssdk.services.bedrock.model.OutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.RFTConfig;
import software.amazon.awssdk.services.bedrock.model.RFTHyperParameters;
import software.amazon.awssdk.services.bedrock.model.StatusDetails;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.bedrock.model.TeacherModelConfig;
import software.amazon.awssdk.services.bedrock.model.TrainingDataConfig;
import software.amazon.awssdk.services.bedrock.model.ValidationDataConfig;
import software.amazon.awssdk.services.bedrock.model.Validator;
import software.amazon.awssdk.services.bedrock.model.VpcConfig;

/**
 * Maps a {@link BedrockRequest} to the SDK's create request and a job view to the normalized {@link
 * ProviderJob} (docs/providers/bedrock.md sections 2 to 4). Pure: no I/O, no clock.
 *
 * <p>States: InProgress → RUNNING (QUEUED while training has not started), Stopping → CANCELLING,
 * Stopped → CANCELLED, Completed → SUCCEEDED, Failed → FAILED; anything else → UNKNOWN (the raw
 * value is kept).
 */
final class BedrockMapper {

  /** Tag keys and values: the API model's character set. */
  private static final Pattern TAG_TEXT = Pattern.compile("^[a-zA-Z0-9\\s._:/=+@-]*$");

  static final int MAX_TAGS = 50;
  static final String NAMESPACE_TAG = "tuning.dev/namespace";
  static final String NAME_TAG = "tuning.dev/name";

  /** Generic fields that become Bedrock hyperparameters, and their Bedrock keys. */
  static final String EPOCHS = "epochCount";

  static final String BATCH_SIZE = "batchSize";
  static final String LEARNING_RATE_MULTIPLIER = "learningRateMultiplier";

  private BedrockMapper() {}

  /** The create request; every spec problem is a PERMANENT error raised before any call. */
  static CreateModelCustomizationJobRequest toCreateRequest(JobContext ctx)
      throws ProviderException {
    BedrockRequest r = ctx.request(BedrockRequest.class);
    CommonSpec job = r.job();
    if (job.seed() != null) {
      throw BedrockRequest.invalid("spec.seed is not supported by Amazon Bedrock");
    }
    if (job.description() != null) {
      throw BedrockRequest.invalid("spec.description is not supported by Amazon Bedrock");
    }
    var b =
        CreateModelCustomizationJobRequest.builder()
            .jobName(BedrockNames.jobName(ctx.namespace(), ctx.name(), ctx.resourceUid()))
            .customModelName(
                BedrockNames.customModelName(job.tunedModelName(), ctx.name(), ctx.resourceUid()))
            .roleArn(r.roleArn())
            // The UID: Bedrock ignores a repeated request with the same token (section 6).
            .clientRequestToken(ctx.resourceUid())
            .baseModelIdentifier(job.baseModel())
            .customizationType(r.customizationType())
            .customModelKmsKeyId(r.kmsKeyId())
            .jobTags(tags(job.labels(), ctx))
            .trainingDataConfig(TrainingDataConfig.builder().s3Uri(s3(job.trainingData())).build())
            .outputDataConfig(OutputDataConfig.builder().s3Uri(r.outputDataUri()).build());
    if (job.validationData() != null) {
      b.validationDataConfig(
          ValidationDataConfig.builder()
              .validators(Validator.builder().s3Uri(s3(job.validationData())).build())
              .build());
    }
    Map<String, String> hp = hyperParameters(job, r);
    if (!hp.isEmpty()) {
      b.hyperParameters(hp);
    }
    if (!r.subnetIds().isEmpty()) {
      b.vpcConfig(
          VpcConfig.builder()
              .subnetIds(r.subnetIds())
              .securityGroupIds(r.securityGroupIds())
              .build());
    }
    CustomizationConfig config = customizationConfig(r);
    if (config != null) {
      b.customizationConfig(config);
    }
    return b.build();
  }

  private static String s3(String uri) throws ProviderException {
    if (uri == null || !uri.startsWith("s3://")) {
      throw BedrockRequest.invalid("trainingData and validationData must be S3 URIs (s3://...)");
    }
    return uri;
  }

  /**
   * {@code epochs} and {@code batchSize} become {@code epochCount} and {@code batchSize}; {@code
   * learningRateMultiplier} exists only for Claude 3 Haiku (it is never turned into an absolute
   * rate); the pass-through map adds the rest, and may not set a key a generic field sets.
   */
  static Map<String, String> hyperParameters(CommonSpec job, BedrockRequest r)
      throws ProviderException {
    Map<String, String> out = new LinkedHashMap<>();
    Hyperparameters hp = job.hyperparameters();
    if (hp != null) {
      if (hp.getAdapterSize() != null) {
        throw BedrockRequest.invalid(
            "spec.hyperparameters.adapterSize is not supported by Amazon Bedrock");
      }
      if (hp.getBeta() != null) {
        throw BedrockRequest.invalid(
            "spec.hyperparameters.beta is not supported by Amazon Bedrock");
      }
      if (hp.getEpochs() != null) {
        out.put(EPOCHS, Integer.toString(hp.getEpochs()));
      }
      if (hp.getBatchSize() != null) {
        out.put(BATCH_SIZE, Integer.toString(hp.getBatchSize()));
      }
      if (hp.getLearningRateMultiplier() != null) {
        if (!job.baseModel().toLowerCase(Locale.ROOT).contains("anthropic.claude-3-haiku")) {
          throw BedrockRequest.invalid(
              "spec.hyperparameters.learningRateMultiplier is only supported for Claude 3 Haiku on"
                  + " Amazon Bedrock; set spec.bedrock.hyperParameters.learningRate instead");
        }
        out.put(LEARNING_RATE_MULTIPLIER, Double.toString(hp.getLearningRateMultiplier()));
      }
    }
    if ("REINFORCEMENT_FINE_TUNING".equals(r.customizationType())) {
      // Reinforcement hyperparameters are typed and travel in rftConfig.
      return r.hyperParameters();
    }
    for (var e : r.hyperParameters().entrySet()) {
      if (out.containsKey(e.getKey())) {
        throw BedrockRequest.invalid(
            "spec.bedrock.hyperParameters."
                + e.getKey()
                + " is also set by spec.hyperparameters; set it in one place");
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static CustomizationConfig customizationConfig(BedrockRequest r)
      throws ProviderException {
    switch (r.customizationType()) {
      case "DISTILLATION" -> {
        if (r.teacherModelIdentifier() == null) {
          throw BedrockRequest.invalid(
              "spec.bedrock.distillation is required when customizationType is DISTILLATION");
        }
        return CustomizationConfig.fromDistillationConfig(
            DistillationConfig.builder()
                .teacherModelConfig(
                    TeacherModelConfig.builder()
                        .teacherModelIdentifier(r.teacherModelIdentifier())
                        .maxResponseLengthForInference(r.maxResponseLengthForInference())
                        .build())
                .build());
      }
      case "REINFORCEMENT_FINE_TUNING" -> {
        if (r.lambdaGraderArn() == null) {
          throw BedrockRequest.invalid(
              "spec.bedrock.reinforcement (with lambdaGraderArn) is required when method is"
                  + " reinforcement");
        }
        return CustomizationConfig.fromRftConfig(
            RFTConfig.builder()
                .graderConfig(
                    GraderConfig.fromLambdaGrader(
                        LambdaGraderConfig.builder().lambdaArn(r.lambdaGraderArn()).build()))
                .hyperParameters(rftHyperParameters(r))
                .build());
      }
      default -> {
        if (r.lambdaGraderArn() != null) {
          throw BedrockRequest.invalid(
              "spec.bedrock.reinforcement is only allowed when method is reinforcement");
        }
        return null;
      }
    }
  }

  /** The typed reinforcement hyperparameters; generic epochs and batchSize apply here too. */
  private static RFTHyperParameters rftHyperParameters(BedrockRequest r) throws ProviderException {
    Map<String, String> in = new LinkedHashMap<>(r.reinforcementHyperParameters());
    Hyperparameters hp = r.job().hyperparameters();
    if (hp != null && hp.getEpochs() != null) {
      in.putIfAbsent(EPOCHS, Integer.toString(hp.getEpochs()));
    }
    if (hp != null && hp.getBatchSize() != null) {
      in.putIfAbsent(BATCH_SIZE, Integer.toString(hp.getBatchSize()));
    }
    var b = RFTHyperParameters.builder();
    for (var e : in.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      switch (key) {
        case EPOCHS -> b.epochCount(integer(key, value));
        case BATCH_SIZE -> b.batchSize(integer(key, value));
        case "learningRate" -> b.learningRate(decimal(key, value));
        case "maxPromptLength" -> b.maxPromptLength(integer(key, value));
        case "trainingSamplePerPrompt" -> b.trainingSamplePerPrompt(integer(key, value));
        case "inferenceMaxTokens" -> b.inferenceMaxTokens(integer(key, value));
        case "reasoningEffort" -> b.reasoningEffort(value);
        case "evalInterval" -> b.evalInterval(integer(key, value));
        default ->
            throw BedrockRequest.invalid(
                "spec.bedrock.reinforcement.hyperParameters."
                    + key
                    + " is not a Bedrock RFT"
                    + " hyperparameter");
      }
    }
    return b.build();
  }

  private static Integer integer(String key, String value) throws ProviderException {
    return number(key, value, Integer::valueOf, "a whole number");
  }

  private static Float decimal(String key, String value) throws ProviderException {
    return number(key, value, Float::valueOf, "a number");
  }

  /** {@code value} read by {@code parse}; a spec error saying what it must be when it is not. */
  private static <N extends Number> N number(
      String key, String value, Function<String, N> parse, String what) throws ProviderException {
    try {
      return parse.apply(value.strip());
    } catch (NumberFormatException e) {
      throw BedrockRequest.invalid(
          "spec.bedrock.reinforcement.hyperParameters." + key + " must be " + what);
    }
  }

  /**
   * The user's labels plus the operator's: the UID tag, namespace and name. Keys starting with
   * {@code aws:} are AWS's own and refused.
   */
  static List<Tag> tags(Map<String, String> labels, JobContext ctx) throws ProviderException {
    if (labels.size() + 3 > MAX_TAGS) {
      throw BedrockRequest.invalid(
          "spec.labels: at most "
              + (MAX_TAGS - 3)
              + " labels with Amazon Bedrock (the operator"
              + " adds 3 tags of its own, 50 in all)");
    }
    List<Tag> tags = new ArrayList<>();
    for (var e : labels.entrySet()) {
      String key = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      if (key.equals(TuningProvider.TAG_KEY)
          || key.equals(NAMESPACE_TAG)
          || key.equals(NAME_TAG)
          || key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw BedrockRequest.invalid("spec.labels: the key " + key + " is reserved");
      }
      if (key.isEmpty()
          || key.length() > 128
          || value.length() > 256
          || !TAG_TEXT.matcher(key).matches()
          || !TAG_TEXT.matcher(value).matches()) {
        throw BedrockRequest.invalid(
            "spec.labels: "
                + key
                + " is not a valid AWS tag (keys 1 to 128 and values up to 256 of letters, digits,"
                + " spaces and . _ : / = + @ -)");
      }
      tags.add(Tag.builder().key(key).value(value).build());
    }
    tags.add(Tag.builder().key(TuningProvider.TAG_KEY).value(ctx.resourceUid()).build());
    tags.add(Tag.builder().key(NAMESPACE_TAG).value(ctx.namespace()).build());
    tags.add(Tag.builder().key(NAME_TAG).value(ctx.name()).build());
    return tags;
  }

  /** The job view; the echoed client request token is this operator's UID tag. */
  static ProviderJob toProviderJob(GetModelCustomizationJobResponse r) {
    String raw = r.statusAsString();
    var b =
        ProviderJob.builder(r.jobArn(), state(raw, r.statusDetails()))
            .rawState(raw)
            .createTime(r.creationTime())
            .startTime(trainingStart(r.statusDetails()))
            .endTime(r.endTime())
            .updateTime(r.lastModifiedTime())
            .tunedModel(r.outputModelArn())
            .tunedModelName(r.outputModelName())
            .hyperparameters(r.hasHyperParameters() ? r.hyperParameters() : null);
    if (r.outputDataConfig() != null && r.outputDataConfig().s3Uri() != null) {
      b.resultFiles(List.of(r.outputDataConfig().s3Uri()));
    }
    if (r.failureMessage() != null && !r.failureMessage().isBlank()) {
      b.error(new ProviderJob.Failure("JobFailed", r.failureMessage(), null));
    }
    if (r.clientRequestToken() != null) {
      b.tags(Map.of(TuningProvider.TAG_KEY, r.clientRequestToken()));
    }
    Double trainingLoss =
        r.trainingMetrics() == null || r.trainingMetrics().trainingLoss() == null
            ? null
            : r.trainingMetrics().trainingLoss().doubleValue();
    Double validationLoss =
        r.hasValidationMetrics() && !r.validationMetrics().isEmpty()
            ? r.validationMetrics().get(0).validationLoss() == null
                ? null
                : r.validationMetrics().get(0).validationLoss().doubleValue()
            : null;
    if (trainingLoss != null || validationLoss != null) {
      b.progress(new ProviderJob.Progress(null, trainingLoss, validationLoss));
    }
    return b.stateDetail(detail(r.statusDetails())).build();
  }

  /** A list entry: state, times and the custom model; no tags (a list does not show them). */
  static ProviderJob toProviderJob(ModelCustomizationJobSummary r) {
    String raw = r.statusAsString();
    return ProviderJob.builder(r.jobArn(), state(raw, r.statusDetails()))
        .rawState(raw)
        .createTime(r.creationTime())
        .startTime(trainingStart(r.statusDetails()))
        .endTime(r.endTime())
        .updateTime(r.lastModifiedTime())
        .tunedModel(r.customModelArn())
        .tunedModelName(r.customModelName())
        .stateDetail(detail(r.statusDetails()))
        .build();
  }

  /** docs/providers/bedrock.md section 4. */
  static ProviderJobState state(String status, StatusDetails details) {
    if (status == null) {
      return ProviderJobState.UNKNOWN;
    }
    return switch (status) {
      case "InProgress" -> notStarted(details) ? ProviderJobState.QUEUED : ProviderJobState.RUNNING;
      case "Stopping" -> ProviderJobState.CANCELLING;
      case "Stopped" -> ProviderJobState.CANCELLED;
      case "Completed" -> ProviderJobState.SUCCEEDED;
      case "Failed" -> ProviderJobState.FAILED;
      default -> ProviderJobState.UNKNOWN;
    };
  }

  /** {@code statusDetails} in words: "validation Completed, data processing ..., training ...". */
  static String detail(StatusDetails details) {
    if (details == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (details.validationDetails() != null) {
      parts.add("validation " + details.validationDetails().statusAsString());
    }
    if (details.dataProcessingDetails() != null) {
      parts.add("data processing " + details.dataProcessingDetails().statusAsString());
    }
    if (details.trainingDetails() != null) {
      parts.add("training " + details.trainingDetails().statusAsString());
    }
    return parts.isEmpty() ? null : String.join(", ", parts);
  }

  private static boolean notStarted(StatusDetails details) {
    return details != null
        && details.trainingDetails() != null
        && "NotStarted".equals(details.trainingDetails().statusAsString());
  }

  private static java.time.Instant trainingStart(StatusDetails details) {
    if (details == null || details.trainingDetails() == null || notStarted(details)) {
      return null;
    }
    return details.trainingDetails().creationTime();
  }
}
