package dev.tuning.operator.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.e2e.emulator.BedrockEmulator;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.EmulatorReconcilerTestSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.ModelCustomizationJobStatus;

/**
 * The real reconciler (JOSDK on the Fabric8 mock server) driving the real {@link BedrockProvider}
 * and the AWS SDK against the in-process {@link BedrockEmulator} on 127.0.0.1, with the example
 * access key in the Secret {@code aws-ml}: the Bedrock samples and the cases {@code EndToEndE2E}
 * runs through the operator jar (a job's status mirrored, a failed job, delete while running).
 */
@EnableKubernetesMockClient(crud = true)
class BedrockReconcilerTest extends EmulatorReconcilerTestSupport {

  static final String ARN = "arn:aws:bedrock:us-east-1:123456789012:";
  static final String NOVA_MICRO = "amazon.nova-micro-v1:0:128k";

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

  @Override
  protected KubernetesClient client() {
    return client;
  }

  private void start(EmulatorConfig config) {
    emulator = new BedrockEmulator(config);
    var settings = BedrockProvider.Settings.defaults().withEndpoint(URI.create(emulator.baseUrl()));
    startOperator(
        emulator,
        new BedrockProvider(settings, Clock.systemUTC()),
        TuningJobs.awsSecret(NS, "aws-ml"));
  }

  @Test
  void shouldRunTheBedrockSamplesToSucceeded() throws IOException {
    start(FAST);
    for (String sample : new String[] {"bedrock-nova-supervised", "bedrock-distillation"}) {
      try (InputStream in = Files.newInputStream(Path.of("config", "samples", sample + ".yaml"))) {
        TuningJob job = client.getKubernetesSerialization().unmarshal(in, TuningJob.class);
        job.getMetadata().setNamespace(NS);
        apply(job);
      }
    }

    for (String name : new String[] {"nova-support", "nova-distilled"}) {
      TuningJob done = awaitPhase(name, Phase.Succeeded);
      assertThat(done.getStatus().getTunedModel()).startsWith(ARN + "custom-model/");
      assertThat(emulator.jobsByTag()).containsEntry(done.getMetadata().getUid(), 1L);
    }
    assertThat(emulator.creates()).hasSize(2);
    assertThat(emulator.signedBy(TuningJobs.AWS_ACCESS_KEY_ID)).isNotEmpty();
  }

  @Test
  void shouldMirrorACompletedJobIntoStatus() {
    start(FAST);
    TuningJob job = TuningJobs.bedrock(NS, "nova");
    job.getSpec().setValidationData("s3://ml-tuning-data/support-bot/val.jsonl");
    apply(job);

    TuningJob done = awaitPhase("nova", Phase.Succeeded);

    var status = done.getStatus();
    assertThat(status.getJobId())
        .matches(
            Pattern.quote(ARN + "model-customization-job/" + NOVA_MICRO + "/") + "[a-z0-9]{12}");
    assertThat(status.getTunedModel())
        .matches(Pattern.quote(ARN + "custom-model/" + NOVA_MICRO + "/") + "[a-z0-9]{12}");
    assertThat(status.getProviderState()).isEqualTo("Completed");
    assertThat(status.getProviderStateDetail())
        .isEqualTo("validation Completed, data processing Completed, training Completed");
    assertThat(status.getProgress().getTrainingLoss()).isPositive();
    assertThat(status.getProgress().getValidationLoss()).isPositive();
    assertThat(status.getError()).isNull();
    assertThat(emulator.jobsByTag()).containsEntry(done.getMetadata().getUid(), 1L);
  }

  @Test
  void shouldReportTheEmulatorsFailureMessage() {
    start(FAST);
    TuningJob job = TuningJobs.bedrock(NS, "broken");
    job.getSpec().setTrainingData("s3://ml-tuning-data/support-bot/fail-train.jsonl");
    apply(job);

    TuningJob failed = awaitPhase("broken", Phase.Failed);

    assertThat(failed.getStatus().getProviderState()).isEqualTo("Failed");
    assertThat(failed.getStatus().getError().getMessage())
        .contains(emulator.options().failureMessage());
    assertThat(failed.getStatus().getTunedModel()).isNull();
    assertThat(emulator.jobsByTag()).containsEntry(failed.getMetadata().getUid(), 1L);
  }

  @Test
  void shouldStopARunningJobOnceWhenDeleted() {
    start(FAST.withRunning(Duration.ofMinutes(5)));
    apply(TuningJobs.bedrock(NS, "doomed"));
    TuningJob running = awaitPhase("doomed", Phase.Running);
    String arn = running.getStatus().getJobId();

    tuningJobs().withName("doomed").delete();

    await().atMost(WAIT).until(() -> get("doomed").isEmpty());
    assertThat(emulator.cancels()).hasSize(1);
    assertThat(URLDecoder.decode(emulator.cancels().get(0).path(), StandardCharsets.UTF_8))
        .isEqualTo("/model-customization-jobs/" + arn + "/stop");
    try (BedrockClient aws =
        BedrockClient.builder()
            .endpointOverride(URI.create(emulator.baseUrl()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        TuningJobs.AWS_ACCESS_KEY_ID, TuningJobs.AWS_SECRET_ACCESS_KEY)))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      assertThat(aws.getModelCustomizationJob(b -> b.jobIdentifier(arn)).status())
          .isEqualTo(ModelCustomizationJobStatus.STOPPED);
    }
  }
}
