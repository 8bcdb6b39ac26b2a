package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VertexEmulatorListTest {

  private final MutableClock clock = new MutableClock();
  private final VertexEmulator emulator =
      new VertexEmulator(EmulatorConfig.defaults().withClock(clock));
  private final EmulatorHttp http = EmulatorHttp.bearer("ya29.test");
  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void createJobs() {
    String[] labels = {
      "{\"team\":\"a\",\"env\":\"prod\"}", "{\"team\":\"b\"}", null, "{\"team\":\"a\"}", "{}"
    };
    for (String l : labels) {
      String body =
          "{\"baseModel\":\"gemini-2.5-flash\",\"supervisedTuningSpec\":"
              + "{\"trainingDatasetUri\":\"gs://b/t.jsonl\"}"
              + (l == null ? "" : ",\"labels\":" + l)
              + "}";
      created.add(http.post(jobs(), body).json().get("name").asText());
    }
    http.post(
        emulator.baseUrl() + "/v1/projects/p/locations/europe-west4/tuningJobs",
        "{\"baseModel\":\"gemini-2.5-flash\",\"supervisedTuningSpec\":"
            + "{\"trainingDatasetUri\":\"gs://b/t.jsonl\"},\"labels\":{\"team\":\"a\"}}");
  }

  @AfterEach
  void close() {
    emulator.close();
  }

  private String jobs() {
    return emulator.baseUrl() + "/v1/projects/p/locations/us-central1/tuningJobs";
  }

  private Reply list(String query) {
    Reply r = http.get(jobs() + "?" + query);
    assertThat(r.code()).as(r.text()).isEqualTo(200);
    return r;
  }

  private static String filter(String f) {
    return "filter=" + URLEncoder.encode(f, StandardCharsets.UTF_8);
  }

  private static List<String> names(Reply r) {
    List<String> names = new ArrayList<>();
    r.json().path("tuningJobs").forEach(j -> names.add(j.get("name").asText()));
    return names;
  }

  @Test
  void shouldListJobsOfTheParentNewestFirst() {
    Reply r = list("");

    assertThat(names(r))
        .containsExactly(
            created.get(4), created.get(3), created.get(2), created.get(1), created.get(0));
    assertThat(r.json().has("nextPageToken")).isFalse();
  }

  @Test
  void shouldFilterByLabelInAip160Form() {
    assertThat(names(list(filter("labels.team=\"a\""))))
        .containsExactly(created.get(3), created.get(0));
    assertThat(names(list(filter("labels.team=a AND labels.env=\"prod\""))))
        .containsExactly(created.get(0));
    assertThat(names(list(filter("labels.env:*")))).containsExactly(created.get(0));
    Reply none = list(filter("labels.team=\"zzz\""));
    assertThat(none.json()).isEqualTo(EmulatorHttp.json("{}"));
  }

  @Test
  void shouldFilterByStateEvaluatedAtReadTime() {
    http.post(emulator.baseUrl() + "/v1/" + created.get(1) + ":cancel", "{}");
    clock.advance(Duration.ofSeconds(2));

    assertThat(names(list(filter("state=\"JOB_STATE_CANCELLED\""))))
        .containsExactly(created.get(1));
    assertThat(names(list(filter("state=JOB_STATE_QUEUED AND labels.team=\"a\""))))
        .containsExactly(created.get(3), created.get(0));
  }

  @Test
  void shouldPageWithPageSizeAndNextPageToken() {
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Reply r = list("pageSize=2" + (token == null ? "" : "&pageToken=" + token));
      seen.addAll(names(r));
      token = r.json().path("nextPageToken").asText(null);
      pages++;
    } while (token != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly(
            created.get(4), created.get(3), created.get(2), created.get(1), created.get(0));
  }

  @Test
  void shouldPageThroughAFilteredList() {
    Reply first = list(filter("labels.team=\"a\"") + "&pageSize=1");
    Reply second =
        list(
            filter("labels.team=\"a\"")
                + "&pageSize=1&pageToken="
                + first.json().get("nextPageToken").asText());

    assertThat(names(first)).containsExactly(created.get(3));
    assertThat(names(second)).containsExactly(created.get(0));
    assertThat(second.json().has("nextPageToken")).isFalse();
  }

  @Test
  void shouldDefaultThePageSizeToFiftyAndCapItAtHundred() {
    for (int i = 0; i < 100; i++) {
      http.post(
          jobs(),
          "{\"baseModel\":\"m\",\"supervisedTuningSpec\":{\"trainingDatasetUri\":\"gs://b/t\"}}");
    }
    Reply byDefault = list("");
    Reply capped = list("pageSize=500");

    assertThat(byDefault.json().get("tuningJobs")).hasSize(50);
    assertThat(byDefault.json().has("nextPageToken")).isTrue();
    assertThat(capped.json().get("tuningJobs")).hasSize(100);
  }

  @Test
  void shouldShortenPagesAndIgnoreTheFilterWhenTold() {
    emulator.faults().limitListPages(2).ignoreListFilters(true);

    Reply first = list(filter("labels.team=\"a\"") + "&pageSize=100");
    Reply second =
        list(
            filter("labels.team=\"a\"")
                + "&pageSize=100&pageToken="
                + first.json().get("nextPageToken").asText());

    assertThat(names(first)).containsExactly(created.get(4), created.get(3));
    assertThat(names(second)).containsExactly(created.get(2), created.get(1));
    assertThat(second.json().has("nextPageToken")).isTrue();

    emulator.faults().clear();
    assertThat(names(list(filter("labels.team=\"a\""))))
        .containsExactly(created.get(3), created.get(0));
  }

  @Test
  void shouldRejectUnsupportedFiltersAndBadTokens() {
    Reply or = http.get(jobs() + "?" + filter("labels.team=\"a\" OR labels.team=\"b\""));
    Reply token = http.get(jobs() + "?pageToken=bm90LWEtam9i");
    Reply size = http.get(jobs() + "?pageSize=-1");

    assertThat(or.code()).isEqualTo(400);
    assertThat(or.error().get("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(or.error().get("message").asText()).startsWith("Unsupported filter");
    assertThat(token.code()).isEqualTo(400);
    assertThat(token.error().get("message").asText()).isEqualTo("Invalid page token.");
    assertThat(size.code()).isEqualTo(400);
  }
}
