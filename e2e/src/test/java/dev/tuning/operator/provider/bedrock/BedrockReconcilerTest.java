package dev.tuning.operator.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.e2e.emulator.BedrockEmulator;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults.Operation;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.CrashOnceProvider;
import dev.tuning.operator.provider.EmulatorReconcilerTestSupport;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.reconciler.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real reconciler (JOSDK on the Fabric8 mock server) driving the real {@link BedrockProvider}
 * (AWS SDK, SigV4) against the in-process {@link BedrockEmulator} on 127.0.0.1. What the provider
 * itself does is {@link BedrockProviderContractTest}; these are the operator's scenarios.
 */
@EnableKubernetesMockClient(crud = true)
class BedrockReconcilerTest extends EmulatorReconcilerTestSupport {

  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";

  /** Short real-time stages: a job succeeds about 1.4 s after its create. */
  static final EmulatorConfig FAST =
      EmulatorConfig.defaults()
          .withValidating(Duration.ofMillis(200))
          .withQueued(Duration.ofMillis(200))
          .withRunning(Duration.ofSeconds(1))
          .withCancelling(Duration.ofMillis(300));

  KubernetesMockServer server;
  KubernetesClient client;
  BedrockEmulator emulator;
  BedrockProvider provider;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  private void start(EmulatorConfig config) {
    start(config, s -> s, CredentialDefaults.none(), p -> p);
  }

  private void start(
      EmulatorConfig config,
      UnaryOperator<BedrockProvider.Settings> settings,
      CredentialDefaults defaults,
      UnaryOperator<TuningProvider> wrap) {
    emulator = new BedrockEmulator(config);
    provider =
        new BedrockProvider(
            settings.apply(
                BedrockProvider.Settings.defaults()
                    .withEndpoint(URI.create(emulator.baseUrl()))
                    .withCallTimeout(Duration.ofSeconds(10))),
            Clock.systemUTC());
    startOperator(
        emulator,
        wrap.apply(provider),
        TuningJobs.awsSecret(NS, "aws-ml", KEY_ID, "emulator-secret"),
        defaults);
  }

  @Test
  void shouldRunAJobToSucceededAndMirrorTheJobView() {
    start(FAST);
    TuningJob job = TuningJobs.bedrock(NS, "nova");
    job.getSpec().setTunedModelName("support-bot-v3");
    apply(job);

    TuningJob done = awaitPhase("nova", Phase.Succeeded);

    var status = done.getStatus();
    assertThat(provider.isJobId(status.getJobId())).as(status.getJobId()).isTrue();
    assertThat(status.getProviderState()).isEqualTo("Completed");
    assertThat(status.getTunedModel()).contains(":custom-model/");
    assertThat(status.getResultFiles()).containsExactly("s3://ml-tuning-output/support-bot/");
    assertThat(status.getCreateTime()).isNotNull();
    assertThat(status.getEndTime()).isNotNull();
    assertThat(status.getError()).isNull();
    assertThat(condition(done, "Submitted").getReason()).isEqualTo(Reason.JOB_CREATED.value());
    assertThat(emulator.creates()).hasSize(1);
    assertThat(emulator.jobsByTag()).containsEntry(done.getMetadata().getUid(), 1L);
    assertThat(emulator.signedBy(KEY_ID)).isNotEmpty();
    assertThat(emulator.bearerRequests()).isEmpty();
  }

  @Test
  void shouldRunTheBedrockSamplesToSucceeded() throws java.io.IOException {
    start(FAST);
    for (String sample : new String[] {"bedrock-nova-supervised", "bedrock-distillation"}) {
      try (var in =
          java.nio.file.Files.newInputStream(
              java.nio.file.Path.of("config", "samples", sample + ".yaml"))) {
        TuningJob job = client.getKubernetesSerialization().unmarshal(in, TuningJob.class);
        job.getMetadata().setNamespace(NS);
        apply(job);
      }
    }

    for (String name : new String[] {"nova-support", "nova-distilled"}) {
      TuningJob done = awaitPhase(name, Phase.Succeeded);
      assertThat(done.getStatus().getTunedModel()).contains(":custom-model/");
      assertThat(emulator.jobsByTag()).containsEntry(done.getMetadata().getUid(), 1L);
    }
    assertThat(emulator.creates()).hasSize(2);
  }

  @Test
  void shouldReportTheFailureMessageOfAFailedJob() {
    start(FAST);
    TuningJob job = TuningJobs.bedrock(NS, "broken");
    job.getSpec().setTrainingData("s3://ml-tuning-data/support-bot/fail.jsonl");
    apply(job);

    TuningJob failed = awaitPhase("broken", Phase.Failed);

    assertThat(failed.getStatus().getProviderState()).isEqualTo("Failed");
    assertThat(failed.getStatus().getError().getMessage()).isNotBlank();
    assertThat(condition(failed, "Failed").getStatus()).isEqualTo("True");
  }

  @Test
  void shouldStopTheRunningJobOnceWhenDeleted() {
    start(FAST.withRunning(Duration.ofMinutes(10)));
    apply(TuningJobs.bedrock(NS, "doomed"));
    awaitPhase("doomed", Phase.Running);

    tuningJobs().withName("doomed").delete();

    await().atMost(WAIT).until(() -> get("doomed").isEmpty());
    assertThat(emulator.cancels()).hasSize(1);
    assertThat(emulator.creates()).hasSize(1);
  }

  /** The create lands, the operator "dies" before writing the ARN: the job name finds it. */
  @Test
  void shouldAdoptThroughTheJobNameAfterACrashBetweenCreateAndStatusWrite() {
    CrashOnceProvider[] crashing = new CrashOnceProvider[1];
    start(FAST, s -> s, CredentialDefaults.none(), p -> crashing[0] = new CrashOnceProvider(p));
    apply(TuningJobs.bedrock(NS, "crashy"));

    TuningJob done = awaitPhase("crashy", Phase.Succeeded);

    assertThat(crashing[0].lostJobId()).isEqualTo(done.getStatus().getJobId());
    assertThat(emulator.jobsByTag()).containsEntry(done.getMetadata().getUid(), 1L);
    assertThat(emulator.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldRideOutThrottlingWithExactlyOneJob() {
    start(FAST);
    emulator
        .faults()
        .enqueue(Operation.CREATE, Fault.rateLimit(1))
        .enqueue(Operation.GET, Fault.rateLimit(1), Fault.rateLimit(1));
    apply(TuningJobs.bedrock(NS, "throttled"));

    TuningJob done = awaitPhase("throttled", Phase.Succeeded);

    awaitEventReasons("throttled", Reason.RATE_LIMITED.value());
    assertThat(emulator.jobsByTag()).containsEntry(done.getMetadata().getUid(), 1L);
    assertThat(emulator.jobCount()).isEqualTo(1);
  }

  /** Hostile or wrong input never reaches the emulator (the API server's CEL refuses it too). */
  @Test
  void shouldRefuseHostileInputsWithoutARequest() {
    start(
        FAST,
        s ->
            s.withAmbient(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(KEY_ID, "operator-secret")),
                AllowList.of(List.of("arn:aws:iam::123456789012:role/tuning/ml/allowed"))),
        new CredentialDefaults(AllowList.of(List.of(NS))),
        p -> p);
    TuningJob dotted = TuningJobs.bedrock(NS, "dotted");
    dotted.getSpec().getBedrock().setRegion("evil.example/x");
    TuningJob gcs = TuningJobs.bedrock(NS, "gcs");
    gcs.getSpec().setTrainingData("gs://bucket/train.jsonl");
    TuningJob role = TuningJobs.bedrock(NS, "role");
    role.getSpec().getBedrock().setCredentialsSecretRef(null);
    apply(dotted);
    apply(gcs);
    apply(role);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(condition(get("dotted").orElseThrow(), "Synced").getMessage())
                  .contains("spec.bedrock.region");
              assertThat(get("gcs").orElseThrow().getStatus().getPhase()).isEqualTo(Phase.Failed);
              assertThat(condition(get("role").orElseThrow(), "Synced").getReason())
                  .isEqualTo(Reason.CREDENTIALS_REJECTED.value());
            });
    assertThat(get("gcs").orElseThrow().getStatus().getError().getMessage()).contains("S3 URIs");
    assertThat(condition(get("role").orElseThrow(), "Synced").getMessage())
        .contains("spec.bedrock.roleArn");
    assertThat(emulator.requests().all()).isEmpty();
  }
}
