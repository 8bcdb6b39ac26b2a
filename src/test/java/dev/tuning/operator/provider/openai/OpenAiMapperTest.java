package dev.tuning.operator.provider.openai;

import static dev.tuning.operator.provider.openai.OpenAiFixtures.UID;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden job objects (after the official examples) mapped to {@link ProviderJob}. */
class OpenAiMapperTest {

  private static ProviderJob map(String file) throws IOException {
    return OpenAiMapper.toProviderJob(
        OpenAiMapper.JSON.readValue(resource(file), OpenAiWire.Job.class));
  }

  @Test
  void shouldMapQueuedJobWithResolvedHyperparametersAndTags() throws IOException {
    ProviderJob job = map("queued.json");

    assertThat(job.id()).isEqualTo("ftjob-abc123");
    assertThat(job.state()).isEqualTo(ProviderJobState.QUEUED);
    assertThat(job.rawState()).isEqualTo("queued");
    assertThat(job.createTime()).isEqualTo(Instant.ofEpochSecond(1721764800L));
    assertThat(job.startTime()).isNull();
    assertThat(job.endTime()).isNull();
    assertThat(job.estimatedFinish()).isNull();
    assertThat(job.tunedModel()).isNull();
    assertThat(job.trainedTokens()).isNull();
    assertThat(job.resultFiles()).isEmpty();
    assertThat(job.error()).as("all-null error fields are no error").isNull();
    assertThat(job.hyperparameters())
        .containsOnly(
            entry("batch_size", "auto"),
            entry("learning_rate_multiplier", "auto"),
            entry("n_epochs", "2"));
    assertThat(job.tags()).containsOnly(entry("team", "support"), entry("tuningjob-uid", UID));
  }

  @Test
  void shouldTreatEmptyErrorObjectOnHealthyJobAsNoError() throws IOException {
    ProviderJob job = map("validating-reinforcement.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.QUEUED);
    assertThat(job.rawState()).isEqualTo("validating_files");
    assertThat(job.error()).isNull();
    assertThat(job.tags()).isEmpty();
    assertThat(job.hyperparameters())
        .containsEntry("reasoning_effort", "medium")
        .containsEntry("compute_multiplier", "auto")
        .containsEntry("eval_interval", "auto")
        .containsEntry("eval_samples", "auto")
        .containsEntry("n_epochs", "auto")
        .hasSize(7);
  }

  @Test
  void shouldMapRunningJobWithEstimatedFinishAndNumericHyperparameters() throws IOException {
    ProviderJob job = map("running.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.RUNNING);
    assertThat(job.estimatedFinish()).isEqualTo(Instant.ofEpochSecond(1721768400L));
    assertThat(job.startTime()).as("OpenAI does not report a start time").isNull();
    assertThat(job.error()).isNull();
    assertThat(job.hyperparameters())
        .containsOnly(
            entry("batch_size", "8"),
            entry("learning_rate_multiplier", "0.5"),
            entry("n_epochs", "3"));
    assertThat(job.tags()).containsOnly(entry("tuningjob-uid", UID));
  }

  @Test
  void shouldMapSucceededJobWithModelTokensAndResultFiles() throws IOException {
    ProviderJob job = map("succeeded.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.SUCCEEDED);
    assertThat(job.state().isTerminal()).isTrue();
    assertThat(job.tunedModel()).isEqualTo("ft:davinci-002:my-org:custom_suffix:7q8mpxmy");
    assertThat(job.trainedTokens()).isEqualTo(5768L);
    assertThat(job.resultFiles()).containsExactly("file-abc123");
    assertThat(job.createTime()).isEqualTo(Instant.ofEpochSecond(1692661014L));
    assertThat(job.endTime()).isEqualTo(Instant.ofEpochSecond(1692661190L));
    assertThat(job.estimatedFinish()).as("estimated_finish 0 means none").isNull();
    assertThat(job.hyperparameters())
        .containsOnly(
            entry("n_epochs", "4"),
            entry("batch_size", "1"),
            entry("learning_rate_multiplier", "1.0"));
    assertThat(job.tags()).isEmpty();
  }

  @Test
  void shouldMapFailedJobErrorAndFallBackToLegacyHyperparameters() throws IOException {
    ProviderJob job = map("failed.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.FAILED);
    assertThat(job.endTime()).isEqualTo(Instant.ofEpochSecond(1721764950L));
    assertThat(job.error())
        .isEqualTo(
            new ProviderJob.Failure(
                "invalid_training_file",
                "The job failed due to an invalid training file. Invalid file format. Example 12,"
                    + " message 2: missing key 'content'.",
                "training_file"));
    assertThat(job.hyperparameters())
        .as("no method object: the legacy top-level hyperparameters")
        .containsOnly(
            entry("batch_size", "auto"),
            entry("learning_rate_multiplier", "auto"),
            entry("n_epochs", "auto"));
  }

  @Test
  void shouldMapCancelledJob() throws IOException {
    ProviderJob job = map("cancelled.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.CANCELLED);
    assertThat(job.endTime()).isEqualTo(Instant.ofEpochSecond(1721765000L));
    assertThat(job.error()).isNull();
    assertThat(job.hyperparameters()).isEmpty();
    assertThat(job.tags()).containsOnly(entry("tuningjob-uid", UID));
  }

  @Test
  void shouldMapPausedJobWithMissingOptionalFields() throws IOException {
    ProviderJob job = map("paused.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.PAUSED);
    assertThat(job.state().isTerminal()).isFalse();
    assertThat(job.error()).isNull();
    assertThat(job.hyperparameters()).isEmpty();
    assertThat(job.tags()).isEmpty();
  }

  @Test
  void shouldKeepUnknownStatusRawAndIgnoreUnknownFields() throws IOException {
    ProviderJob job = map("resuming.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.UNKNOWN);
    assertThat(job.rawState()).isEqualTo("resuming");
    assertThat(job.error()).isNull();
  }

  @Test
  void shouldReadDpoHyperparametersFromMethodWhenTopLevelIsNull() throws IOException {
    ProviderJob job = map("dpo-queued.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.QUEUED);
    assertThat(job.createTime()).isEqualTo(Instant.ofEpochSecond(1746130590L));
    assertThat(job.hyperparameters())
        .containsOnly(
            entry("beta", "0.1"),
            entry("batch_size", "auto"),
            entry("learning_rate_multiplier", "auto"),
            entry("n_epochs", "auto"));
  }

  @ParameterizedTest
  @CsvSource({
    "validating_files, QUEUED",
    "queued, QUEUED",
    "running, RUNNING",
    "pausing, PAUSED",
    "paused, PAUSED",
    "cancelling, CANCELLING",
    "succeeded, SUCCEEDED",
    "failed, FAILED",
    "cancelled, CANCELLED",
    "resuming, UNKNOWN",
    "pending, UNKNOWN",
    "'', UNKNOWN"
  })
  void shouldMapEveryStatus(String status, ProviderJobState expected) {
    assertThat(OpenAiMapper.state(status)).isEqualTo(expected);
  }

  @Test
  void shouldMapNullStatusToUnknown() {
    assertThat(OpenAiMapper.state(null)).isEqualTo(ProviderJobState.UNKNOWN);
  }

  @Test
  void shouldTreatErrorWithOnlyParamAsNoError() {
    var error = OpenAiFixtures.tree("{\"code\":null,\"message\":null,\"param\":\"training_file\"}");

    assertThat(OpenAiMapper.failure(error)).isNull();
    assertThat(OpenAiMapper.failure(OpenAiFixtures.tree("\"oops\""))).isNull();
  }

  // --- checkpoints to progress -------------------------------------------------------------------

  private static Optional<ProviderJob.Progress> progress(String file) throws IOException {
    return OpenAiMapper.toProgress(
        OpenAiMapper.JSON.readValue(resource(file), OpenAiWire.CheckpointList.class));
  }

  @Test
  void shouldMapTheNewestCheckpointPreferringTheFullValidationLoss() throws IOException {
    assertThat(progress("checkpoints.json")).contains(new ProviderJob.Progress(88L, 0.478, 0.567));
  }

  @Test
  void shouldFallBackToTheBatchValidationLossWithoutAFullOne() throws IOException {
    assertThat(progress("checkpoints-partial-metrics.json"))
        .contains(new ProviderJob.Progress(2000L, 0.291, 0.334));
  }

  @Test
  void shouldMapACheckpointWithoutMetricsToItsStepAlone() throws IOException {
    assertThat(progress("checkpoints-no-metrics.json"))
        .contains(new ProviderJob.Progress(1000L, null, null));
  }

  @Test
  void shouldReportNoProgressBeforeTheFirstCheckpoint() throws IOException {
    assertThat(progress("checkpoints-empty.json")).isEmpty();
  }

  @Test
  void shouldTakeTheStepFromTheMetricsWhenTheStepNumberIsMissing() throws IOException {
    var list =
        OpenAiMapper.JSON.readValue(
            """
            {"object":"list","has_more":false,
             "data":[{"id":"ftckpt_a","metrics":{"step":12.0,"train_loss":1.5}}]}
            """,
            OpenAiWire.CheckpointList.class);
    var bare =
        OpenAiMapper.JSON.readValue(
            "{\"object\":\"list\",\"data\":[{\"id\":\"ftckpt_b\"}]}",
            OpenAiWire.CheckpointList.class);

    assertThat(OpenAiMapper.toProgress(list)).contains(new ProviderJob.Progress(12L, 1.5, null));
    assertThat(OpenAiMapper.toProgress(bare)).as("nothing to report").isEmpty();
  }
}
