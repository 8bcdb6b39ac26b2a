package dev.tuning.operator.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.operator.api.v1alpha1.BedrockSpec;
import dev.tuning.operator.api.v1alpha1.ProviderType;
import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.config.Env;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Bedrock provider against a loopback stub speaking the service's restJson1 (bodies from
 * docs/providers/bedrock.md section 10), through the real AWS SDK client. Covers the tenant traps
 * of section 7 and the never-a-duplicate rules of section 6.
 */
class BedrockProviderTest {

  static final String UID = "6f1c2c0e-5b7a-4d2e-9c1f-2a3b4c5d6e7f";
  static final String ARN =
      "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/"
          + "amazon.nova-micro-v1:0:128k/k2p9x7m4q1ab";
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSENTINEL";

  MockWebServer server;
  final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  volatile Function<RecordedRequest, MockResponse> answer = r -> json(200, "{}");
  BedrockProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            return answer.apply(request);
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
    provider =
        new BedrockProvider(
            BedrockProvider.Settings.defaults().withEndpoint(server.url("/").uri()),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    server.shutdown();
  }

  static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setHeader("x-amzn-RequestId", "req-1")
        .setBody(body);
  }

  static MockResponse error(int status, String type, String message) {
    return json(status, "{\"message\":\"" + message + "\"}").setHeader("x-amzn-ErrorType", type);
  }

  static String job(String status, String token) {
    return "{\"jobArn\":\""
        + ARN
        + "\",\"jobName\":\"ml-support-bot-"
        + UID
        + "\",\"outputModelName\":\"support-bot-v3\",\"clientRequestToken\":\""
        + token
        + "\",\"roleArn\":\"arn:aws:iam::123456789012:role/BedrockCustomization-ml\","
        + "\"status\":\""
        + status
        + "\",\"creationTime\":\"2026-11-20T09:00:03.512Z\","
        + "\"lastModifiedTime\":\"2026-11-20T12:41:09.774Z\","
        + ("Completed".equals(status)
            ? "\"endTime\":\"2026-11-20T12:41:09.774Z\",\"outputModelArn\":"
                + "\"arn:aws:bedrock:us-east-1:123456789012:custom-model/m/w8e3r5t7y9u1\","
                + "\"trainingMetrics\":{\"trainingLoss\":0.3127},"
            : "")
        + ("Failed".equals(status)
            ? "\"failureMessage\":\"Training data validation failed: line 17 is not valid JSON.\","
            : "")
        + "\"outputDataConfig\":{\"s3Uri\":\"s3://ml-tuning-output/support-bot/\"},"
        + "\"customizationType\":\"FINE_TUNING\"}";
  }

  static TuningJobSpec spec() {
    var spec = new TuningJobSpec();
    spec.setProvider(ProviderType.BEDROCK);
    spec.setBaseModel("amazon.nova-micro-v1:0:128k");
    spec.setTrainingData("s3://ml-tuning-data/support-bot/train.jsonl");
    spec.setValidationData("s3://ml-tuning-data/support-bot/val.jsonl");
    spec.setTunedModelName("support-bot-v3");
    spec.setLabels(Map.of("team", "support"));
    var bedrock = new BedrockSpec();
    bedrock.setRegion("us-east-1");
    bedrock.setRoleArn("arn:aws:iam::123456789012:role/BedrockCustomization-ml");
    bedrock.setOutputDataUri("s3://ml-tuning-output/support-bot/");
    bedrock.setCredentialsSecretRef(new SecretKeyRef("aws-ml", null));
    bedrock.setHyperParameters(Map.of("learningRate", "0.00001"));
    spec.setBedrock(bedrock);
    return spec;
  }

  static Credential keys() {
    return Credential.fromJobSecret(
        SECRET.getBytes(StandardCharsets.UTF_8),
        "ml/aws-ml/secretAccessKey",
        Map.of("accessKeyId", KEY_ID.getBytes(StandardCharsets.UTF_8)));
  }

  JobContext ctx(TuningJobSpec spec, Credential credential) throws ProviderException {
    return new JobContext(UID, "ml", "support-bot", provider.prepare(spec), credential);
  }

  @Test
  void shouldCreateWithTheDeterministicNameTheUidAsTokenAndSigV4() throws Exception {
    answer = r -> json(201, "{\"jobArn\":\"" + ARN + "\"}");

    ProviderJob job = provider.create(ctx(spec(), keys()));

    assertThat(job.id()).isEqualTo(ARN);
    assertThat(job.state()).isEqualTo(ProviderJobState.QUEUED);
    RecordedRequest create = requests.peek();
    assertThat(create.getMethod()).isEqualTo("POST");
    assertThat(create.getPath()).isEqualTo("/model-customization-jobs");
    String body = create.getBody().readUtf8();
    assertThat(body)
        .contains("\"jobName\":\"ml-support-bot-" + UID + "\"")
        .contains("\"clientRequestToken\":\"" + UID + "\"")
        .contains("\"customModelName\":\"support-bot-v3\"")
        .contains("\"customizationType\":\"FINE_TUNING\"")
        .contains("{\"key\":\"tuningjob-uid\",\"value\":\"" + UID + "\"}")
        .contains("\"validators\":[{\"s3Uri\":\"s3://ml-tuning-data/support-bot/val.jsonl\"}]")
        .contains("\"learningRate\":\"0.00001\"")
        .doesNotContain(SECRET);
    assertThat(create.getHeader("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
        .contains("/us-east-1/bedrock/aws4_request");
  }

  /**
   * Section 7's bearer trap: with AWS_BEARER_TOKEN_BEDROCK (here its system property) in the
   * operator's environment, an unpinned client sends the operator's token instead of the tenant's
   * signature.
   */
  @Test
  void shouldSignWithTheTenantsKeysEvenWhenTheOperatorHasABedrockBearerToken() throws Exception {
    answer = r -> json(200, job("InProgress", UID));
    System.setProperty("aws.bearerTokenBedrock", "operator-bearer-SENTINEL");
    try {
      provider.get(ctx(spec(), keys()), ARN);
    } finally {
      System.clearProperty("aws.bearerTokenBedrock");
    }
    assertThat(requests)
        .allSatisfy(
            r ->
                assertThat(r.getHeader("Authorization"))
                    .startsWith("AWS4-HMAC-SHA256")
                    .doesNotContain("operator-bearer-SENTINEL"));
  }

  /** Region.of("evil.example") forms https://bedrock.evil.example.amazonaws.com. */
  @Test
  void shouldRefuseARegionThatCouldFormAForeignHostBeforeAnyRequest() {
    var spec = spec();
    spec.getBedrock().setRegion("evil.example");
    assertThatThrownBy(() -> provider.prepare(spec))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("spec.bedrock.region is not an AWS Region name");

    var other = spec();
    other.getBedrock().setRegion("eu-central-1");
    assertThatThrownBy(() -> provider.checkAccess(ctx(other, keys())))
        .hasMessageContaining("is not served by this operator (BEDROCK_REGIONS");
    assertThat(requests).isEmpty();
  }

  /** The SDK's default chain ends in the node's instance role; the operator never uses it. */
  @Test
  void shouldNeverFallBackToTheNodesInstanceRole() throws Exception {
    var settings = BedrockProvider.Settings.fromEnv(new Env(Map.of()), true, Duration.ofSeconds(5));
    try (var ambientless = new BedrockProvider(settings, Clock.systemUTC())) {
      assertThat(ambientless.operatorCredential()).isEmpty();
      var ctx = new JobContext(UID, "ml", "j", ambientless.prepare(spec()), Credential.ambient());
      assertThatThrownBy(() -> ambientless.checkAccess(ctx))
          .isInstanceOf(ProviderException.class)
          .satisfies(
              e ->
                  assertThat(((ProviderException) e).kind())
                      .isEqualTo(ErrorKind.CREDENTIALS_REJECTED))
          .hasMessageContaining("no AWS identity of its own");
    }
  }

  @Test
  void shouldRequireAnAccessKeyIdBesideTheSecretKey() throws Exception {
    var noId =
        Credential.fromJobSecret(SECRET.getBytes(StandardCharsets.UTF_8), "ml/aws-ml/secret");
    assertThatThrownBy(() -> provider.checkAccess(ctx(spec(), noId)))
        .hasMessageContaining("needs the key accessKeyId")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void shouldPassOnlyAllowedServiceRolesWithTheOperatorsIdentity() throws Exception {
    var withIdentity =
        new BedrockProvider(
            BedrockProvider.Settings.defaults()
                .withEndpoint(server.url("/").uri())
                .withAmbient(
                    software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                            KEY_ID, "operator")),
                    AllowList.of(List.of("arn:aws:iam::123456789012:role/tuning/ml/allowed"))),
            Clock.systemUTC());
    try (withIdentity) {
      var ctx = new JobContext(UID, "ml", "j", withIdentity.prepare(spec()), Credential.ambient());
      assertThatThrownBy(() -> withIdentity.checkAccess(ctx))
          .hasMessageContaining("spec.bedrock.roleArn may not be passed")
          .satisfies(
              e ->
                  assertThat(((ProviderException) e).kind())
                      .isEqualTo(ErrorKind.CREDENTIALS_REJECTED));
      assertThat(requests).isEmpty();
    }
  }

  /** A second create is refused by name: the existing job is this TuningJob's, so adopt it. */
  @Test
  void shouldAdoptTheJobHoldingItsNameWhenTheCreateIsRefused() throws Exception {
    answer =
        r ->
            r.getMethod().equals("POST")
                ? error(400, "ValidationException", "The provided job name is currently in use.")
                : json(200, job("InProgress", UID));

    ProviderJob job = provider.create(ctx(spec(), keys()));

    assertThat(job.id()).isEqualTo(ARN);
    assertThat(job.state()).isEqualTo(ProviderJobState.RUNNING);
    assertThat(requests.stream().map(RecordedRequest::getPath))
        .contains("/model-customization-jobs/ml-support-bot-" + UID);
  }

  @Test
  void shouldNeverAdoptAForeignJobUnderItsName() {
    answer =
        r ->
            r.getMethod().equals("POST")
                ? error(400, "ValidationException", "The provided job name is currently in use.")
                : json(200, job("InProgress", "someone-else"));
    assertThatThrownBy(() -> provider.create(ctx(spec(), keys())))
        .hasMessageContaining("was not created for this TuningJob");
    assertThatThrownBy(() -> provider.findByTag(ctx(spec(), keys())))
        .hasMessageContaining("was not created for this TuningJob");
  }

  @Test
  void shouldFindItsJobByNameAndNothingWhenThereIsNone() throws Exception {
    answer = r -> json(200, job("InProgress", UID));
    assertThat(provider.findByTag(ctx(spec(), keys()))).map(ProviderJob::id).contains(ARN);

    answer = r -> error(404, "ResourceNotFoundException", "not found");
    assertThat(provider.findByTag(ctx(spec(), keys()))).isEmpty();
  }

  /**
   * The SDK's request tells this thread when it goes on the wire ({@link
   * dev.tuning.operator.http.WireMark}): the rate budget counts a Bedrock call from there too.
   */
  @Test
  void shouldMarkWhenARequestGoesOnTheWire() throws Exception {
    answer = r -> json(200, job("InProgress", UID));
    java.util.concurrent.atomic.AtomicInteger marks =
        new java.util.concurrent.atomic.AtomicInteger();
    try (var listening = dev.tuning.operator.http.WireMark.listen(marks::incrementAndGet)) {
      provider.get(ctx(spec(), keys()), ARN);
    }
    assertThat(marks).hasValue(1);
  }

  @Test
  void shouldMirrorTheJobView() throws Exception {
    answer = r -> json(200, job("Completed", UID));
    ProviderJob done = provider.get(ctx(spec(), keys()), ARN);
    assertThat(done.state()).isEqualTo(ProviderJobState.SUCCEEDED);
    assertThat(done.tunedModel()).endsWith(":custom-model/m/w8e3r5t7y9u1");
    assertThat(done.tunedModelName()).isEqualTo("support-bot-v3");
    assertThat(done.resultFiles()).containsExactly("s3://ml-tuning-output/support-bot/");
    assertThat(done.endTime()).isNotNull();
    assertThat(done.progress().trainingLoss())
        .isEqualTo(0.3127, org.assertj.core.data.Offset.offset(1e-6));

    answer =
        r ->
            json(
                200,
                job("InProgress", UID)
                    .replace(
                        "\"customizationType\"",
                        "\"statusDetails\":{\"validationDetails\":{\"status\":\"Completed\"},"
                            + "\"trainingDetails\":{\"status\":\"NotStarted\"}},"
                            + "\"customizationType\""));
    ProviderJob waiting = provider.get(ctx(spec(), keys()), ARN);
    assertThat(waiting.state()).isEqualTo(ProviderJobState.QUEUED);
    assertThat(waiting.stateDetail()).isEqualTo("validation Completed, training NotStarted");

    answer = r -> json(200, job("Failed", UID));
    ProviderJob failed = provider.get(ctx(spec(), keys()), ARN);
    assertThat(failed.state()).isEqualTo(ProviderJobState.FAILED);
    assertThat(failed.error().message()).contains("line 17 is not valid JSON");

    for (var e :
        Map.of(
                "Stopping", ProviderJobState.CANCELLING,
                "Stopped", ProviderJobState.CANCELLED,
                "Retrained", ProviderJobState.UNKNOWN)
            .entrySet()) {
      answer = r -> json(200, job(e.getKey(), UID));
      ProviderJob j = provider.get(ctx(spec(), keys()), ARN);
      assertThat(j.state()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(j.rawState()).isEqualTo(e.getKey());
    }
  }

  @Test
  void shouldClassifyErrors() throws Exception {
    record Case(int status, String type, String operation, ErrorKind kind) {}
    for (Case c :
        List.of(
            new Case(429, "ThrottlingException", "get", ErrorKind.RATE_LIMITED),
            new Case(400, "ServiceQuotaExceededException", "create", ErrorKind.QUOTA),
            new Case(403, "AccessDeniedException", "get", ErrorKind.AUTHENTICATION),
            new Case(403, "UnrecognizedClientException", "get", ErrorKind.AUTHENTICATION),
            new Case(404, "ResourceNotFoundException", "get", ErrorKind.NOT_FOUND),
            new Case(404, "ResourceNotFoundException", "create", ErrorKind.PERMANENT),
            new Case(400, "ValidationException", "create", ErrorKind.PERMANENT),
            new Case(500, "InternalServerException", "create", ErrorKind.TRANSIENT))) {
      answer = r -> error(c.status(), c.type(), "refused: " + c.type());
      ProviderException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ProviderException.class,
              () -> {
                if (c.operation().equals("create")) {
                  provider.create(ctx(spec(), keys()));
                } else {
                  provider.get(ctx(spec(), keys()), ARN);
                }
              });
      assertThat(e).as(c.toString()).isNotNull();
      assertThat(e.kind()).as(c.toString()).isEqualTo(c.kind());
      assertThat(e.getMessage()).contains(c.type()).doesNotContain(SECRET);
      if (c.kind() == ErrorKind.TRANSIENT) {
        assertThat(e.outcomeUnknown()).isTrue();
      }
    }
  }

  /** A signature mismatch may echo the canonical request; none of it leaves the provider. */
  @Test
  void shouldNeverRepeatWhatARefusedSignatureEchoes() throws Exception {
    answer =
        r ->
            error(
                403,
                "InvalidSignatureException",
                "The request signature we calculated does not match. The Canonical String was"
                    + " x-amz-security-token:SESSION-SENTINEL x-amz-date Credential="
                    + KEY_ID
                    + "/20261130/us-east-1/bedrock/aws4_request");
    ProviderException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ProviderException.class, () -> provider.get(ctx(spec(), keys()), ARN));
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage())
        .contains("InvalidSignatureException")
        .doesNotContain("SESSION-SENTINEL")
        .doesNotContain(KEY_ID)
        .doesNotContain(SECRET);
  }

  /** A conflict that is not about the job's name is the service's refusal, not a lookup loop. */
  @Test
  void shouldReportAConflictThatIsNotItsJobName() throws Exception {
    answer =
        r ->
            r.getMethod().equals("POST")
                ? error(400, "ConflictException", "A custom model with this name already exists.")
                : error(404, "ResourceNotFoundException", "not found");
    ProviderException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ProviderException.class, () -> provider.create(ctx(spec(), keys())));
    assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
    assertThat(e.getMessage()).contains("custom model with this name");
  }

  /** A create answered without an ARN may or may not have happened: look up, never re-create. */
  @Test
  void shouldTreatACreateAnswerWithoutAnArnAsUnknown() throws Exception {
    answer = r -> json(201, "{}");
    ProviderException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ProviderException.class, () -> provider.create(ctx(spec(), keys())));
    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    assertThat(e.outcomeUnknown()).isTrue();
  }

  /** Stop only from InProgress: a refused Stop of a stopping job is success after a re-read. */
  @Test
  void shouldTreatARefusedStopOfAStoppingJobAsDone() throws Exception {
    answer =
        r ->
            r.getPath().endsWith("/stop")
                ? error(400, "ConflictException", "job is not in progress")
                : json(200, job("Stopping", UID));
    ProviderJob job = provider.cancel(ctx(spec(), keys()), ARN);
    assertThat(job.state()).isEqualTo(ProviderJobState.CANCELLING);
  }

  @Test
  void shouldRefuseAnnotatedIdsThatAreNotJobArnsOrInAnotherRegion() throws Exception {
    assertThat(provider.isJobId(ARN)).isTrue();
    assertThat(provider.isJobId("ml-support-bot")).isFalse();
    assertThat(
            provider.isJobId(
                "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/../abcdefabcdef"))
        .isFalse();
    String elsewhere = ARN.replace("us-east-1", "us-west-2");
    assertThatThrownBy(() -> provider.checkJobAccess(ctx(spec(), keys()), elsewhere))
        .hasMessageContaining("not spec.bedrock.region");
  }
}
