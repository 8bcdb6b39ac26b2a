package dev.tuning.e2e.emulator;

import static dev.tuning.e2e.emulator.BedrockSdk.UID;
import static dev.tuning.e2e.emulator.BedrockSdk.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.e2e.emulator.Faults.Operation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.InternalServerException;
import software.amazon.awssdk.services.bedrock.model.ModelCustomizationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrock.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrock.model.ThrottlingException;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

class BedrockEmulatorFaultsTest {

  private final MutableClock clock = new MutableClock();
  private final BedrockEmulator emulator =
      new BedrockEmulator(EmulatorConfig.defaults().withClock(clock));
  private final BedrockClient noRetry = BedrockSdk.noRetry(emulator);

  @AfterEach
  void close() {
    noRetry.close();
    emulator.close();
  }

  @Test
  void shouldMapEachFaultToTheSdkExceptionOfItsShape() {
    emulator
        .faults()
        .enqueue(
            Operation.CREATE,
            Fault.rateLimit(1),
            Fault.serverError(500),
            Fault.serverError(503),
            Fault.dailyRateLimit(60));

    assertThatThrownBy(() -> noRetry.createModelCustomizationJob(create("f").build()))
        .isInstanceOfSatisfying(
            ThrottlingException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(429);
              assertThat(e.isThrottlingException()).isTrue();
              assertThat(e.requestId()).isNotBlank();
            });
    assertThatThrownBy(() -> noRetry.createModelCustomizationJob(create("f").build()))
        .isInstanceOfSatisfying(
            InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThatThrownBy(() -> noRetry.createModelCustomizationJob(create("f").build()))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThatThrownBy(() -> noRetry.createModelCustomizationJob(create("f").build()))
        .isInstanceOfSatisfying(
            ServiceQuotaExceededException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(emulator.jobCount()).isZero();
  }

  @Test
  void shouldAnswerNotFoundOrAnUnparsableBodyForAJobThatExists() {
    noRetry.createModelCustomizationJob(create("lagging").build());
    emulator.faults().enqueue(Operation.GET, Fault.notFound(), Fault.malformedJson());

    assertThatThrownBy(() -> noRetry.getModelCustomizationJob(r -> r.jobIdentifier("lagging")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> noRetry.getModelCustomizationJob(r -> r.jobIdentifier("lagging")))
        .isInstanceOf(SdkClientException.class);
    assertThat(noRetry.getModelCustomizationJob(r -> r.jobIdentifier("lagging")).status())
        .isEqualTo(ModelCustomizationJobStatus.IN_PROGRESS);
  }

  @Test
  void shouldLandACreateAnsweredWithA500AndDeduplicateTheSdkRetryByToken() {
    emulator.faults().enqueue(Operation.CREATE, Fault.errorAfter(500));

    try (BedrockClient retrying = BedrockSdk.client(emulator)) {
      String arn = retrying.createModelCustomizationJob(create("ml-bot-" + UID).build()).jobArn();

      assertThat(retrying.getModelCustomizationJob(r -> r.jobIdentifier(arn)).jobName())
          .isEqualTo("ml-bot-" + UID);
    }
    assertThat(emulator.creates()).hasSize(2);
    assertThat(emulator.creates().get(1).header("amz-sdk-request")).startsWith("attempt=2;");
    assertThat(emulator.jobCount()).isEqualTo(1);
    assertThat(emulator.jobsByTag()).isEqualTo(Map.of(UID, 1L));
  }

  @Test
  void shouldLandACreateWhoseReplyTimesOutAndNeverDuplicateIt() {
    emulator.faults().enqueue(Operation.CREATE, Fault.replyLate(Duration.ofSeconds(2)));

    try (BedrockClient impatient =
        BedrockSdk.client(
            emulator,
            b ->
                b.overrideConfiguration(
                    o ->
                        o.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(Duration.ofMillis(500))))) {
      assertThatThrownBy(() -> impatient.createModelCustomizationJob(create("slow").build()))
          .isInstanceOf(ApiCallTimeoutException.class);
    }

    // The job exists although the caller never heard so: a lookup by name finds it, the same
    // token returns it, and a fresh token is refused by name.
    String arn = noRetry.getModelCustomizationJob(r -> r.jobIdentifier("slow")).jobArn();
    assertThat(noRetry.createModelCustomizationJob(create("slow").build()).jobArn()).isEqualTo(arn);
    assertThatThrownBy(
            () ->
                noRetry.createModelCustomizationJob(
                    create("slow").clientRequestToken("a-new-token").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("The provided job name is currently in use.");
    assertThat(emulator.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldLandACreateWhoseConnectionDrops() {
    emulator.faults().enqueue(Operation.CREATE, Fault.dropAfter());

    assertThatThrownBy(() -> noRetry.createModelCustomizationJob(create("dropped").build()))
        .isInstanceOf(SdkClientException.class);

    assertThat(emulator.jobCount()).isEqualTo(1);
    assertThat(
            noRetry
                .listModelCustomizationJobs(r -> r.nameContains("dropped"))
                .hasModelCustomizationJobSummaries())
        .isTrue();
  }

  @Test
  void shouldTakeTagFaultsAndTheFailMarkerFromTheAdminEndpoint() {
    EmulatorHttp.anonymous()
        .post(
            emulator.rootUrl() + "/_emulator/faults",
            "{\"faults\":[{\"operation\":\"tags\",\"kind\":\"server_error\",\"status\":503},"
                + "{\"operation\":\"cancel\",\"kind\":\"rate_limit\"}],\"failMarker\":\"corrupt\"}");
    String arn =
        noRetry
            .createModelCustomizationJob(
                create("marked")
                    .trainingDataConfig(t -> t.s3Uri("s3://ml-data/corrupt.jsonl"))
                    .build())
            .jobArn();

    assertThatThrownBy(() -> noRetry.listTagsForResource(r -> r.resourceARN(arn)))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThatThrownBy(() -> noRetry.stopModelCustomizationJob(r -> r.jobIdentifier(arn)))
        .isInstanceOf(ThrottlingException.class);
    clock.advance(Duration.ofSeconds(2));
    assertThat(noRetry.getModelCustomizationJob(r -> r.jobIdentifier(arn)).status())
        .isEqualTo(ModelCustomizationJobStatus.FAILED);
    assertThat(noRetry.listTagsForResource(r -> r.resourceARN(arn)).tags()).hasSize(2);
  }

  @Test
  void shouldForgetJobsRequestsAndFaultsOnReset() {
    noRetry.createModelCustomizationJob(create("before-reset").build());
    emulator.faults().enqueue(Operation.GET, Fault.serverError(500));

    EmulatorHttp.anonymous().post(emulator.rootUrl() + "/_emulator/reset", "{}");

    assertThat(emulator.jobCount()).isZero();
    assertThat(emulator.requests().all()).isEmpty();
    assertThat(emulator.faults().next(Operation.GET)).isEmpty();
    // a name is reusable only because the whole emulator was reset
    noRetry.createModelCustomizationJob(create("before-reset").build());
  }
}
