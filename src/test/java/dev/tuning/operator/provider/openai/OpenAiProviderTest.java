package dev.tuning.operator.provider.openai;

import static dev.tuning.operator.provider.openai.OpenAiFixtures.CLOCK;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.SENTINEL_KEY;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.UID;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.ctx;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.error;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.job;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.jobJson;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.json;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.resource;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.spec;
import static dev.tuning.operator.provider.openai.OpenAiFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.OpenAiIntegration;
import dev.tuning.operator.api.v1alpha1.OpenAiReinforcement;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.api.v1alpha1.WandbIntegration;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every provider operation against MockWebServer: method, path, query, headers and body. */
class OpenAiProviderTest {

  private MockWebServer server;
  private OpenAiProvider provider;
  private final List<ProviderCall> tags = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
    Interceptor recordTag =
        chain -> {
          tags.add(chain.request().tag(ProviderCall.class));
          return chain.proceed(chain.request());
        };
    OkHttpClient http = OpenAiFixtures.http().newBuilder().addInterceptor(recordTag).build();
    var settings = OpenAiProvider.Settings.defaults().withDefaultBaseUrl(server.url("/v1").uri());
    provider = new OpenAiProvider(http, settings, CLOCK);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest();
  }

  private static void assertOpenAiHeaders(RecordedRequest r) {
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + SENTINEL_KEY);
    assertThat(r.getHeader("api-key")).isNull();
  }

  @Test
  void shouldCreateSupervisedJobWithHyperparametersSuffixSeedAndTaggedMetadata() throws Exception {
    TuningJobSpec spec = spec();
    spec.setValidationData("file-val456");
    var hp = new Hyperparameters();
    hp.setEpochs(3);
    hp.setLearningRateMultiplier(0.5);
    hp.setBatchSize(8);
    spec.setHyperparameters(hp);
    spec.setTunedModelName("support-bot");
    spec.setSeed(42);
    var labels = new LinkedHashMap<String, String>();
    labels.put("team", "support");
    labels.put("env", "prod");
    spec.setLabels(labels);
    spec.getOpenai().setOrganization("org-abc");
    spec.getOpenai().setProject("proj_xyz");
    server.enqueue(json(200, resource("running.json")));

    ProviderJob job = provider.create(ctx(spec));

    assertThat(job.id()).isEqualTo("ftjob-run789");
    assertThat(job.state()).isEqualTo(ProviderJobState.RUNNING);
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/v1/fine_tuning/jobs");
    assertOpenAiHeaders(r);
    assertThat(r.getHeader("OpenAI-Organization")).isEqualTo("org-abc");
    assertThat(r.getHeader("OpenAI-Project")).isEqualTo("proj_xyz");
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(tree(r.getBody().readUtf8()))
        .isEqualTo(
            tree(
                """
                {"model":"gpt-4o-mini-2024-07-18","training_file":"file-train123",
                 "validation_file":"file-val456",
                 "method":{"type":"supervised","supervised":{"hyperparameters":
                   {"n_epochs":3,"learning_rate_multiplier":0.5,"batch_size":8}}},
                 "suffix":"support-bot","seed":42,
                 "metadata":{"team":"support","env":"prod","tuningjob-uid":"%s"}}
                """
                    .formatted(UID)));
    assertThat(tags).containsExactly(new ProviderCall("openai", "create"));
  }

  @Test
  void shouldCreateMinimalJobWithoutHyperparametersOrOrganizationHeaders() throws Exception {
    server.enqueue(json(200, resource("queued.json")));

    provider.create(ctx(spec()));

    RecordedRequest r = take();
    assertThat(r.getHeader("OpenAI-Organization")).isNull();
    assertThat(r.getHeader("OpenAI-Project")).isNull();
    assertThat(tree(r.getBody().readUtf8()))
        .as("absent hyperparameters are omitted, which OpenAI reads as auto")
        .isEqualTo(
            tree(
                """
                {"model":"gpt-4o-mini-2024-07-18","training_file":"file-train123",
                 "method":{"type":"supervised"},"metadata":{"tuningjob-uid":"%s"}}
                """
                    .formatted(UID)));
  }

  @Test
  void shouldCreatePreferenceJobAsDpoWithBeta() throws Exception {
    TuningJobSpec spec = spec();
    spec.setMethod(TuningMethod.PREFERENCE);
    var hp = new Hyperparameters();
    hp.setBeta(0.1);
    spec.setHyperparameters(hp);
    server.enqueue(json(200, resource("dpo-queued.json")));

    ProviderJob job = provider.create(ctx(spec));

    assertThat(job.hyperparameters()).containsEntry("beta", "0.1");
    assertThat(tree(take().getBody().readUtf8()).get("method"))
        .isEqualTo(tree("{\"type\":\"dpo\",\"dpo\":{\"hyperparameters\":{\"beta\":0.1}}}"));
  }

  @Test
  void shouldCreateReinforcementJobPassingGraderThroughUnchanged() throws Exception {
    String grader =
        """
        {"type":"multi","name":"combo","calculate_output":"0.5 * a + 0.5 * b",
         "graders":{"a":{"type":"string_check","name":"a","input":"{{sample.output_text}}",
                         "reference":"{{item.label}}","operation":"eq"},
                    "b":{"type":"score_model","name":"b","model":"o4-mini",
                         "input":[{"role":"user","content":"Grade {{sample.output_text}}"}],
                         "range":[0,1],"sampling_params":{"seed":7,"temperature":0.2}}}}
        """;
    TuningJobSpec spec = spec();
    spec.setBaseModel("o4-mini");
    spec.setMethod(TuningMethod.REINFORCEMENT);
    var hp = new Hyperparameters();
    hp.setEpochs(2);
    spec.setHyperparameters(hp);
    var rl = new OpenAiReinforcement();
    rl.setGrader(tree(grader));
    rl.setReasoningEffort(OpenAiReinforcement.ReasoningEffort.MEDIUM);
    rl.setComputeMultiplier(1.5);
    rl.setEvalInterval(10);
    rl.setEvalSamples(4);
    spec.getOpenai().setReinforcement(rl);
    server.enqueue(json(200, resource("validating-reinforcement.json")));

    ProviderJob job = provider.create(ctx(spec));

    assertThat(job.rawState()).isEqualTo("validating_files");
    assertThat(tree(take().getBody().readUtf8()).get("method"))
        .isEqualTo(
            tree(
                """
                {"type":"reinforcement","reinforcement":{"grader":%s,
                 "hyperparameters":{"n_epochs":2,"reasoning_effort":"medium",
                   "compute_multiplier":1.5,"eval_interval":10,"eval_samples":4}}}
                """
                    .formatted(grader)));
  }

  @Test
  void shouldCreateJobWithWandbIntegration() throws Exception {
    TuningJobSpec spec = spec();
    var wandb = new WandbIntegration();
    wandb.setProject("my-wandb-project");
    wandb.setName("ft-run-display-name");
    wandb.setEntity("my-team");
    wandb.setTags(List.of("first-experiment", "v2"));
    var integration = new OpenAiIntegration();
    integration.setType(OpenAiIntegration.Type.wandb);
    integration.setWandb(wandb);
    spec.getOpenai().setIntegrations(List.of(integration));
    server.enqueue(json(200, resource("queued.json")));

    provider.create(ctx(spec));

    assertThat(tree(take().getBody().readUtf8()).get("integrations"))
        .isEqualTo(
            tree(
                """
                [{"type":"wandb","wandb":{"project":"my-wandb-project","name":"ft-run-display-name",
                  "entity":"my-team","tags":["first-experiment","v2"]}}]
                """));
  }

  @Test
  void shouldGetJobById() throws Exception {
    server.enqueue(json(200, resource("succeeded.json")));

    ProviderJob job = provider.get(ctx(spec()), "ftjob-abc123");

    assertThat(job.tunedModel()).isEqualTo("ft:davinci-002:my-org:custom_suffix:7q8mpxmy");
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getPath()).isEqualTo("/v1/fine_tuning/jobs/ftjob-abc123");
    assertThat(r.getBodySize()).isZero();
    assertOpenAiHeaders(r);
    assertThat(tags).containsExactly(new ProviderCall("openai", "get"));
  }

  /** Ids reach the URL path: a dot-segment or anything but ftjob-… never becomes a request. */
  @Test
  void shouldRefuseJobIdsThatAreNotOpenAiIdsBeforeAnyRequest() {
    for (String id : List.of("..", "../files/x", "ftjob-a/../../files", "ftjob-", "file-abc", "")) {
      assertThat(provider.isJobId(id)).as(id).isFalse();
      for (var call :
          List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
              () -> provider.get(ctx(spec()), id),
              () -> provider.cancel(ctx(spec()), id),
              () -> provider.pause(ctx(spec()), id),
              () -> provider.progress(ctx(spec()), id))) {
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT))
            .hasMessageContaining("not an OpenAI fine-tuning job id");
      }
    }
    assertThat(provider.isJobId("ftjob-abc123")).isTrue();
    assertThat(server.getRequestCount()).isZero();
  }

  /** A list that cannot be seen whole is an error, never "no job": that would mean a create. */
  @Test
  void shouldFailALookupThatCouldNotSeeEveryPage() {
    String page =
        """
        {"object":"list","has_more":true,"data":[%s]}
        """
            .formatted(
                jobJson("ftjob-other", "running", 1721760000L, Map.of("tuningjob-uid", "x")));
    server.enqueue(json(200, page));
    server.enqueue(json(200, page));

    assertThatThrownBy(() -> provider.findByTag(ctx(spec())))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT))
        .hasMessageContaining("list incomplete (the list repeated a page cursor)");
  }

  @Test
  void shouldFailALookupWhosePageSaysHasMoreWithoutAnyJob() {
    server.enqueue(json(200, "{\"object\":\"list\",\"has_more\":true,\"data\":[]}"));

    assertThatThrownBy(() -> provider.findByTag(ctx(spec())))
        .hasMessageContaining("list incomplete (a page said has_more without any job)");
  }

  /** A create that would leave too late after its recorded start is not sent at all. */
  @Test
  void shouldNotSendACreatePastItsSendByDeadline() {
    var late = ctx(spec()).withSendBy(CLOCK.instant().minusSeconds(1));

    assertThatThrownBy(() -> provider.create(late))
        .isInstanceOfSatisfying(
            dev.tuning.operator.provider.CreateNotSentException.class,
            e -> assertThat(e.outcomeUnknown()).as("nothing was sent: no job").isFalse())
        .hasMessageContaining("create not sent: too late");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void shouldFindTaggedJobAcrossPagesCheckingMetadataClientSide() throws Exception {
    String page1 =
        """
        {"object":"list","has_more":true,"data":[%s,%s]}
        """
            .formatted(
                jobJson("ftjob-other", "running", 1721760000L, Map.of("tuningjob-uid", "nope")),
                jobJson("ftjob-newer", "running", 1721769999L, Map.of("tuningjob-uid", UID)));
    String page2 =
        """
        {"object":"list","has_more":false,"data":[%s,%s]}
        """
            .formatted(
                jobJson("ftjob-untagged", "queued", 1721700000L, Map.of()),
                jobJson("ftjob-older", "succeeded", 1721764800L, Map.of("tuningjob-uid", UID)));
    server.enqueue(json(200, page1));
    server.enqueue(json(200, page2));

    Optional<ProviderJob> found = provider.findByTag(ctx(spec()));

    // The shared adoption policy (TagMatches): the active duplicate, so it stays cancellable.
    assertThat(found).map(ProviderJob::id).contains("ftjob-newer");
    RecordedRequest first = take();
    assertThat(first.getMethod()).isEqualTo("GET");
    assertThat(first.getRequestUrl().encodedPath()).isEqualTo("/v1/fine_tuning/jobs");
    assertThat(first.getRequestUrl().queryParameter("limit")).isEqualTo("100");
    assertThat(first.getRequestUrl().queryParameter("metadata[tuningjob-uid]")).isEqualTo(UID);
    assertThat(first.getRequestUrl().queryParameter("after")).isNull();
    assertThat(first.getPath()).contains("metadata%5Btuningjob-uid%5D=" + UID);
    assertOpenAiHeaders(first);
    RecordedRequest second = take();
    assertThat(second.getRequestUrl().queryParameter("after")).isEqualTo("ftjob-newer");
    assertThat(second.getRequestUrl().queryParameter("metadata[tuningjob-uid]")).isEqualTo(UID);
    assertThat(tags)
        .containsExactly(new ProviderCall("openai", "list"), new ProviderCall("openai", "list"));
  }

  @Test
  void shouldReturnEmptyWhenNoJobCarriesTheTag() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"object\":\"list\",\"has_more\":false,\"data\":[%s]}"
                .formatted(jobJson("ftjob-x", "running", 1L, Map.of("tuningjob-uid", "other")))));

    assertThat(provider.findByTag(ctx(spec()))).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldCancelPauseAndResumeWithEmptyPosts() throws Exception {
    server.enqueue(job("cancelled"));
    server.enqueue(job("paused"));
    server.enqueue(job("queued"));

    assertThat(provider.cancel(ctx(spec()), "ftjob-abc123").state())
        .isEqualTo(ProviderJobState.CANCELLED);
    assertThat(provider.pause(ctx(spec()), "ftjob-abc123").state())
        .isEqualTo(ProviderJobState.PAUSED);
    assertThat(provider.resume(ctx(spec()), "ftjob-abc123").state())
        .isEqualTo(ProviderJobState.QUEUED);

    for (String action : List.of("cancel", "pause", "resume")) {
      RecordedRequest r = take();
      assertThat(r.getMethod()).isEqualTo("POST");
      assertThat(r.getPath()).isEqualTo("/v1/fine_tuning/jobs/ftjob-abc123/" + action);
      assertThat(r.getBodySize()).isZero();
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
      assertOpenAiHeaders(r);
    }
    assertThat(tags)
        .containsExactly(
            new ProviderCall("openai", "cancel"),
            new ProviderCall("openai", "pause"),
            new ProviderCall("openai", "resume"));
    assertThat(provider.supportsPause()).isTrue();
    assertThat(provider.id()).isEqualTo("openai");
  }

  @Test
  void shouldTreatRejectedCancelOfFinishedJobAsDone() throws Exception {
    server.enqueue(
        json(400, error("Job has already completed", "invalid_request_error", null, null)));
    server.enqueue(job("succeeded"));

    ProviderJob job = provider.cancel(ctx(spec()), "ftjob-abc123");

    assertThat(job.state()).isEqualTo(ProviderJobState.SUCCEEDED);
    assertThat(take().getPath()).endsWith("/cancel");
    RecordedRequest reread = take();
    assertThat(reread.getMethod()).isEqualTo("GET");
    assertThat(reread.getPath()).isEqualTo("/v1/fine_tuning/jobs/ftjob-abc123");
  }

  @Test
  void shouldTreatConflictingPauseOfPausedJobAsDone() throws Exception {
    server.enqueue(json(409, error("Job is not running", "invalid_request_error", null, null)));
    server.enqueue(job("paused"));

    assertThat(provider.pause(ctx(spec()), "ftjob-abc123").state())
        .isEqualTo(ProviderJobState.PAUSED);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void shouldKeepResumeErrorWhenJobIsStillPaused() throws Exception {
    server.enqueue(
        json(400, error("Job cannot be resumed", "invalid_request_error", null, "bad_state")));
    server.enqueue(job("paused"));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.resume(ctx(spec()), "ftjob-abc123"));

    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.getMessage()).contains("Job cannot be resumed").contains("(request id req_123)");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void shouldNotRereadAfterAuthFailureOrNotFound() throws Exception {
    server.enqueue(
        json(
            401,
            error("Incorrect API key provided", "invalid_request_error", null, "invalid_api_key")));
    server.enqueue(json(404, error("No such job", "invalid_request_error", "id", null)));

    ProviderException auth =
        catchThrowableOfType(
            ProviderException.class, () -> provider.cancel(ctx(spec()), "ftjob-abc123"));
    ProviderException missing =
        catchThrowableOfType(
            ProviderException.class, () -> provider.cancel(ctx(spec()), "ftjob-gone"));

    assertThat(auth.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(missing.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  // --- progress ----------------------------------------------------------------------------------

  @Test
  void shouldReadProgressFromTheNewestCheckpointOnly() throws Exception {
    server.enqueue(json(200, resource("checkpoints.json")));

    Optional<ProviderJob.Progress> progress = provider.progress(ctx(spec()), "ftjob-abc123");

    assertThat(progress).contains(new ProviderJob.Progress(88L, 0.478, 0.567));
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getPath()).isEqualTo("/v1/fine_tuning/jobs/ftjob-abc123/checkpoints?limit=1");
    assertThat(r.getBodySize()).isZero();
    assertOpenAiHeaders(r);
    assertThat(tags).containsExactly(new ProviderCall("openai", "progress"));
  }

  @Test
  void shouldReportNoProgressBeforeTheFirstCheckpoint() throws Exception {
    server.enqueue(json(200, resource("checkpoints-empty.json")));

    assertThat(provider.progress(ctx(spec()), "ftjob-abc123")).isEmpty();
  }

  @Test
  void shouldClassifyProgressFailuresLikeTheOtherReads() {
    server.enqueue(json(404, error("No such job", "invalid_request_error", "id", null)));
    server.enqueue(
        json(429, error("Rate limit reached", "requests", null, "rate_limit_exceeded"))
            .setHeader("retry-after", "7"));
    server.enqueue(json(503, error("Overloaded", "server_error", null, null)));
    server.enqueue(json(200, "{\"object\":\"list\",\"has_more\":false}"));

    List<ProviderException> failures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      failures.add(
          catchThrowableOfType(
              ProviderException.class, () -> provider.progress(ctx(spec()), "ftjob-abc123")));
    }

    assertThat(failures)
        .extracting(ProviderException::kind)
        .containsExactly(
            ErrorKind.NOT_FOUND, ErrorKind.RATE_LIMITED, ErrorKind.TRANSIENT, ErrorKind.TRANSIENT);
    assertThat(failures.get(0).getMessage())
        .isEqualTo(
            "OpenAI progress failed: HTTP 404 (invalid_request_error): No such job [param id]"
                + " (request id req_123)");
    assertThat(failures.get(1).retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(failures.get(3).getMessage())
        .as("a page without data is malformed")
        .contains("malformed JSON body");
    assertThat(failures).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(SENTINEL_KEY));
  }
}
