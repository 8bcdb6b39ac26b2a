package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiEmulatorLifecycleTest {

  private static final List<String> JOB_FIELDS =
      List.of(
          "id",
          "object",
          "created_at",
          "finished_at",
          "estimated_finish",
          "status",
          "error",
          "fine_tuned_model",
          "model",
          "organization_id",
          "training_file",
          "validation_file",
          "result_files",
          "trained_tokens",
          "hyperparameters",
          "method",
          "seed",
          "integrations",
          "metadata",
          "user_provided_suffix");

  private final MutableClock clock = new MutableClock();
  private final OpenAiEmulator emulator =
      new OpenAiEmulator(
          EmulatorConfig.defaults()
              .withClock(clock)
              .withValidating(Duration.ofSeconds(10))
              .withQueued(Duration.ofSeconds(20))
              .withRunning(Duration.ofSeconds(60)));
  private final EmulatorHttp http = EmulatorHttp.bearer("sk-test");
  private final long t0 = clock.instant().getEpochSecond();

  @AfterEach
  void close() {
    emulator.close();
  }

  private String jobs() {
    return emulator.baseUrl() + "/fine_tuning/jobs";
  }

  private JsonNode create(String body) {
    Reply r = http.post(jobs(), body);
    assertThat(r.code()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private JsonNode get(String id) {
    Reply r = http.get(jobs() + "/" + id);
    assertThat(r.code()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private Reply post(String id, String action) {
    return http.post(jobs() + "/" + id + "/" + action, "");
  }

  @Test
  void shouldMoveThroughStatesAsTheClockAdvances() {
    JsonNode job =
        create(
            "{\"model\":\"gpt-4o-mini-2024-07-18\",\"training_file\":\"file-abc123\","
                + "\"validation_file\":\"file-val456\",\"suffix\":\"support\",\"seed\":42,"
                + "\"metadata\":{\"tuningjob-uid\":\"u1\"}}");
    String id = job.get("id").asText();

    assertThat(id).matches("ftjob-[A-Za-z0-9]{24}");
    assertThat(job.get("object").asText()).isEqualTo("fine_tuning.job");
    JOB_FIELDS.forEach(f -> assertThat(job.has(f)).as("field %s", f).isTrue());
    assertThat(job.get("status").asText()).isEqualTo("validating_files");
    assertThat(job.get("created_at").asLong()).isEqualTo(t0);
    assertThat(job.get("finished_at").isNull()).isTrue();
    assertThat(job.get("estimated_finish").isNull()).isTrue();
    assertThat(job.get("fine_tuned_model").isNull()).isTrue();
    assertThat(job.get("trained_tokens").isNull()).isTrue();
    assertThat(job.get("error").isNull()).isTrue();
    assertThat(job.get("result_files")).isEmpty();
    assertThat(job.get("organization_id").asText()).isEqualTo(OpenAiEmulator.ORGANIZATION);
    assertThat(job.get("validation_file").asText()).isEqualTo("file-val456");
    assertThat(job.get("seed").asLong()).isEqualTo(42);
    assertThat(job.get("user_provided_suffix").asText()).isEqualTo("support");
    assertThat(job.get("metadata").get("tuningjob-uid").asText()).isEqualTo("u1");
    assertThat(job.get("integrations").isArray()).isTrue();
    assertThat(job.at("/hyperparameters/n_epochs").asText()).isEqualTo("auto");
    assertThat(job.at("/method/type").asText()).isEqualTo("supervised");
    assertThat(job.at("/method/supervised/hyperparameters/batch_size").asText()).isEqualTo("auto");

    clock.advance(Duration.ofSeconds(10));
    JsonNode queued = get(id);
    assertThat(queued.get("status").asText()).isEqualTo("queued");
    assertThat(queued.at("/hyperparameters/n_epochs").asInt()).isEqualTo(3);
    assertThat(queued.at("/method/supervised/hyperparameters/learning_rate_multiplier").isNumber())
        .isTrue();

    clock.advance(Duration.ofSeconds(20));
    JsonNode running = get(id);
    assertThat(running.get("status").asText()).isEqualTo("running");
    assertThat(running.get("estimated_finish").asLong()).isEqualTo(t0 + 90);

    clock.advance(Duration.ofSeconds(59));
    assertThat(get(id).get("status").asText()).isEqualTo("running");

    clock.advance(Duration.ofSeconds(1));
    JsonNode done = get(id);
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("finished_at").asLong()).isEqualTo(t0 + 90);
    assertThat(done.get("estimated_finish").isNull()).isTrue();
    assertThat(done.get("fine_tuned_model").asText())
        .isEqualTo("ft:gpt-4o-mini-2024-07-18:emulator:support:" + id.substring(6, 14));
    assertThat(done.get("trained_tokens").asLong()).isPositive();
    assertThat(done.get("result_files")).hasSize(1);
    assertThat(done.get("result_files").get(0).asText()).startsWith("file-");
  }

  @Test
  void shouldKeepExplicitHyperparametersAndResolveAutoForDpo() {
    JsonNode job =
        create(
            "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-pref\",\"method\":{\"type\":\"dpo\","
                + "\"dpo\":{\"hyperparameters\":{\"beta\":0.5,\"n_epochs\":\"auto\"}}}}");
    assertThat(job.at("/method/dpo/hyperparameters/n_epochs").asText()).isEqualTo("auto");
    assertThat(job.get("hyperparameters").isNull()).isTrue();

    clock.advance(Duration.ofSeconds(10));
    JsonNode hp = get(job.get("id").asText()).at("/method/dpo/hyperparameters");
    assertThat(hp.get("beta").asDouble()).isEqualTo(0.5);
    assertThat(hp.get("n_epochs").asInt()).isEqualTo(3);
    assertThat(hp.get("batch_size").asInt()).isEqualTo(1);
  }

  @Test
  void shouldEchoReinforcementGraderAndDefaultReasoningEffort() {
    JsonNode job =
        create(
            "{\"model\":\"o4-mini\",\"training_file\":\"file-rft\",\"method\":{\"type\":\"reinforcement\","
                + "\"reinforcement\":{\"grader\":{\"type\":\"string_check\",\"name\":\"exact\","
                + "\"input\":\"{{sample.output_text}}\",\"reference\":\"{{item.label}}\","
                + "\"operation\":\"eq\"},\"hyperparameters\":{\"eval_interval\":5}}}}");
    JsonNode rft = job.at("/method/reinforcement");
    assertThat(rft.at("/grader/operation").asText()).isEqualTo("eq");
    assertThat(rft.has("response_format")).isTrue();
    assertThat(rft.at("/hyperparameters/reasoning_effort").asText()).isEqualTo("default");
    assertThat(rft.at("/hyperparameters/eval_interval").asInt()).isEqualTo(5);
    assertThat(job.get("seed").asLong()).isBetween(0L, 2147483647L);
  }

  @Test
  void shouldFailJobWhoseTrainingFileContainsTheFailMarker() {
    String id =
        create("{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-fail01\"}").get("id").asText();
    clock.advance(Duration.ofSeconds(10));

    JsonNode failed = get(id);
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.at("/error/code").asText()).isEqualTo("invalid_training_file");
    assertThat(failed.at("/error/param").asText()).isEqualTo("training_file");
    assertThat(failed.at("/error/message").asText()).contains("file-fail01");
    assertThat(failed.get("finished_at").asLong()).isEqualTo(t0 + 10);
    assertThat(failed.get("fine_tuned_model").isNull()).isTrue();

    clock.advance(Duration.ofHours(1));
    assertThat(get(id).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void shouldPauseRunningJobAndKeepItsRemainingTimeAfterResume() {
    String id =
        create("{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-a\"}").get("id").asText();
    clock.advance(Duration.ofSeconds(50)); // running since t0+30, 40 s left

    Reply paused = post(id, "pause");
    assertThat(paused.code()).isEqualTo(200);
    assertThat(paused.json().get("status").asText()).isEqualTo("paused");
    assertThat(paused.json().get("estimated_finish").isNull()).isTrue();

    clock.advance(Duration.ofHours(5));
    assertThat(get(id).get("status").asText()).isEqualTo("paused");

    Reply resumed = post(id, "resume");
    assertThat(resumed.code()).isEqualTo(200);
    assertThat(resumed.json().get("status").asText()).isEqualTo("queued");

    clock.advance(Duration.ofSeconds(20));
    JsonNode running = get(id);
    assertThat(running.get("status").asText()).isEqualTo("running");
    assertThat(running.get("estimated_finish").asLong())
        .isEqualTo(clock.instant().getEpochSecond() + 40);
    clock.advance(Duration.ofSeconds(39));
    assertThat(get(id).get("status").asText()).isEqualTo("running");
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(id).get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void shouldRejectPauseUnlessRunningAndResumeUnlessPaused() {
    String id =
        create("{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-a\"}").get("id").asText();

    Reply pause = post(id, "pause");
    assertThat(pause.code()).isEqualTo(400);
    assertThat(pause.error().get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(pause.error().get("message").asText())
        .isEqualTo(
            "Job "
                + id
                + " cannot be paused because only running jobs can be paused (status:"
                + " validating_files).");
    assertThat(pause.error().get("param").asText()).isEqualTo("fine_tuning_job_id");
    assertThat(pause.error().get("code").isNull()).isTrue();

    Reply resume = post(id, "resume");
    assertThat(resume.code()).isEqualTo(400);
    assertThat(resume.error().get("message").asText()).contains("only paused jobs can be resumed");
    assertThat(get(id).get("status").asText()).isEqualTo("validating_files");
  }

  @Test
  void shouldCancelActiveJobsAndRejectCancellingFinishedOnes() {
    String id =
        create("{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-a\"}").get("id").asText();
    clock.advance(Duration.ofSeconds(35));

    Reply cancelled = post(id, "cancel");
    assertThat(cancelled.code()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.json().get("finished_at").asLong()).isEqualTo(t0 + 35);

    clock.advance(Duration.ofHours(1));
    assertThat(get(id).get("status").asText()).isEqualTo("cancelled");
    Reply again = post(id, "cancel");
    assertThat(again.code()).isEqualTo(400);
    assertThat(again.error().get("message").asText())
        .isEqualTo(
            "Job "
                + id
                + " cannot be cancelled because it has already finished (status: cancelled).");

    String paused =
        create("{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-b\"}").get("id").asText();
    clock.advance(Duration.ofSeconds(31));
    assertThat(post(paused, "pause").code()).isEqualTo(200);
    assertThat(post(paused, "cancel").json().get("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void shouldAnswerUnknownJobsAndUrlsWithTheOpenAiEnvelope() {
    Reply missing = http.get(jobs() + "/ftjob-nope");
    assertThat(missing.code()).isEqualTo(404);
    assertThat(missing.json())
        .isEqualTo(
            EmulatorHttp.json(
                "{\"error\":{\"message\":\"Could not find fine-tuning job: ftjob-nope\","
                    + "\"type\":\"invalid_request_error\",\"param\":\"fine_tuning_job_id\","
                    + "\"code\":\"not_found\"}}"));
    assertThat(post("ftjob-nope", "cancel").code()).isEqualTo(404);

    Reply badUrl = http.delete(jobs() + "/ftjob-x");
    assertThat(badUrl.code()).isEqualTo(404);
    assertThat(badUrl.error().get("message").asText())
        .isEqualTo("Invalid URL (DELETE /v1/fine_tuning/jobs/ftjob-x)");
  }

  @Test
  void shouldListEventsNewestFirstWithCursorPaging() {
    String id =
        create("{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-a\"}").get("id").asText();
    clock.advance(Duration.ofSeconds(90));

    Reply all = http.get(jobs() + "/" + id + "/events");
    assertThat(all.code()).isEqualTo(200);
    assertThat(all.json().get("object").asText()).isEqualTo("list");
    JsonNode data = all.json().get("data");
    assertThat(data).hasSize(6);
    assertThat(data.get(0).get("message").asText()).isEqualTo("The job has successfully completed");
    assertThat(data.get(5).get("message").asText()).isEqualTo("Created fine-tuning job: " + id);
    assertThat(data.get(0).get("object").asText()).isEqualTo("fine_tuning.job.event");
    assertThat(data.get(0).get("created_at").asLong()).isEqualTo(t0 + 90);

    Reply first = http.get(jobs() + "/" + id + "/events?limit=4");
    assertThat(first.json().get("data")).hasSize(4);
    assertThat(first.json().get("has_more").asBoolean()).isTrue();
    String cursor = first.json().get("data").get(3).get("id").asText();
    Reply second = http.get(jobs() + "/" + id + "/events?limit=4&after=" + cursor);
    assertThat(second.json().get("data")).hasSize(2);
    assertThat(second.json().get("has_more").asBoolean()).isFalse();
    assertThat(second.json().get("data").get(0)).isEqualTo(data.get(4));
  }

  @Test
  void shouldSendADistinctRequestIdOnEveryResponse() {
    Set<String> ids = new HashSet<>();
    List<Reply> replies =
        List.of(
            http.post(jobs(), "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-a\"}"),
            http.get(jobs()),
            http.get(jobs() + "/ftjob-missing"),
            EmulatorHttp.anonymous().get(jobs()));
    for (Reply r : replies) {
      String requestId = r.headers().get("x-request-id");
      assertThat(requestId).as("status %s", r.code()).startsWith("req_");
      ids.add(requestId);
    }
    assertThat(ids).hasSize(replies.size());
  }
}
