package dev.tuning.e2e.emulator;

import static dev.tuning.e2e.emulator.BedrockSdk.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelCustomizationJobRequest.Builder;
import software.amazon.awssdk.services.bedrock.model.CustomizationType;
import software.amazon.awssdk.services.bedrock.model.GetModelCustomizationJobResponse;
import software.amazon.awssdk.services.bedrock.model.OutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.bedrock.model.TooManyTagsException;
import software.amazon.awssdk.services.bedrock.model.ValidationException;
import software.amazon.awssdk.services.bedrock.model.Validator;

class BedrockEmulatorValidationTest {

  private final BedrockEmulator emulator = new BedrockEmulator(EmulatorConfig.defaults());
  private final BedrockClient bedrock = BedrockSdk.client(emulator);

  @AfterEach
  void close() {
    bedrock.close();
    emulator.close();
  }

  private static Arguments invalid(String member, String constraint, UnaryOperator<Builder> edit) {
    return Arguments.of(member, constraint, edit);
  }

  static Stream<Arguments> invalidRequests() {
    List<Tag> tags =
        List.of(
            Tag.builder().key("").value("x").build(),
            Tag.builder().key("ok").value("bad!value").build());
    Validator val = Validator.builder().s3Uri("s3://ml-data/val.jsonl").build();
    return Stream.of(
        invalid("jobName", "regular expression pattern", b -> b.jobName("-starts-with-dash")),
        invalid("jobName", "less than or equal to 63", b -> b.jobName("j".repeat(64))),
        invalid("customModelName", "pattern", b -> b.customModelName("bot--v3")),
        invalid("customModelName", "pattern", b -> b.customModelName("bot.v3")),
        invalid("roleArn", "pattern", b -> b.roleArn("arn:aws:iam::123456789012:user/me")),
        invalid("roleArn", "must not be null", b -> b.roleArn(null)),
        invalid("clientRequestToken", "pattern", b -> b.clientRequestToken("tok_en")),
        invalid("clientRequestToken", "pattern", b -> b.clientRequestToken("-token")),
        invalid("baseModelIdentifier", "pattern", b -> b.baseModelIdentifier("Nova Micro")),
        invalid("customizationType", "enum value set", b -> b.customizationType("SUPERVISED")),
        invalid("customModelKmsKeyId", "pattern", b -> b.customModelKmsKeyId("my-key")),
        invalid(
            "trainingDataConfig.s3Uri",
            "pattern",
            b -> b.trainingDataConfig(t -> t.s3Uri("gs://ml-data/train.jsonl"))),
        invalid(
            "validationDataConfig.validators",
            "less than or equal to 10",
            b -> b.validationDataConfig(v -> v.validators(Collections.nCopies(11, val)))),
        invalid(
            "outputDataConfig.s3Uri",
            "pattern",
            b -> b.outputDataConfig(o -> o.s3Uri("s3://Upper-Case-Bucket/out/"))),
        invalid(
            "outputDataConfig",
            "must not be null",
            b -> b.outputDataConfig((OutputDataConfig) null)),
        invalid("outputDataConfig.s3Uri", "must not be null", b -> b.outputDataConfig(o -> {})),
        invalid("jobTags.1.member.key", "greater than or equal to 1", b -> b.jobTags(tags)),
        invalid("jobTags.2.member.value", "pattern", b -> b.jobTags(tags)),
        invalid(
            "vpcConfig.subnetIds",
            "less than or equal to 16",
            b ->
                b.vpcConfig(
                    v ->
                        v.subnetIds(Collections.nCopies(17, "subnet-0a1b2c"))
                            .securityGroupIds("sg-0d4e5f"))),
        invalid(
            "vpcConfig.securityGroupIds",
            "greater than or equal to 1",
            b -> b.vpcConfig(v -> v.subnetIds("subnet-0a1b2c").securityGroupIds(List.of()))),
        invalid(
            "vpcConfig.subnetIds.1.member",
            "pattern",
            b -> b.vpcConfig(v -> v.subnetIds("subnet_0a1b2c").securityGroupIds("sg-0d4e5f"))));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidRequests")
  void shouldRefuseAnInvalidMemberNamingIt(
      String member, String constraint, UnaryOperator<Builder> edit) {
    assertThatThrownBy(() -> bedrock.createModelCustomizationJob(edit.apply(create("job")).build()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("at '" + member + "' failed to satisfy constraint: Member must")
                  .contains(constraint);
            });
    assertThat(emulator.jobCount()).isZero();
  }

  @Test
  void shouldReportEveryViolationAtOnceInTheAwsWording() {
    assertThatThrownBy(
            () ->
                bedrock.createModelCustomizationJob(
                    create("bad name").customModelName("bad name").build()))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).awsErrorDetails().errorMessage())
        .isEqualTo(
            "2 validation errors detected: Value 'bad name' at 'jobName' failed to satisfy"
                + " constraint: Member must satisfy regular expression pattern:"
                + " [a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*; Value 'bad name' at 'customModelName'"
                + " failed to satisfy constraint: Member must satisfy regular expression pattern:"
                + " ([0-9a-zA-Z][_-]?){1,63}");
  }

  @Test
  void shouldRefuseMoreThanFiftyTagsPerResource() {
    List<Tag> many =
        IntStream.range(0, 51)
            .mapToObj(i -> Tag.builder().key("k" + i).value("v").build())
            .toList();

    assertThatThrownBy(
            () -> bedrock.createModelCustomizationJob(create("tags").jobTags(many).build()))
        .isInstanceOfSatisfying(
            TooManyTagsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThatThrownBy(
            () ->
                bedrock.createModelCustomizationJob(
                    create("tags").customModelTags(Collections.nCopies(201, many.get(0))).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'customModelTags'");
  }

  @Test
  void shouldRequireTheConfigOfDistillationAndEchoIt() {
    assertThatThrownBy(
            () ->
                bedrock.createModelCustomizationJob(
                    create("distill").customizationType(CustomizationType.DISTILLATION).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("distillationConfig");

    String arn =
        bedrock
            .createModelCustomizationJob(
                create("distill")
                    .customizationType(CustomizationType.DISTILLATION)
                    .customizationConfig(
                        c ->
                            c.distillationConfig(
                                d ->
                                    d.teacherModelConfig(
                                        t ->
                                            t.teacherModelIdentifier("amazon.nova-pro-v1:0")
                                                .maxResponseLengthForInference(1000))))
                    .customModelKmsKeyId("alias/ml-tuning")
                    .build())
            .jobArn();

    GetModelCustomizationJobResponse job =
        bedrock.getModelCustomizationJob(r -> r.jobIdentifier(arn));
    assertThat(job.customizationType()).isEqualTo(CustomizationType.DISTILLATION);
    assertThat(
            job.customizationConfig()
                .distillationConfig()
                .teacherModelConfig()
                .maxResponseLengthForInference())
        .isEqualTo(1000);
    assertThat(job.outputModelKmsKeyArn()).matches("arn:aws:kms:us-east-1:123456789012:key/.{36}");
  }

  @Test
  void shouldAcceptPlusAndDotInJobNamesAndDecodeOnlyPercentEscapes() {
    bedrock.createModelCustomizationJob(create("a+b.c").build());

    assertThat(bedrock.getModelCustomizationJob(r -> r.jobIdentifier("a+b.c")).jobName())
        .isEqualTo("a+b.c");
    Reply literalPlus =
        BedrockSdk.raw().get(emulator.baseUrl() + "/model-customization-jobs/a+b.c");
    assertThat(literalPlus.code()).isEqualTo(200);
    assertThat(literalPlus.json().get("jobName").asText()).isEqualTo("a+b.c");
  }

  @Test
  void shouldRefuseWhatTheSdkCannotSend() {
    String jobs = emulator.baseUrl() + "/model-customization-jobs";
    EmulatorHttp raw = BedrockSdk.raw();

    Reply notJson = raw.post(jobs, "jobName=x");
    Reply number =
        raw.post(
            jobs,
            "{\"jobName\":\"j\",\"customModelName\":\"m\",\"roleArn\":\""
                + BedrockSdk.ROLE
                + "\",\"baseModelIdentifier\":\"amazon.nova-micro-v1:0:128k\","
                + "\"trainingDataConfig\":{},\"outputDataConfig\":{\"s3Uri\":\"s3://out-bucket/\"},"
                + "\"hyperParameters\":{\"epochCount\":2}}");
    Reply noData =
        raw.post(
            jobs,
            "{\"jobName\":\"j\",\"customModelName\":\"m\",\"roleArn\":\""
                + BedrockSdk.ROLE
                + "\",\"baseModelIdentifier\":\"amazon.nova-micro-v1:0:128k\","
                + "\"trainingDataConfig\":{},\"outputDataConfig\":{\"s3Uri\":\"s3://out-bucket/\"}}");

    assertThat(notJson.code()).isEqualTo(400);
    assertThat(notJson.headers().get("x-amzn-ErrorType")).isEqualTo("SerializationException");
    assertThat(number.code()).isEqualTo(400);
    assertThat(number.json().get("message").asText())
        .isEqualTo(
            "1 validation error detected: Value 2 at 'hyperParameters.epochCount' failed to"
                + " satisfy constraint: Member must be a string");
    assertThat(noData.json().get("message").asText())
        .contains("trainingDataConfig must specify either s3Uri or invocationLogsConfig");
    assertThat(emulator.jobCount()).isZero();
  }
}
