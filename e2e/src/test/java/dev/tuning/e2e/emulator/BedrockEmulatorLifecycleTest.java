package dev.tuning.e2e.emulator;

import static dev.tuning.e2e.emulator.BedrockSdk.UID;
import static dev.tuning.e2e.emulator.BedrockSdk.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.ConflictException;
import software.amazon.awssdk.services.bedrock.model.GetModelCustomizationJobResponse;
import software.amazon.awssdk.services.bedrock.model.JobStatusDetails;
import software.amazon.awssdk.services.bedrock.model.ModelCustomizationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.StatusDetails;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

class BedrockEmulatorLifecycleTest {

  private static final String JOB_ARN =
      "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/"
          + "amazon\\.nova-micro-v1:0:128k/[a-z0-9]{12}";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T09:00:03.512Z"));
  private final BedrockEmulator emulator =
      new BedrockEmulator(
          EmulatorConfig.defaults()
              .withClock(clock)
              .withValidating(Duration.ofSeconds(10))
              .withQueued(Duration.ofSeconds(20))
              .withRunning(Duration.ofSeconds(60))
              .withCancelling(Duration.ofSeconds(5)));
  private final BedrockClient bedrock = BedrockSdk.client(emulator);
  private final Instant t0 = clock.instant();

  @AfterEach
  void close() {
    bedrock.close();
    emulator.close();
  }

  private String createJob(String name) {
    return bedrock.createModelCustomizationJob(create(name).build()).jobArn();
  }

  private GetModelCustomizationJobResponse get(String identifier) {
    return bedrock.getModelCustomizationJob(r -> r.jobIdentifier(identifier));
  }

  private static JobStatusDetails[] details(StatusDetails d) {
    return new JobStatusDetails[] {
      d.validationDetails().status(),
      d.dataProcessingDetails().status(),
      d.trainingDetails().status()
    };
  }

  @Test
  void shouldMoveThroughValidationDataProcessingAndTrainingToCompleted() {
    String arn = createJob("ml-support-bot-" + UID);

    assertThat(arn).matches(JOB_ARN);
    assertThat(emulator.creates()).hasSize(1);
    GetModelCustomizationJobResponse job = get("ml-support-bot-" + UID);
    assertThat(job.jobArn()).isEqualTo(arn);
    assertThat(job.status()).isEqualTo(ModelCustomizationJobStatus.IN_PROGRESS);
    assertThat(details(job.statusDetails()))
        .containsExactly(
            JobStatusDetails.IN_PROGRESS,
            JobStatusDetails.NOT_STARTED,
            JobStatusDetails.NOT_STARTED);
    assertThat(job.statusDetails().trainingDetails().creationTime()).isNull();
    assertThat(job.creationTime()).isEqualTo(t0);
    assertThat(job.lastModifiedTime()).isEqualTo(t0);
    assertThat(job.endTime()).isNull();
    assertThat(job.outputModelArn()).isNull();
    assertThat(job.outputModelName()).isEqualTo("support-bot-v3");
    assertThat(job.clientRequestToken()).isEqualTo(UID);
    assertThat(job.roleArn()).isEqualTo(BedrockSdk.ROLE);
    assertThat(job.baseModelArn())
        .isEqualTo("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0:128k");
    assertThat(job.hyperParameters()).containsEntry("learningRateWarmupSteps", "10");
    assertThat(job.trainingDataConfig().s3Uri())
        .isEqualTo("s3://ml-tuning-data/support-bot/train.jsonl");
    assertThat(job.validationDataConfig().validators()).hasSize(1);
    assertThat(job.outputDataConfig().s3Uri()).isEqualTo("s3://ml-tuning-output/support-bot/");
    assertThat(job.customizationTypeAsString()).isEqualTo("FINE_TUNING");
    assertThat(job.trainingMetrics()).isNull();

    clock.advance(Duration.ofSeconds(10));
    assertThat(details(get(arn).statusDetails()))
        .containsExactly(
            JobStatusDetails.COMPLETED, JobStatusDetails.IN_PROGRESS, JobStatusDetails.NOT_STARTED);

    clock.advance(Duration.ofSeconds(20));
    GetModelCustomizationJobResponse training = get(arn);
    assertThat(training.status()).isEqualTo(ModelCustomizationJobStatus.IN_PROGRESS);
    assertThat(training.statusDetails().trainingDetails().status())
        .isEqualTo(JobStatusDetails.IN_PROGRESS);
    assertThat(training.statusDetails().trainingDetails().creationTime())
        .isEqualTo(t0.plusSeconds(30));
    assertThat(training.lastModifiedTime()).isEqualTo(t0.plusSeconds(30));

    clock.advance(Duration.ofSeconds(60));
    GetModelCustomizationJobResponse done = get(arn);
    assertThat(done.status()).isEqualTo(ModelCustomizationJobStatus.COMPLETED);
    assertThat(details(done.statusDetails())).containsOnly(JobStatusDetails.COMPLETED);
    assertThat(done.endTime()).isEqualTo(t0.plusSeconds(90));
    assertThat(done.lastModifiedTime()).isEqualTo(t0.plusSeconds(90));
    assertThat(done.outputModelArn())
        .matches(
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/"
                + "amazon\\.nova-micro-v1:0:128k/[a-z0-9]{12}");
    assertThat(done.trainingMetrics().trainingLoss()).isBetween(0.2f, 0.4f);
    assertThat(done.validationMetrics()).hasSize(1);
    assertThat(done.validationMetrics().get(0).validationLoss())
        .isGreaterThan(done.trainingMetrics().trainingLoss());
  }

  @Test
  void shouldRenderTimesAsIsoWithMillisecondsLikeAws() {
    String arn = createJob("times");
    clock.advance(Duration.ofMillis(90_262));

    Reply raw = BedrockSdk.raw().get(emulator.baseUrl() + "/model-customization-jobs/times");

    assertThat(raw.code()).isEqualTo(200);
    assertThat(raw.headers().get("x-amzn-RequestId")).isNotBlank();
    JsonNode job = raw.json();
    assertThat(job.get("jobArn").asText()).isEqualTo(arn);
    assertThat(job.get("creationTime").asText()).isEqualTo("2026-11-20T09:00:03.512Z");
    assertThat(job.get("endTime").asText()).isEqualTo("2026-11-20T09:01:33.512Z");
    assertThat(job.at("/statusDetails/trainingDetails/creationTime").asText())
        .isEqualTo("2026-11-20T09:00:33.512Z");
    assertThat(job.at("/trainingMetrics/trainingLoss").isNumber()).isTrue();
  }

  @Test
  void shouldFindAJobByItsPercentEncodedArn() {
    String arn = createJob("by-arn");

    GetModelCustomizationJobResponse job = get(arn);

    assertThat(job.jobName()).isEqualTo("by-arn");
    RecordedRequest sent = emulator.requests().all().get(1);
    assertThat(sent.path()).contains("%3A").contains("%2F").doesNotContain("arn:aws");
    // another last character than the job's own (the random id may end in '0')
    String other = arn.substring(0, arn.length() - 1) + (arn.endsWith("0") ? "1" : "0");
    assertThatThrownBy(() -> get(other))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> get("missing-job")).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void shouldFailAfterValidationWithTheConfiguredMessage() {
    try (BedrockEmulator failing =
            new BedrockEmulator(
                EmulatorConfig.defaults().withClock(clock),
                BedrockOptions.defaults().withFailureMessage("line 3 is not valid JSON"));
        BedrockClient client = BedrockSdk.client(failing)) {
      String arn =
          client
              .createModelCustomizationJob(
                  create("will-fail")
                      .trainingDataConfig(t -> t.s3Uri("s3://ml-tuning-data/fail/train.jsonl"))
                      .build())
              .jobArn();
      clock.advance(Duration.ofSeconds(2));

      GetModelCustomizationJobResponse job =
          client.getModelCustomizationJob(r -> r.jobIdentifier(arn));

      assertThat(job.status()).isEqualTo(ModelCustomizationJobStatus.FAILED);
      assertThat(job.failureMessage()).isEqualTo("line 3 is not valid JSON");
      assertThat(job.endTime()).isEqualTo(t0.plusSeconds(2));
      assertThat(details(job.statusDetails()))
          .containsExactly(
              JobStatusDetails.FAILED, JobStatusDetails.NOT_STARTED, JobStatusDetails.NOT_STARTED);
      assertThat(job.outputModelArn()).isNull();
      assertThat(job.trainingMetrics()).isNull();
    }
  }

  @Test
  void shouldStopOnlyWhileInProgressThroughStoppingToStopped() {
    String arn = createJob("to-stop");
    clock.advance(Duration.ofSeconds(40));

    bedrock.stopModelCustomizationJob(r -> r.jobIdentifier(arn));

    GetModelCustomizationJobResponse stopping = get(arn);
    assertThat(stopping.status()).isEqualTo(ModelCustomizationJobStatus.STOPPING);
    assertThat(details(stopping.statusDetails()))
        .containsExactly(
            JobStatusDetails.COMPLETED, JobStatusDetails.COMPLETED, JobStatusDetails.STOPPING);
    assertThat(emulator.cancels()).hasSize(1);
    assertThatThrownBy(() -> bedrock.stopModelCustomizationJob(r -> r.jobIdentifier(arn)))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.statusCode()).isEqualTo(400));

    clock.advance(Duration.ofSeconds(5));
    GetModelCustomizationJobResponse stopped = get(arn);
    assertThat(stopped.status()).isEqualTo(ModelCustomizationJobStatus.STOPPED);
    assertThat(stopped.statusDetails().trainingDetails().status())
        .isEqualTo(JobStatusDetails.STOPPED);
    assertThat(stopped.endTime()).isEqualTo(t0.plusSeconds(45));
    assertThat(stopped.outputModelArn()).isNull();
    assertThatThrownBy(() -> bedrock.stopModelCustomizationJob(r -> r.jobIdentifier("to-stop")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("Stopped");
  }

  @Test
  void shouldRefuseToStopACompletedJob() {
    createJob("finished");
    clock.advance(Duration.ofMinutes(5));

    assertThatThrownBy(() -> bedrock.stopModelCustomizationJob(r -> r.jobIdentifier("finished")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("Completed");
  }

  @Test
  void shouldListTheTagsOfTheJobAndOfItsCustomModel() {
    String arn =
        bedrock
            .createModelCustomizationJob(
                create("tagged")
                    .customModelTags(Tag.builder().key("team").value("ml").build())
                    .build())
            .jobArn();

    assertThat(bedrock.listTagsForResource(r -> r.resourceARN(arn)).tags())
        .containsExactly(
            Tag.builder().key("tuningjob-uid").value(UID).build(),
            Tag.builder().key("tuning.dev/namespace").value("ml").build());
    clock.advance(Duration.ofMinutes(5));
    String model = get(arn).outputModelArn();
    assertThat(bedrock.listTagsForResource(r -> r.resourceARN(model)).tags())
        .containsExactly(Tag.builder().key("team").value("ml").build());
    assertThatThrownBy(() -> bedrock.listTagsForResource(r -> r.resourceARN(arn + "x")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void shouldAnswerARepeatedTokenWithTheFirstJobAndRefuseAReusedName() {
    String first = createJob("ml-once");

    String again =
        bedrock.createModelCustomizationJob(create("ml-once-other-name").build()).jobArn();
    assertThat(again).isEqualTo(first);
    assertThat(emulator.jobCount()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5)); // completed jobs keep their name for ever
    assertThatThrownBy(
            () ->
                bedrock.createModelCustomizationJob(
                    create("ml-once").clientRequestToken("another-token").build()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("The provided job name is currently in use.");
            });
    assertThat(emulator.jobsByTag()).isEqualTo(Map.of(UID, 1L));
    assertThat(emulator.creates()).hasSize(3);
  }

  @Test
  void shouldKeepJobsApartByRegion() {
    String east = createJob("regional");
    try (BedrockClient west = BedrockSdk.client(emulator, b -> b.region(Region.US_WEST_2))) {
      assertThatThrownBy(() -> west.getModelCustomizationJob(r -> r.jobIdentifier("regional")))
          .isInstanceOf(ResourceNotFoundException.class);

      String westArn = west.createModelCustomizationJob(create("regional").build()).jobArn();

      assertThat(westArn).startsWith("arn:aws:bedrock:us-west-2:123456789012:");
      assertThat(westArn).isNotEqualTo(east);
      assertThat(west.listModelCustomizationJobs(r -> {}).modelCustomizationJobSummaries())
          .hasSize(1);
    }
    assertThat(emulator.jobCount()).isEqualTo(2);
  }
}
