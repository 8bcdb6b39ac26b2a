package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VertexEmulatorLifecycleTest {

  static final String SFT =
      "{\"baseModel\":\"gemini-2.5-flash\",\"tunedModelDisplayName\":\"support-bot\","
          + "\"supervisedTuningSpec\":{\"trainingDatasetUri\":\"gs://bucket/train.jsonl\","
          + "\"validationDatasetUri\":\"gs://bucket/val.jsonl\",\"hyperParameters\":"
          + "{\"epochCount\":3,\"adapterSize\":\"ADAPTER_SIZE_FOUR\",\"learningRateMultiplier\":0.5}},"
          + "\"labels\":{\"tuningjob-uid\":\"6f1c2c0e\",\"managed-by\":\"tuning-operator\"}}";

  private final MutableClock clock = new MutableClock();
  private final VertexEmulator emulator =
      new VertexEmulator(
          EmulatorConfig.defaults()
              .withClock(clock)
              .withValidating(Duration.ofSeconds(10))
              .withQueued(Duration.ofSeconds(20))
              .withRunning(Duration.ofSeconds(60))
              .withCancelling(Duration.ofSeconds(5)));
  private final EmulatorHttp http = EmulatorHttp.bearer("ya29.test");
  private final Instant t0 = clock.instant();

  @AfterEach
  void close() {
    emulator.close();
  }

  private String jobs() {
    return emulator.baseUrl() + "/v1/projects/my-proj/locations/us-central1/tuningJobs";
  }

  private JsonNode create(String body) {
    Reply r = http.post(jobs(), body);
    assertThat(r.code()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private JsonNode get(String name) {
    Reply r = http.get(emulator.baseUrl() + "/v1/" + name);
    assertThat(r.code()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  @Test
  void shouldMoveThroughPendingQueuedRunningToSucceeded() {
    JsonNode job = create(SFT);
    String name = job.get("name").asText();

    assertThat(name).matches("projects/my-proj/locations/us-central1/tuningJobs/\\d{19}");
    assertThat(job.get("state").asText()).isEqualTo("JOB_STATE_PENDING");
    assertThat(job.get("createTime").asText()).isEqualTo(t0.toString());
    assertThat(job.get("updateTime").asText()).isEqualTo(t0.toString());
    assertThat(job.has("startTime")).isFalse();
    assertThat(job.has("endTime")).isFalse();
    assertThat(job.has("tunedModel")).isFalse();
    assertThat(job.has("error")).isFalse();
    assertThat(job.get("baseModel").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(job.get("tunedModelDisplayName").asText()).isEqualTo("support-bot");
    assertThat(job.at("/supervisedTuningSpec/hyperParameters/epochCount").asText()).isEqualTo("3");
    assertThat(job.at("/supervisedTuningSpec/hyperParameters/epochCount").isTextual()).isTrue();
    assertThat(job.at("/labels/managed-by").asText()).isEqualTo("tuning-operator");

    clock.advance(Duration.ofSeconds(10));
    JsonNode queued = get(name);
    assertThat(queued.get("state").asText()).isEqualTo("JOB_STATE_QUEUED");
    assertThat(queued.get("updateTime").asText()).isEqualTo(t0.plusSeconds(10).toString());
    JsonNode stats = queued.at("/tuningDataStats/supervisedTuningDataStats");
    assertThat(stats.get("tuningDatasetExampleCount").isTextual()).isTrue();
    assertThat(Long.parseLong(stats.get("tuningDatasetExampleCount").asText())).isPositive();
    assertThat(stats.get("totalBillableTokenCount").isTextual()).isTrue();
    assertThat(stats.get("tuningStepCount").isTextual()).isTrue();

    clock.advance(Duration.ofSeconds(20));
    JsonNode running = get(name);
    assertThat(running.get("state").asText()).isEqualTo("JOB_STATE_RUNNING");
    assertThat(running.get("startTime").asText()).isEqualTo(t0.plusSeconds(30).toString());
    assertThat(running.get("experiment").asText())
        .startsWith("projects/my-proj/locations/us-central1/");

    clock.advance(Duration.ofSeconds(60));
    JsonNode done = get(name);
    assertThat(done.get("state").asText()).isEqualTo("JOB_STATE_SUCCEEDED");
    assertThat(done.get("endTime").asText()).isEqualTo(t0.plusSeconds(90).toString());
    assertThat(done.get("updateTime").asText()).isEqualTo(t0.plusSeconds(90).toString());
    assertThat(done.at("/tunedModel/model").asText())
        .matches("projects/my-proj/locations/us-central1/models/\\d+@1");
    assertThat(done.at("/tunedModel/endpoint").asText())
        .matches("projects/my-proj/locations/us-central1/endpoints/\\d+");
    assertThat(done.has("error")).isFalse();
  }

  @Test
  void shouldFailJobWhoseDatasetContainsTheFailMarker() {
    JsonNode job =
        create(
            "{\"baseModel\":\"gemini-2.5-flash\",\"supervisedTuningSpec\":"
                + "{\"trainingDatasetUri\":\"gs://bucket/fail.jsonl\"}}");
    clock.advance(Duration.ofSeconds(10));

    JsonNode failed = get(job.get("name").asText());
    assertThat(failed.get("state").asText()).isEqualTo("JOB_STATE_FAILED");
    assertThat(failed.at("/error/code").asInt()).isEqualTo(3);
    assertThat(failed.at("/error/message").asText()).contains("gs://bucket/fail.jsonl");
    assertThat(failed.at("/error").has("status")).isFalse();
    assertThat(failed.get("endTime").asText()).isEqualTo(t0.plusSeconds(10).toString());
    assertThat(failed.has("tunedModel")).isFalse();
    assertThat(failed.get("tunedModelDisplayName").asText()).isNotEmpty();
  }

  @Test
  void shouldCancelAsynchronouslyThroughCancelling() {
    String name = create(SFT).get("name").asText();
    clock.advance(Duration.ofSeconds(40));

    Reply cancel = http.post(emulator.baseUrl() + "/v1/" + name + ":cancel", "{}");
    assertThat(cancel.code()).isEqualTo(200);
    assertThat(cancel.json()).isEqualTo(EmulatorHttp.json("{}"));

    JsonNode cancelling = get(name);
    assertThat(cancelling.get("state").asText()).isEqualTo("JOB_STATE_CANCELLING");
    assertThat(cancelling.has("endTime")).isFalse();
    assertThat(http.post(emulator.baseUrl() + "/v1/" + name + ":cancel", "{}").code())
        .isEqualTo(200);

    clock.advance(Duration.ofSeconds(5));
    JsonNode cancelled = get(name);
    assertThat(cancelled.get("state").asText()).isEqualTo("JOB_STATE_CANCELLED");
    assertThat(cancelled.get("error"))
        .isEqualTo(EmulatorHttp.json("{\"code\":1,\"message\":\"CANCELLED\"}"));
    assertThat(cancelled.get("endTime").asText()).isEqualTo(t0.plusSeconds(45).toString());

    clock.advance(Duration.ofHours(1));
    assertThat(get(name).get("state").asText()).isEqualTo("JOB_STATE_CANCELLED");
  }

  @Test
  void shouldRejectCancellingAFinishedJobWithFailedPrecondition() {
    String name = create(SFT).get("name").asText();
    clock.advance(Duration.ofSeconds(90));

    Reply r = http.post(emulator.baseUrl() + "/v1/" + name + ":cancel", "");

    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json())
        .isEqualTo(
            EmulatorHttp.json(
                "{\"error\":{\"code\":400,\"message\":\"TuningJob "
                    + name
                    + " is in state JOB_STATE_SUCCEEDED and cannot be cancelled.\","
                    + "\"status\":\"FAILED_PRECONDITION\"}}"));
  }

  @Test
  void shouldReturnPreferenceStatsAndEchoBeta() {
    JsonNode job =
        create(
            "{\"baseModel\":\"gemini-2.5-flash\",\"preferenceOptimizationSpec\":"
                + "{\"trainingDatasetUri\":\"gs://b/pref.jsonl\",\"hyperParameters\":"
                + "{\"beta\":0.1,\"epochCount\":\"2\"}}}");
    clock.advance(Duration.ofSeconds(10));

    JsonNode queued = get(job.get("name").asText());
    assertThat(queued.at("/preferenceOptimizationSpec/hyperParameters/beta").asDouble())
        .isEqualTo(0.1);
    assertThat(queued.at("/preferenceOptimizationSpec/hyperParameters/epochCount").asText())
        .isEqualTo("2");
    assertThat(
            queued
                .at("/tuningDataStats/preferenceOptimizationDataStats/tuningStepCount")
                .isTextual())
        .isTrue();
  }

  @Test
  void shouldAnswerNotFoundForUnknownJobsAndOtherParents() {
    String name = create(SFT).get("name").asText();
    String id = name.substring(name.lastIndexOf('/') + 1);

    Reply unknown = http.get(jobs() + "/123");
    Reply otherLocation =
        http.get(
            emulator.baseUrl() + "/v1/projects/my-proj/locations/europe-west4/tuningJobs/" + id);

    assertThat(unknown.code()).isEqualTo(404);
    assertThat(unknown.error().get("status").asText()).isEqualTo("NOT_FOUND");
    assertThat(unknown.error().get("code").asInt()).isEqualTo(404);
    assertThat(otherLocation.code()).isEqualTo(404);
    assertThat(http.post(jobs() + "/123:cancel", "{}").code()).isEqualTo(404);
  }
}
