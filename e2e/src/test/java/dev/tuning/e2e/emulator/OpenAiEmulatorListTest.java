package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmulatorListTest {

  private final OpenAiEmulator emulator =
      new OpenAiEmulator(EmulatorConfig.defaults().withClock(new MutableClock()));
  private final EmulatorHttp http = EmulatorHttp.bearer("sk-test");
  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void createJobs() {
    String[] metadata = {
      "{\"team\":\"a\",\"env\":\"prod\"}", "{\"team\":\"b\"}", null, "{\"team\":\"a\"}", "{}"
    };
    for (String m : metadata) {
      String body =
          "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-x\""
              + (m == null ? "" : ",\"metadata\":" + m)
              + "}";
      created.add(http.post(jobs(), body).json().get("id").asText());
    }
  }

  @AfterEach
  void close() {
    emulator.close();
  }

  private String jobs() {
    return emulator.baseUrl() + "/fine_tuning/jobs";
  }

  private static List<String> ids(Reply r) {
    List<String> ids = new ArrayList<>();
    r.json().get("data").forEach(j -> ids.add(j.get("id").asText()));
    return ids;
  }

  @Test
  void shouldListNewestFirstInTheListEnvelope() {
    Reply r = http.get(jobs());

    assertThat(r.code()).isEqualTo(200);
    assertThat(r.json().get("object").asText()).isEqualTo("list");
    assertThat(r.json().get("has_more").asBoolean()).isFalse();
    assertThat(ids(r))
        .containsExactly(
            created.get(4), created.get(3), created.get(2), created.get(1), created.get(0));
    assertThat(r.json().get("data").get(0).get("object").asText()).isEqualTo("fine_tuning.job");
  }

  @Test
  void shouldPageWithAfterAndLimitUntilHasMoreIsFalse() {
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    boolean more = true;
    while (more) {
      Reply r = http.get(jobs() + "?limit=2" + (after == null ? "" : "&after=" + after));
      assertThat(r.code()).isEqualTo(200);
      List<String> page = ids(r);
      seen.addAll(page);
      after = page.get(page.size() - 1);
      more = r.json().get("has_more").asBoolean();
      pages++;
    }

    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly(
            created.get(4), created.get(3), created.get(2), created.get(1), created.get(0));
  }

  @Test
  void shouldFilterByMetadataDeepObjectAndAndTheKeys() {
    assertThat(ids(http.get(jobs() + "?metadata[team]=a")))
        .containsExactly(created.get(3), created.get(0));
    assertThat(ids(http.get(jobs() + "?metadata%5Bteam%5D=a&metadata%5Benv%5D=prod")))
        .containsExactly(created.get(0));
    assertThat(ids(http.get(jobs() + "?metadata[team]=c"))).isEmpty();
    assertThat(ids(http.get(jobs() + "?metadata=null")))
        .containsExactly(created.get(4), created.get(2));
  }

  @Test
  void shouldPageThroughAFilteredList() {
    Reply first = http.get(jobs() + "?metadata[team]=a&limit=1");
    Reply second = http.get(jobs() + "?metadata[team]=a&limit=1&after=" + ids(first).get(0));

    assertThat(ids(first)).containsExactly(created.get(3));
    assertThat(first.json().get("has_more").asBoolean()).isTrue();
    assertThat(ids(second)).containsExactly(created.get(0));
    assertThat(second.json().get("has_more").asBoolean()).isFalse();
  }

  @Test
  void shouldDefaultTheLimitToTwentyAndRejectLimitsOutsideOneToHundred() {
    for (int i = 0; i < 20; i++) {
      http.post(jobs(), "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-x\"}");
    }
    Reply page = http.get(jobs());
    assertThat(page.json().get("data")).hasSize(20);
    assertThat(page.json().get("has_more").asBoolean()).isTrue();
    assertThat(http.get(jobs() + "?limit=100").json().get("data")).hasSize(25);

    Reply tooMany = http.get(jobs() + "?limit=101");
    assertThat(tooMany.code()).isEqualTo(400);
    assertThat(tooMany.error().get("param").asText()).isEqualTo("limit");
    assertThat(tooMany.error().get("code").asText()).isEqualTo("integer_above_max_value");
    assertThat(http.get(jobs() + "?limit=0").error().get("code").asText())
        .isEqualTo("integer_below_min_value");
  }

  @Test
  void shouldShortenPagesAndIgnoreTheFilterWhenTold() {
    emulator.faults().limitListPages(2).ignoreListFilters(true);

    Reply first = http.get(jobs() + "?metadata[team]=a&limit=100");
    Reply second = http.get(jobs() + "?metadata[team]=a&limit=100&after=" + ids(first).get(1));

    assertThat(ids(first)).containsExactly(created.get(4), created.get(3));
    assertThat(first.json().get("has_more").asBoolean()).isTrue();
    assertThat(ids(second)).containsExactly(created.get(2), created.get(1));
    assertThat(second.json().get("has_more").asBoolean()).isTrue();

    emulator.faults().clear();
    assertThat(ids(http.get(jobs() + "?metadata[team]=a")))
        .containsExactly(created.get(3), created.get(0));
  }

  @Test
  void shouldRejectAnUnknownCursor() {
    Reply r = http.get(jobs() + "?after=ftjob-unknown");

    assertThat(r.code()).isEqualTo(400);
    JsonNode e = r.error();
    assertThat(e.get("message").asText())
        .isEqualTo("Invalid 'after': no object with id 'ftjob-unknown' exists.");
    assertThat(e.get("param").asText()).isEqualTo("after");
  }
}
