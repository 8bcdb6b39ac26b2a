package dev.tuning.operator.provider.vertex;

import static dev.tuning.operator.provider.vertex.VertexTestSupport.JOB_NAME;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.UID;
import static dev.tuning.operator.provider.vertex.VertexTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.vertex.VertexDtos.TuningJob;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VertexMapperTest {

  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final VertexMapper mapper = new VertexMapper();

  private ProviderJob map(String file) throws Exception {
    return mapper.toProviderJob(json.readValue(resource(file), TuningJob.class));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({
    "job-unspecified.json, JOB_STATE_UNSPECIFIED, UNKNOWN",
    "job-queued.json, JOB_STATE_QUEUED, QUEUED",
    "job-pending.json, JOB_STATE_PENDING, QUEUED",
    "job-running.json, JOB_STATE_RUNNING, RUNNING",
    "job-updating.json, JOB_STATE_UPDATING, RUNNING",
    "job-cancelling.json, JOB_STATE_CANCELLING, CANCELLING",
    "job-paused.json, JOB_STATE_PAUSED, PAUSED",
    "job-succeeded.json, JOB_STATE_SUCCEEDED, SUCCEEDED",
    "job-failed.json, JOB_STATE_FAILED, FAILED",
    "job-cancelled.json, JOB_STATE_CANCELLED, CANCELLED",
    "job-expired.json, JOB_STATE_EXPIRED, FAILED",
    "job-partially-succeeded.json, JOB_STATE_PARTIALLY_SUCCEEDED, FAILED",
    "job-unknown-state.json, JOB_STATE_REINVENTED_IN_2027, UNKNOWN"
  })
  void shouldMapEveryJobStateAndKeepTheRawValue(String file, String raw, ProviderJobState expected)
      throws Exception {
    ProviderJob job = map(file);

    assertThat(job.id()).isEqualTo(JOB_NAME);
    assertThat(job.state()).isEqualTo(expected);
    assertThat(job.rawState()).isEqualTo(raw);
    assertThat(job.createTime()).isEqualTo(Instant.parse("2026-01-10T08:00:00.123456Z"));
    assertThat(job.updateTime()).isEqualTo(Instant.parse("2026-01-10T08:05:00Z"));
    assertThat(job.tags()).containsEntry("tuningjob-uid", UID).containsEntry("team", "support");
    assertThat(job.hyperparameters())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("epochs", "3", "learningRateMultiplier", "0.5", "adapterSize", "4"));
  }

  @Test
  void shouldMapFailedJobWithItsError() throws Exception {
    ProviderJob job = map("job-failed.json");

    assertThat(job.error())
        .isEqualTo(
            new ProviderJob.Failure(
                "3", "Training data gs://bucket/train.jsonl has 3 malformed examples.", null));
    assertThat(job.startTime()).isEqualTo(Instant.parse("2026-01-10T08:01:00Z"));
    assertThat(job.endTime()).isEqualTo(Instant.parse("2026-01-10T09:00:00Z"));
    assertThat(job.state().isTerminal()).isTrue();
  }

  @Test
  void shouldMapCancelledJobWithErrorCodeOne() throws Exception {
    ProviderJob job = map("job-cancelled.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.CANCELLED);
    assertThat(job.error().code()).isEqualTo("1");
    assertThat(job.error().message()).isEqualTo("CANCELED");
    assertThat(job.endTime()).isEqualTo(Instant.parse("2026-01-10T08:30:00Z"));
  }

  @Test
  void shouldSayAnExpiredJobExpiredWhenItHasNoError() throws Exception {
    ProviderJob job = map("job-expired.json");

    assertThat(job.error().code()).isEqualTo("EXPIRED");
    assertThat(job.error().message()).contains("expired");
    assertThat(job.endTime()).isEqualTo(Instant.parse("2026-01-17T08:00:00Z"));
  }

  @Test
  void shouldTreatPartialSuccessAsFailureButKeepTheTunedModel() throws Exception {
    ProviderJob job = map("job-partially-succeeded.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.FAILED);
    assertThat(job.error().code()).isEqualTo("PARTIALLY_SUCCEEDED");
    assertThat(job.tunedModel()).isEqualTo("projects/123456789/locations/us-central1/models/987@1");
  }

  @Test
  void shouldMapSucceededJobWithTunedModelAndDataStatsIgnoringUnknownFields() throws Exception {
    ProviderJob job = map("job-succeeded.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.SUCCEEDED);
    assertThat(job.error()).isNull();
    assertThat(job.tunedModel()).isEqualTo("projects/123456789/locations/us-central1/models/987@1");
    assertThat(job.tunedModelEndpoint())
        .isEqualTo("projects/123456789/locations/us-central1/endpoints/654");
    assertThat(job.dataStats()).isEqualTo(new ProviderJob.DataStats(500L, 9_876_543_210L, 150L));
    assertThat(job.experiment())
        .isEqualTo(
            "projects/123456789/locations/us-central1/metadataStores/default/contexts/"
                + "tuning-experiment-20260110");
    assertThat(job.startTime()).isEqualTo(Instant.parse("2026-01-10T08:01:00.500Z"));
    assertThat(job.endTime()).isEqualTo(Instant.parse("2026-01-10T10:00:00.123456789Z"));
  }

  @Test
  void shouldMapPreferenceJobStatsHyperparametersAndOffsetTimes() throws Exception {
    ProviderJob job = map("job-preference-running.json");

    assertThat(job.state()).isEqualTo(ProviderJobState.RUNNING);
    assertThat(job.dataStats()).isEqualTo(new ProviderJob.DataStats(200L, 40_000L, 20L));
    assertThat(job.hyperparameters())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "epochs", "2", "learningRateMultiplier", "1", "adapterSize", "16", "beta", "0.1"));
    assertThat(job.createTime()).isEqualTo(Instant.parse("2026-02-01T11:00:00Z"));
    assertThat(job.tunedModel()).isNull();
    assertThat(job.error()).isNull();
  }

  @Test
  void shouldReadMissingOrMalformedTimesAsAbsent() {
    assertThat(VertexMapper.instant(null)).isNull();
    assertThat(VertexMapper.instant("yesterday")).isNull();
    assertThat(VertexMapper.instant("2026-01-10T08:00:00Z"))
        .isEqualTo(Instant.parse("2026-01-10T08:00:00Z"));
  }

  @Test
  void shouldTreatMissingStateAsUnknown() {
    assertThat(VertexMapper.state(null)).isEqualTo(ProviderJobState.UNKNOWN);
  }
}
