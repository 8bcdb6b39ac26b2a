package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import dev.tuning.e2e.emulator.Faults.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/fine_tuning/jobs/{id}/checkpoints}: 10 s validating, 20 s queued and 60 s running
 * make one checkpoint per epoch at t0+50, t0+70 and t0+90 for the default three epochs.
 */
class OpenAiEmulatorCheckpointsTest {

  private static final String MINIMAL = "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-a\"}";

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

  private String create(String body) {
    Reply r = http.post(jobs(), body);
    assertThat(r.code()).as(r.text()).isEqualTo(200);
    return r.json().get("id").asText();
  }

  private JsonNode checkpoints(String id, String query) {
    Reply r = http.get(jobs() + "/" + id + "/checkpoints" + query);
    assertThat(r.code()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private static List<Long> steps(JsonNode page) {
    List<Long> steps = new ArrayList<>();
    page.get("data").forEach(c -> steps.add(c.get("step_number").asLong()));
    return steps;
  }

  @Test
  void shouldListNoCheckpointBeforeTheJobRuns() {
    String id = create(MINIMAL);

    JsonNode validating = checkpoints(id, "");
    clock.advance(Duration.ofSeconds(29));
    JsonNode queued = checkpoints(id, "");

    for (JsonNode page : List.of(validating, queued)) {
      assertThat(page.get("object").asText()).isEqualTo("list");
      assertThat(page.get("data")).isEmpty();
      assertThat(page.get("has_more").asBoolean()).isFalse();
      assertThat(page.get("first_id").isNull()).isTrue();
      assertThat(page.get("last_id").isNull()).isTrue();
    }
  }

  @Test
  void shouldAddACheckpointAtTheEndOfEachEpochNewestFirst() {
    String id = create(MINIMAL);

    clock.advance(Duration.ofSeconds(49)); // running since t0+30, 19 s of the first 20 s epoch
    assertThat(checkpoints(id, "").get("data")).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    JsonNode first = checkpoints(id, "");
    assertThat(steps(first)).containsExactly(20L);
    JsonNode c = first.get("data").get(0);
    assertThat(c.get("object").asText()).isEqualTo("fine_tuning.job.checkpoint");
    assertThat(c.get("id").asText()).matches("ftckpt_[A-Za-z0-9]{24}");
    assertThat(c.get("created_at").asLong()).isEqualTo(t0 + 50);
    assertThat(c.get("fine_tuning_job_id").asText()).isEqualTo(id);
    assertThat(c.get("fine_tuned_model_checkpoint").asText())
        .startsWith("ft:gpt-4o-mini:emulator:")
        .endsWith(":ckpt-step-20");
    assertThat(c.at("/metrics/step").asLong()).isEqualTo(20);
    assertThat(c.at("/metrics/train_loss").isNumber()).isTrue();
    assertThat(c.at("/metrics/train_mean_token_accuracy").isNumber()).isTrue();
    assertThat(c.get("metrics").has("valid_loss")).as("no validation file").isFalse();
    assertThat(c.get("metrics").has("full_valid_loss")).isFalse();
    assertThat(first.get("first_id").asText()).isEqualTo(c.get("id").asText());
    assertThat(first.get("last_id").asText()).isEqualTo(c.get("id").asText());

    clock.advance(Duration.ofSeconds(25));
    JsonNode second = checkpoints(id, "");
    assertThat(steps(second)).containsExactly(40L, 20L);
    assertThat(second.at("/data/0/metrics/train_loss").asDouble())
        .isLessThan(second.at("/data/1/metrics/train_loss").asDouble());
    assertThat(second.get("data").get(1)).as("an older checkpoint never changes").isEqualTo(c);

    clock.advance(Duration.ofHours(1));
    JsonNode done = checkpoints(id, "");
    assertThat(steps(done)).containsExactly(60L, 40L, 20L);
    assertThat(done.at("/data/0/created_at").asLong())
        .as("the last one is written as the job succeeds")
        .isEqualTo(http.get(jobs() + "/" + id).json().get("finished_at").asLong());
  }

  @Test
  void shouldFollowTheEpochsAndBatchSizeAndReportValidationLossWithAValidationFile() {
    String id =
        create(
            "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-a\","
                + "\"validation_file\":\"file-v\",\"method\":{\"type\":\"supervised\","
                + "\"supervised\":{\"hyperparameters\":{\"n_epochs\":2,\"batch_size\":4}}}}");
    clock.advance(Duration.ofHours(1));

    JsonNode page = checkpoints(id, "");

    // 20 examples in batches of 4: 5 steps per epoch
    assertThat(steps(page)).containsExactly(10L, 5L);
    JsonNode newer = page.at("/data/0/metrics");
    JsonNode older = page.at("/data/1/metrics");
    for (String loss : List.of("train_loss", "valid_loss", "full_valid_loss")) {
      assertThat(newer.get(loss).asDouble()).as(loss).isLessThan(older.get(loss).asDouble());
    }
    assertThat(newer.get("full_valid_mean_token_accuracy").isNumber()).isTrue();
  }

  @Test
  void shouldWriteNoCheckpointWhilePausedAndGoOnAfterTheResume() {
    String id = create(MINIMAL);
    clock.advance(Duration.ofSeconds(60)); // 30 s of running: one epoch and a half
    assertThat(http.post(jobs() + "/" + id + "/pause", "").code()).isEqualTo(200);

    clock.advance(Duration.ofHours(2));
    assertThat(steps(checkpoints(id, ""))).containsExactly(20L);

    long resumedAt = clock.instant().getEpochSecond();
    assertThat(http.post(jobs() + "/" + id + "/resume", "").code()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30)); // 20 s queued, then 10 s more running

    JsonNode page = checkpoints(id, "");
    assertThat(steps(page)).containsExactly(40L, 20L);
    assertThat(page.at("/data/0/created_at").asLong()).isEqualTo(resumedAt + 30);
  }

  @Test
  void shouldPageWithLimitAndAfterAndRejectBadParameters() {
    String id = create(MINIMAL);
    clock.advance(Duration.ofHours(1));

    List<Long> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    boolean more = true;
    while (more) {
      JsonNode page = checkpoints(id, "?limit=1" + (after == null ? "" : "&after=" + after));
      assertThat(page.get("data")).hasSize(1);
      assertThat(page.get("first_id")).isEqualTo(page.get("last_id"));
      seen.addAll(steps(page));
      after = page.get("last_id").asText();
      more = page.get("has_more").asBoolean();
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly(60L, 40L, 20L);

    JsonNode two = checkpoints(id, "?limit=2");
    assertThat(steps(two)).containsExactly(60L, 40L);
    assertThat(two.get("has_more").asBoolean()).isTrue();
    assertThat(two.get("last_id").asText()).isEqualTo(two.at("/data/1/id").asText());

    Reply tooMany = http.get(jobs() + "/" + id + "/checkpoints?limit=101");
    assertThat(tooMany.code()).isEqualTo(400);
    assertThat(tooMany.error().get("param").asText()).isEqualTo("limit");
    Reply unknown = http.get(jobs() + "/" + id + "/checkpoints?after=ftckpt_unknown");
    assertThat(unknown.code()).isEqualTo(400);
    assertThat(unknown.error().get("param").asText()).isEqualTo("after");
  }

  @Test
  void shouldAnswerAnUnknownJobWith404AndServeFaultsAndRecordRequests() {
    String id = create(MINIMAL);

    Reply missing = http.get(jobs() + "/ftjob-missing/checkpoints");
    emulator.faults().enqueue(Operation.CHECKPOINTS, Fault.serverError(503));
    Reply failed = http.get(jobs() + "/" + id + "/checkpoints");
    Reply unauthenticated = EmulatorHttp.anonymous().get(jobs() + "/" + id + "/checkpoints");

    assertThat(missing.code()).isEqualTo(404);
    assertThat(failed.code()).isEqualTo(503);
    assertThat(unauthenticated.code()).isEqualTo(401);
    assertThat(checkpoints(id, "").get("data")).isEmpty();
    assertThat(emulator.count("GET", "/v1/fine_tuning/jobs/[^/]+/checkpoints")).isEqualTo(4);
  }
}
