package dev.tuning.operator.provider.bedrock;

import dev.tuning.operator.api.v1alpha1.BedrockSpec;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.provider.CommonSpec;
import dev.tuning.operator.provider.JobRequest;
import dev.tuning.operator.provider.ProviderException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Bedrock customization job as this provider reads it from a TuningJob: the common spec and
 * {@code spec.bedrock}, read and checked once by {@link BedrockProvider#prepare}.
 *
 * @param region an AWS Region name, checked against {@link #REGION} so it never forms a foreign
 *     host name ({@code Region.of("evil.example")} would)
 * @param customizationType FINE_TUNING, CONTINUED_PRE_TRAINING, DISTILLATION or, from {@code
 *     method: reinforcement}, REINFORCEMENT_FINE_TUNING
 */
record BedrockRequest(
    CommonSpec job,
    String region,
    String roleArn,
    String outputDataUri,
    String customizationType,
    String kmsKeyId,
    List<String> subnetIds,
    List<String> securityGroupIds,
    Map<String, String> hyperParameters,
    String teacherModelIdentifier,
    Integer maxResponseLengthForInference,
    String lambdaGraderArn,
    Map<String, String> reinforcementHyperParameters)
    implements JobRequest {

  /** AWS Region names: letters, dashes, one digit at the end. No dots, so never a host suffix. */
  static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]$");

  BedrockRequest {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(region, "region");
    subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
    securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
    hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
    reinforcementHyperParameters =
        reinforcementHyperParameters == null ? Map.of() : Map.copyOf(reinforcementHyperParameters);
  }

  /** {@code spec.bedrock} with a region, role and output location. */
  static BedrockRequest of(TuningJobSpec spec) throws ProviderException {
    BedrockSpec bedrock = spec.getBedrock();
    if (bedrock == null
        || bedrock.getRegion() == null
        || bedrock.getRoleArn() == null
        || bedrock.getOutputDataUri() == null) {
      throw invalid("spec.bedrock with region, roleArn and outputDataUri is required");
    }
    if (!REGION.matcher(bedrock.getRegion()).matches()) {
      throw invalid("spec.bedrock.region is not an AWS Region name (e.g. us-east-1)");
    }
    CommonSpec job = CommonSpec.of(spec);
    String type =
        switch (job.method()) {
          case REINFORCEMENT -> "REINFORCEMENT_FINE_TUNING";
          case PREFERENCE -> throw invalid("method preference is not available on Amazon Bedrock");
          default ->
              bedrock.getCustomizationType() == null
                  ? "FINE_TUNING"
                  : bedrock.getCustomizationType().name();
        };
    var vpc = bedrock.getVpcConfig();
    var distillation = bedrock.getDistillation();
    var rl = bedrock.getReinforcement();
    return new BedrockRequest(
        job,
        bedrock.getRegion(),
        bedrock.getRoleArn(),
        bedrock.getOutputDataUri(),
        type,
        bedrock.getKmsKeyId(),
        vpc == null ? null : vpc.getSubnetIds(),
        vpc == null ? null : vpc.getSecurityGroupIds(),
        bedrock.getHyperParameters(),
        distillation == null ? null : distillation.getTeacherModelIdentifier(),
        distillation == null ? null : distillation.getMaxResponseLengthForInference(),
        rl == null ? null : rl.getLambdaGraderArn(),
        rl == null ? null : rl.getHyperParameters());
  }

  static ProviderException invalid(String message) {
    return ProviderException.invalidSpec(message);
  }
}
