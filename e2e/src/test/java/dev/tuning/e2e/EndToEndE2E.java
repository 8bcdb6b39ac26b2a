package dev.tuning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;
import software.amazon.awssdk.services.bedrock.model.ModelCustomizationJobStatus;

/**
 * The built operator as a separate process against the real API server and the provider emulators,
 * driven with kubectl as users drive it.
 */
class EndToEndE2E {

  static final Duration WAIT = Duration.ofMinutes(2);
  static final String BEDROCK_ARN = "arn:aws:bedrock:us-east-1:123456789012:";
  static final String NOVA_MICRO = "amazon.nova-micro-v1:0:128k";
  static E2eEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    env =
        new E2eEnvironment(
            EmulatorConfig.defaults()
                .withValidating(Duration.ofMillis(500))
                .withQueued(Duration.ofMillis(500))
                .withRunning(Duration.ofSeconds(8))
                .withCancelling(Duration.ofMillis(500)));
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void samplesAppliedWithKubectlReachSucceeded() throws Exception {
    String ns = "e2e-samples";
    env.namespace(ns);
    int openAiCreates = env.openAi().creates().size();
    int vertexCreates = env.vertex().creates().size();
    int bedrockCreates = env.bedrock().creates().size();
    try (var operator = env.operator(ns).start().awaitReady(WAIT)) {
      env.kubectl("apply", "-n", ns, "-f", "config/samples/");

      String waited =
          env.kubectl(
              "wait",
              "-n",
              ns,
              "--for=condition=Succeeded",
              "--timeout=180s",
              "tj/support-bot",
              "tj/tone-dpo",
              "tj/gemini-support",
              "tj/gemini-tone",
              "tj/nova-support",
              "tj/nova-distilled");
      assertThat(waited.lines().filter(l -> l.contains("condition met"))).hasSize(6);

      // The Azure sample names a real Azure host: refused by the allow-list, nothing sent.
      TuningJob azure = job(ns, "azure-support-bot");
      await().atMost(WAIT).until(() -> phase(job(ns, "azure-support-bot")) == Phase.Failed);
      azure = job(ns, "azure-support-bot");
      assertThat(azure.getStatus().getError().getCode()).isEqualTo("EndpointNotAllowed");
      assertThat(env.openAi().creates().size() - openAiCreates).isEqualTo(2);
      assertThat(env.vertex().creates().size() - vertexCreates).isEqualTo(2);
      assertThat(env.bedrock().creates().size() - bedrockCreates).isEqualTo(2);

      String table = env.kubectl("get", "tj", "-n", ns);
      assertThat(table)
          .contains(
              "PROVIDER", "PHASE", "TUNED MODEL", "Succeeded", "ft:", "models/", ":custom-model/");
      assertThat(operator.metrics())
          .contains("tuning_jobs{phase=\"Succeeded\",provider=\"vertex\"} 2.0")
          .contains("tuning_jobs{phase=\"Succeeded\",provider=\"bedrock\"} 2.0");

      // SIGTERM stops the operator gracefully (its shutdown hook runs) rather than being killed.
      operator.stop();
      assertThat(operator.isAlive()).isFalse();
      assertThat(operator.logs()).contains("Shutting down");
    }
  }

  @Test
  void deletingARunningJobCancelsItOnce() throws Exception {
    String ns = "e2e-delete";
    env.namespace(ns);
    try (var operator = env.operator(ns).start().awaitReady(WAIT)) {
      var jobs = env.client().resources(TuningJob.class).inNamespace(ns);
      TuningJob job = TuningJobs.openAi(ns, "doomed");
      job.getSpec().setTrainingData("file-longrunning");
      jobs.resource(job).create();
      await().atMost(WAIT).until(() -> phase(job(ns, "doomed")) == Phase.Running);
      String jobId = job(ns, "doomed").getStatus().getJobId();
      int cancelsBefore = env.openAi().cancels().size();

      env.kubectl("delete", "-n", ns, "tj/doomed", "--wait=true", "--timeout=120s");

      assertThat(env.openAi().cancels().size() - cancelsBefore).isEqualTo(1);
      assertThat(env.openAi().count("POST", ".*/fine_tuning/jobs/" + jobId + "/cancel"))
          .isEqualTo(1);
      assertThat(jobs.withName("doomed").get()).isNull();
    }
  }

  @Test
  void bedrockJobsEndAsTheEmulatorEndsThem() throws Exception {
    String ns = "e2e-bedrock";
    env.namespace(ns);
    var jobs = env.client().resources(TuningJob.class).inNamespace(ns);
    try (var operator = env.operator(ns).start().awaitReady(WAIT)) {
      TuningJob nova = TuningJobs.bedrock(ns, "nova");
      nova.getSpec().setValidationData("s3://ml-tuning-data/support-bot/val.jsonl");
      jobs.resource(nova).create();
      TuningJob broken = TuningJobs.bedrock(ns, "nova-broken");
      broken.getSpec().setTrainingData("s3://ml-tuning-data/support-bot/fail-train.jsonl");
      jobs.resource(broken).create();

      await().atMost(WAIT).until(() -> phase(job(ns, "nova")) == Phase.Succeeded);
      await().atMost(WAIT).until(() -> phase(job(ns, "nova-broken")) == Phase.Failed);

      var done = job(ns, "nova");
      var status = done.getStatus();
      assertThat(status.getJobId())
          .matches(
              Pattern.quote(BEDROCK_ARN + "model-customization-job/" + NOVA_MICRO + "/")
                  + "[a-z0-9]{12}");
      assertThat(status.getTunedModel())
          .matches(
              Pattern.quote(BEDROCK_ARN + "custom-model/" + NOVA_MICRO + "/") + "[a-z0-9]{12}");
      assertThat(status.getProviderState()).isEqualTo("Completed");
      assertThat(status.getProviderStateDetail())
          .isEqualTo("validation Completed, data processing Completed, training Completed");
      assertThat(status.getProgress()).isNotNull();
      assertThat(status.getProgress().getTrainingLoss()).isNotNull().isPositive();
      assertThat(status.getProgress().getValidationLoss()).isNotNull().isPositive();
      assertThat(status.getError()).isNull();
      assertThat(env.bedrock().jobsByTag()).containsEntry(done.getMetadata().getUid(), 1L);

      var failed = job(ns, "nova-broken");
      assertThat(failed.getStatus().getProviderState()).isEqualTo("Failed");
      assertThat(failed.getStatus().getError().getMessage())
          .contains(env.bedrock().options().failureMessage());
      assertThat(failed.getStatus().getTunedModel()).isNull();
      assertThat(env.bedrock().jobsByTag()).containsEntry(failed.getMetadata().getUid(), 1L);

      // Signed with the Secret's key (SigV4), never a bearer token.
      assertThat(env.bedrock().signedBy(TuningJobs.AWS_ACCESS_KEY_ID)).isNotEmpty();
      assertThat(env.bedrock().bearerRequests()).isEmpty();
    }
  }

  @Test
  void deletingARunningBedrockJobStopsItOnce() throws Exception {
    String ns = "e2e-bedrock-delete";
    env.namespace(ns);
    try (var operator = env.operator(ns).start().awaitReady(WAIT)) {
      var jobs = env.client().resources(TuningJob.class).inNamespace(ns);
      jobs.resource(TuningJobs.bedrock(ns, "doomed")).create();
      await().atMost(WAIT).until(() -> phase(job(ns, "doomed")) == Phase.Running);
      String jobArn = job(ns, "doomed").getStatus().getJobId();
      int stopsBefore = env.bedrock().cancels().size();

      env.kubectl("delete", "-n", ns, "tj/doomed", "--wait=true", "--timeout=120s");

      assertThat(env.bedrock().cancels().size() - stopsBefore).isEqualTo(1);
      assertThat(
              env.bedrock().cancels().stream()
                  .filter(
                      r ->
                          URLDecoder.decode(r.path(), StandardCharsets.UTF_8)
                              .equals("/model-customization-jobs/" + jobArn + "/stop")))
          .hasSize(1);
      assertThat(jobs.withName("doomed").get()).isNull();
      try (BedrockClient aws = bedrockClient()) {
        assertThat(aws.getModelCustomizationJob(b -> b.jobIdentifier(jobArn)).status())
            .isEqualTo(ModelCustomizationJobStatus.STOPPED);
      }
    }
  }

  @Test
  void sigkillDuringSubmissionNeverCreatesADuplicate() throws Exception {
    String ns = "e2e-crash";
    env.namespace(ns);
    var jobs = env.client().resources(TuningJob.class).inNamespace(ns);
    int createsBefore = env.openAi().creates().size();
    // The create is answered only after 4 s: the operator has recorded Submitting and waits.
    env.openAi().faults().enqueue(Faults.Operation.CREATE, Fault.delay(Duration.ofSeconds(4)));
    try (var first = env.operator(ns).start().awaitReady(WAIT)) {
      jobs.resource(TuningJobs.openAi(ns, "crashy")).create();
      await().atMost(WAIT).until(() -> phase(job(ns, "crashy")) == Phase.Submitting);
      await().atMost(WAIT).until(() -> env.openAi().creates().size() - createsBefore == 1);
      first.kill();
    }
    assertThat(job(ns, "crashy").getStatus().getJobId()).isNull();

    try (var second = env.operator(ns).start().awaitReady(WAIT)) {
      await().atMost(WAIT).until(() -> phase(job(ns, "crashy")) == Phase.Succeeded);
      assertThat(env.openAi().creates().size() - createsBefore).isEqualTo(1);
      assertThat(env.openAi().jobCount()).isGreaterThanOrEqualTo(1);
      assertThat(job(ns, "crashy").getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("JobAdopted"));
    }
  }

  @Test
  void restartMidRunLosesNothing() throws Exception {
    String ns = "e2e-restart";
    env.namespace(ns);
    var jobs = env.client().resources(TuningJob.class).inNamespace(ns);
    int createsBefore = env.openAi().creates().size() + env.vertex().creates().size();
    String idBefore;
    try (var first = env.operator(ns).start().awaitReady(WAIT)) {
      for (String name : List.of("a", "b")) {
        jobs.resource(TuningJobs.openAi(ns, "openai-" + name)).create();
      }
      TuningJob vertexJob = TuningJobs.vertex(ns, "vertex-a");
      vertexJob.getSpec().getVertex().setCredentialsSecretRef(null);
      jobs.resource(vertexJob).create();
      await().atMost(WAIT).until(() -> phase(job(ns, "openai-a")) == Phase.Running);
      idBefore = job(ns, "openai-a").getStatus().getJobId();
      first.kill();
    }

    try (var second = env.operator(ns).start().awaitReady(WAIT)) {
      for (String name : List.of("openai-a", "openai-b", "vertex-a")) {
        await().atMost(WAIT).until(() -> phase(job(ns, name)) == Phase.Succeeded);
      }
      assertThat(job(ns, "openai-a").getStatus().getJobId()).isEqualTo(idBefore);
      assertThat(env.openAi().creates().size() + env.vertex().creates().size() - createsBefore)
          .isEqualTo(3);
    }
  }

  /** The test's own view of the Bedrock emulator, as the operator's clients see it (SigV4). */
  private static BedrockClient bedrockClient() {
    return BedrockClient.builder()
        .endpointOverride(URI.create(env.bedrock().baseUrl()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    TuningJobs.AWS_ACCESS_KEY_ID, TuningJobs.AWS_SECRET_ACCESS_KEY)))
        .authSchemeProvider(BedrockAuthSchemeProvider.defaultProvider(List.of("sigv4")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static TuningJob job(String ns, String name) {
    return env.client().resources(TuningJob.class).inNamespace(ns).withName(name).get();
  }

  private static Phase phase(TuningJob job) {
    return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
  }
}
