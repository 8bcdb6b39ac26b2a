package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.FineTuningJobStatus;
import software.amazon.awssdk.services.bedrock.model.JobStatusDetails;
import software.amazon.awssdk.services.bedrock.model.ListModelCustomizationJobsResponse;
import software.amazon.awssdk.services.bedrock.model.ModelCustomizationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ModelCustomizationJobSummary;
import software.amazon.awssdk.services.bedrock.model.SortJobsBy;
import software.amazon.awssdk.services.bedrock.model.SortOrder;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

class BedrockEmulatorListTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T09:00:00Z"));
  private final BedrockEmulator emulator =
      new BedrockEmulator(
          EmulatorConfig.defaults()
              .withClock(clock)
              .withValidating(Duration.ofMinutes(1))
              .withQueued(Duration.ZERO)
              .withRunning(Duration.ofMinutes(10)));
  private final BedrockClient bedrock = BedrockSdk.client(emulator);

  /** Five 11-minute jobs five minutes apart, ml-0 (oldest) … ml-4; it is 09:20:30 after. */
  @BeforeEach
  void createJobs() {
    for (int i = 0; i < 5; i++) {
      String name = "ml-" + i;
      bedrock.createModelCustomizationJob(
          BedrockSdk.create(name).clientRequestToken("token-" + i).build());
      clock.advance(i < 4 ? Duration.ofMinutes(5) : Duration.ofSeconds(30));
    }
  }

  @AfterEach
  void close() {
    bedrock.close();
    emulator.close();
  }

  private static List<String> names(List<ModelCustomizationJobSummary> summaries) {
    return summaries.stream().map(ModelCustomizationJobSummary::jobName).toList();
  }

  @Test
  void shouldPageThroughAllJobsNewestFirstWithThePaginator() {
    List<ModelCustomizationJobSummary> all =
        bedrock
            .listModelCustomizationJobsPaginator(r -> r.maxResults(2))
            .modelCustomizationJobSummaries()
            .stream()
            .toList();

    assertThat(names(all)).containsExactly("ml-4", "ml-3", "ml-2", "ml-1", "ml-0");
    assertThat(emulator.count("GET", "/model-customization-jobs")).isEqualTo(3);
    ModelCustomizationJobSummary oldest = all.get(4);
    assertThat(oldest.status()).isEqualTo(ModelCustomizationJobStatus.COMPLETED);
    assertThat(oldest.customModelArn()).contains(":custom-model/");
    assertThat(oldest.customModelName()).isEqualTo("support-bot-v3");
    assertThat(oldest.baseModelArn()).contains(":foundation-model/");
    assertThat(oldest.endTime()).isNotNull();
    assertThat(oldest.statusDetails().trainingDetails().status())
        .isEqualTo(JobStatusDetails.COMPLETED);
    assertThat(all.get(0).customModelArn()).isNull();
    assertThat(all.get(0).endTime()).isNull();
  }

  @Test
  void shouldFilterByStatusNameAndCreationTimeAndSortAscending() {
    ListModelCustomizationJobsResponse page =
        bedrock.listModelCustomizationJobs(
            r ->
                r.statusEquals(FineTuningJobStatus.IN_PROGRESS)
                    .nameContains("ml-")
                    .creationTimeAfter(Instant.parse("2026-11-20T09:05:00Z"))
                    .creationTimeBefore(Instant.parse("2026-11-20T09:20:00Z"))
                    .sortBy(SortJobsBy.CREATION_TIME)
                    .sortOrder(SortOrder.ASCENDING)
                    .maxResults(100));

    // ml-1 was created at 09:05 exactly: the bounds are exclusive; ml-2 and ml-3 remain
    assertThat(names(page.modelCustomizationJobSummaries())).containsExactly("ml-2", "ml-3");
    assertThat(page.nextToken()).isNull();
    RecordedRequest sent = emulator.requests().all().get(5);
    assertThat(sent.query())
        .isEqualTo(
            "creationTimeAfter=2026-11-20T09%3A05%3A00Z&creationTimeBefore=2026-11-20T09%3A20%3A00Z"
                + "&statusEquals=InProgress&nameContains=ml-&maxResults=100&sortBy=CreationTime"
                + "&sortOrder=Ascending");
    assertThat(
            names(
                bedrock
                    .listModelCustomizationJobs(r -> r.statusEquals(FineTuningJobStatus.COMPLETED))
                    .modelCustomizationJobSummaries()))
        .containsExactly("ml-1", "ml-0");
    assertThat(
            names(
                bedrock
                    .listModelCustomizationJobs(r -> r.nameContains("ml-3"))
                    .modelCustomizationJobSummaries()))
        .containsExactly("ml-3");
  }

  @Test
  void shouldKeepATokenValidWhenTheLastJobShownChangesState() {
    ListModelCustomizationJobsResponse first =
        bedrock.listModelCustomizationJobs(
            r -> r.statusEquals(FineTuningJobStatus.IN_PROGRESS).maxResults(2));
    assertThat(names(first.modelCustomizationJobSummaries())).containsExactly("ml-4", "ml-3");

    clock.advance(Duration.ofMinutes(10)); // ml-2, ml-3 and ml-4 complete
    ListModelCustomizationJobsResponse second =
        bedrock.listModelCustomizationJobs(
            r ->
                r.statusEquals(FineTuningJobStatus.COMPLETED)
                    .maxResults(2)
                    .nextToken(first.nextToken()));

    assertThat(names(second.modelCustomizationJobSummaries())).containsExactly("ml-2", "ml-1");
    assertThat(second.nextToken()).isNotNull();
  }

  @Test
  void shouldRefuseInvalidParametersWithValidationException() {
    assertThatThrownBy(() -> bedrock.listModelCustomizationJobs(r -> r.maxResults(0)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("'maxResults'")
                  .contains("greater than or equal to 1");
            });
    assertThatThrownBy(() -> bedrock.listModelCustomizationJobs(r -> r.maxResults(1001)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("less than or equal to 1000");
    assertThatThrownBy(() -> bedrock.listModelCustomizationJobs(r -> r.nextToken("bm9wZQ")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("pagination token");

    String jobs = emulator.baseUrl() + "/model-customization-jobs";
    Reply status = BedrockSdk.raw().get(jobs + "?statusEquals=Running");
    Reply sort = BedrockSdk.raw().get(jobs + "?sortBy=Name");
    Reply time = BedrockSdk.raw().get(jobs + "?creationTimeAfter=yesterday");

    assertThat(status.code()).isEqualTo(400);
    assertThat(status.headers().get("x-amzn-ErrorType")).isEqualTo("ValidationException");
    assertThat(status.json().get("message").asText()).contains("'statusEquals'");
    assertThat(sort.json().get("message").asText()).contains("'sortBy'");
    assertThat(time.json().get("message").asText()).contains("'creationTimeAfter'");
  }
}
