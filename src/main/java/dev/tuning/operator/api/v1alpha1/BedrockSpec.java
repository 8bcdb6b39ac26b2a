package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Amazon Bedrock model customization settings. Required when {@code provider: bedrock}. Patterns
 * are the API model's, anchored (docs/providers/bedrock.md section 2).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.customizationType) || self.customizationType != 'DISTILLATION' ||"
            + " has(self.distillation)",
    message = "spec.bedrock.distillation is required when customizationType is DISTILLATION",
    fieldPath = ".distillation")
@ValidationRule(
    value =
        "!has(self.distillation) || (has(self.customizationType) &&"
            + " self.customizationType == 'DISTILLATION')",
    message = "spec.bedrock.distillation is only allowed when customizationType is DISTILLATION",
    fieldPath = ".distillation")
@ValidationRule(
    value =
        "!has(self.hyperParameters) || self.hyperParameters.all(k,"
            + " k.matches('^[A-Za-z][A-Za-z0-9]{0,63}$'))",
    message =
        "spec.bedrock.hyperParameters keys are 1 to 64 letters and digits, starting with a"
            + " letter",
    fieldPath = ".hyperParameters")
public class BedrockSpec {

  /** The API model's S3 URI pattern, anchored, as a CEL string literal. */
  static final String S3_URI =
      "'^s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](/[-!_*\\'().a-zA-Z0-9]+)*/?$'";

  /** What Bedrock trains; reinforcement fine-tuning comes from {@code method: reinforcement}. */
  public enum CustomizationType {
    FINE_TUNING,
    CONTINUED_PRE_TRAINING,
    DISTILLATION
  }

  @Required
  @Size(min = 9, max = 32)
  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]$")
  @JsonPropertyDescription(
      "AWS Region of the job, e.g. us-east-1; must be one the operator serves (BEDROCK_REGIONS).")
  private String region;

  @Required
  @Size(min = 1, max = 2048)
  @Pattern("^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+$")
  @JsonPropertyDescription(
      "IAM service role Bedrock assumes to read the training data and write the output.")
  private String roleArn;

  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](/[-!_*'().a-zA-Z0-9]+)*/?$")
  @JsonPropertyDescription("S3 URI (s3://bucket/prefix/) where Bedrock writes the job's output.")
  private String outputDataUri;

  @JsonPropertyDescription(
      "FINE_TUNING (default), CONTINUED_PRE_TRAINING or DISTILLATION. Reinforcement fine-tuning"
          + " is method: reinforcement.")
  private CustomizationType customizationType;

  @Size(min = 1, max = 2048)
  @Pattern(
      "^((arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:"
          + "((key/[a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)))"
          + "|([a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+))$")
  @JsonPropertyDescription("KMS key (ARN, key id or alias/...) that encrypts the custom model.")
  private String kmsKeyId;

  @JsonPropertyDescription("VPC the job's data access runs in.")
  private VpcConfig vpcConfig;

  @JsonPropertyDescription(
      "Secret with the AWS access key: key secretAccessKey (or the key named here) plus"
          + " accessKeyId and, for temporary credentials, sessionToken. Without it the operator's"
          + " own identity (IRSA or EKS Pod Identity) is used, if enabled.")
  private SecretKeyRef credentialsSecretRef;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Model-family hyperparameters passed to Bedrock as written (e.g. learningRate,"
          + " learningRateWarmupSteps); keys also set by spec.hyperparameters are refused.")
  private Map<String, @Size(min = 1, max = 64) String> hyperParameters;

  @JsonPropertyDescription("Teacher model of a DISTILLATION job.")
  private Distillation distillation;

  @JsonPropertyDescription("Lambda grader of a reinforcement fine-tuning job.")
  private Reinforcement reinforcement;

  /** Subnets and security groups of the job's VPC. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VpcConfig {
    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Subnet ids (subnet-...) the job's network interfaces use.")
    private List<@Size(min = 1, max = 32) @Pattern("^[-0-9a-zA-Z]+$") String> subnetIds;

    @Required
    @Size(min = 1, max = 5)
    @JsonPropertyDescription("Security group ids (sg-...) of the job's network interfaces.")
    private List<@Size(min = 1, max = 32) @Pattern("^[-0-9a-zA-Z]+$") String> securityGroupIds;

    public List<String> getSubnetIds() {
      return subnetIds;
    }

    public void setSubnetIds(List<String> subnetIds) {
      this.subnetIds = subnetIds;
    }

    public List<String> getSecurityGroupIds() {
      return securityGroupIds;
    }

    public void setSecurityGroupIds(List<String> securityGroupIds) {
      this.securityGroupIds = securityGroupIds;
    }
  }

  /** The teacher of a distillation job. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Distillation {
    @Required
    @Size(min = 1, max = 2048)
    @JsonPropertyDescription("Teacher model id, ARN or inference profile.")
    private String teacherModelIdentifier;

    @Min(1)
    @Max(32768)
    @JsonPropertyDescription("Longest teacher response, in tokens.")
    private Integer maxResponseLengthForInference;

    public String getTeacherModelIdentifier() {
      return teacherModelIdentifier;
    }

    public void setTeacherModelIdentifier(String teacherModelIdentifier) {
      this.teacherModelIdentifier = teacherModelIdentifier;
    }

    public Integer getMaxResponseLengthForInference() {
      return maxResponseLengthForInference;
    }

    public void setMaxResponseLengthForInference(Integer maxResponseLengthForInference) {
      this.maxResponseLengthForInference = maxResponseLengthForInference;
    }
  }

  /** The grader of a reinforcement fine-tuning job. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Reinforcement {
    @Required
    @Size(min = 1, max = 2048)
    @Pattern(
        "^arn:aws(-[^:]+)?:lambda:[a-z0-9-]+:[0-9]{12}:function:"
            + "[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$")
    @JsonPropertyDescription("ARN of the Lambda function that grades responses.")
    private String lambdaGraderArn;

    @JsonPropertyDescription(
        "Reinforcement hyperparameters: epochCount, batchSize, learningRate, maxPromptLength,"
            + " trainingSamplePerPrompt, inferenceMaxTokens, reasoningEffort, evalInterval.")
    private Map<String, @Size(min = 1, max = 64) String> hyperParameters;

    public String getLambdaGraderArn() {
      return lambdaGraderArn;
    }

    public void setLambdaGraderArn(String lambdaGraderArn) {
      this.lambdaGraderArn = lambdaGraderArn;
    }

    public Map<String, String> getHyperParameters() {
      return hyperParameters;
    }

    public void setHyperParameters(Map<String, String> hyperParameters) {
      this.hyperParameters = hyperParameters;
    }
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getRoleArn() {
    return roleArn;
  }

  public void setRoleArn(String roleArn) {
    this.roleArn = roleArn;
  }

  public String getOutputDataUri() {
    return outputDataUri;
  }

  public void setOutputDataUri(String outputDataUri) {
    this.outputDataUri = outputDataUri;
  }

  public CustomizationType getCustomizationType() {
    return customizationType;
  }

  public void setCustomizationType(CustomizationType customizationType) {
    this.customizationType = customizationType;
  }

  public String getKmsKeyId() {
    return kmsKeyId;
  }

  public void setKmsKeyId(String kmsKeyId) {
    this.kmsKeyId = kmsKeyId;
  }

  public VpcConfig getVpcConfig() {
    return vpcConfig;
  }

  public void setVpcConfig(VpcConfig vpcConfig) {
    this.vpcConfig = vpcConfig;
  }

  public SecretKeyRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretKeyRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public Map<String, String> getHyperParameters() {
    return hyperParameters;
  }

  public void setHyperParameters(Map<String, String> hyperParameters) {
    this.hyperParameters = hyperParameters;
  }

  public Distillation getDistillation() {
    return distillation;
  }

  public void setDistillation(Distillation distillation) {
    this.distillation = distillation;
  }

  public Reinforcement getReinforcement() {
    return reinforcement;
  }

  public void setReinforcement(Reinforcement reinforcement) {
    this.reinforcement = reinforcement;
  }
}
