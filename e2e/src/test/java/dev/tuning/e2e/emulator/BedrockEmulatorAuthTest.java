package dev.tuning.e2e.emulator;

import static dev.tuning.e2e.emulator.BedrockSdk.KEY_ID;
import static dev.tuning.e2e.emulator.BedrockSdk.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeParams;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;
import software.amazon.awssdk.services.bedrock.model.BedrockException;

class BedrockEmulatorAuthTest {

  private static final String OPERATOR_API_KEY = "ABSKQmVkcm9ja0FQSUtleS1vcGVyYXRvcg==";
  private static final String SIGNATURE = "0".repeat(64);

  private final BedrockEmulator emulator = new BedrockEmulator(EmulatorConfig.defaults());

  @AfterEach
  void close() {
    emulator.close();
  }

  private static void assertRefused(Throwable e, String errorCode) {
    assertThat(e).isInstanceOf(BedrockException.class);
    BedrockException b = (BedrockException) e;
    assertThat(b.statusCode()).isEqualTo(403);
    assertThat(b.awsErrorDetails().errorCode()).isEqualTo(errorCode);
  }

  @Test
  void shouldAcceptTheSdkSignatureAndRecordItWithoutTheSignatureOrSessionToken() {
    AwsSessionCredentials session =
        AwsSessionCredentials.create("ASIAIOSFODNN7EXAMPLE", "secret", "session-token-sentinel");
    try (BedrockClient bedrock =
        BedrockSdk.client(
            emulator, b -> b.credentialsProvider(StaticCredentialsProvider.create(session)))) {
      bedrock.listModelCustomizationJobs(r -> {});
    }

    RecordedRequest sent = emulator.requests().all().get(0);
    assertThat(sent.header("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/")
        .contains("/us-east-1/bedrock/aws4_request, SignedHeaders=")
        .endsWith("Signature=" + RecordedRequest.REDACTED);
    assertThat(sent.header("x-amz-date")).matches("\\d{8}T\\d{6}Z");
    assertThat(sent.header("x-amz-security-token")).isEqualTo(RecordedRequest.REDACTED);
    assertThat(emulator.requests().toJson().toString()).doesNotContain("session-token-sentinel");
    assertThat(emulator.signedBy("ASIAIOSFODNN7EXAMPLE")).hasSize(1);
    assertThat(emulator.signedBy(KEY_ID)).isEmpty();
    assertThat(emulator.bearerRequests()).isEmpty();
  }

  @Test
  void shouldRefuseABearerTokenAndRecordIt() {
    try (BedrockClient bearer =
        BedrockSdk.client(
            emulator,
            b ->
                b.authSchemeProvider(
                        BedrockAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                    .tokenProvider(StaticTokenProvider.create(() -> OPERATOR_API_KEY)))) {
      assertThatThrownBy(() -> bearer.createModelCustomizationJob(create("bearer").build()))
          .satisfies(e -> assertRefused(e, "UnrecognizedClientException"));
    }

    assertThat(emulator.bearerRequests()).hasSize(1);
    assertThat(emulator.bearerRequests().get(0).header("authorization"))
        .isEqualTo("Bearer " + RecordedRequest.REDACTED);
    assertThat(emulator.requests().toJson().toString()).doesNotContain(OPERATOR_API_KEY);
    assertThat(emulator.jobCount()).isZero();
  }

  /**
   * bedrock.md §7: with {@code AWS_BEARER_TOKEN_BEDROCK} (here its system property) set, a client
   * that leaves the auth scheme to the SDK sends the operator's API key even though it was given a
   * tenant's static credentials; any explicit auth scheme provider closes the trap.
   */
  @Test
  void shouldSeeTheBearerTrapOpenUnlessAnAuthSchemeProviderIsSet() {
    System.setProperty("aws.bearerTokenBedrock", OPERATOR_API_KEY);
    try (BedrockClient trapped = BedrockSdk.unpinned(emulator).build();
        BedrockClient pinned = BedrockSdk.client(emulator);
        BedrockClient fullId =
            BedrockSdk.client(
                emulator,
                b ->
                    b.authSchemeProvider(
                        BedrockAuthSchemeProvider.defaultProvider(List.of("aws.auth#sigv4"))))) {
      assertThatThrownBy(() -> trapped.listModelCustomizationJobs(r -> {}))
          .satisfies(e -> assertRefused(e, "UnrecognizedClientException"));
      pinned.listModelCustomizationJobs(r -> {});
      fullId.listModelCustomizationJobs(r -> {});
    } finally {
      System.clearProperty("aws.bearerTokenBedrock");
    }

    assertThat(emulator.bearerRequests()).hasSize(1);
    assertThat(emulator.signedBy(KEY_ID)).hasSize(2);
  }

  @Test
  void shouldMatchSchemePreferencesByTheNameAfterTheHash() {
    BedrockAuthSchemeParams params =
        BedrockAuthSchemeParams.builder()
            .operation("CreateModelCustomizationJob")
            .region(Region.US_EAST_1)
            .build();

    assertThat(BedrockAuthSchemeProvider.defaultProvider().resolveAuthScheme(params))
        .extracting(o -> o.schemeId())
        .containsExactly("aws.auth#sigv4", "smithy.api#httpBearerAuth");
    assertThat(
            BedrockAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth"))
                .resolveAuthScheme(params)
                .get(0)
                .schemeId())
        .isEqualTo("smithy.api#httpBearerAuth");
    assertThat(
            BedrockAuthSchemeProvider.defaultProvider(List.of("smithy.api#httpBearerAuth"))
                .resolveAuthScheme(params)
                .get(0)
                .schemeId())
        .as("a full scheme id matches nothing: the default order stays")
        .isEqualTo("aws.auth#sigv4");
  }

  static Stream<Arguments> malformed() {
    String scope = KEY_ID + "/20261129/us-east-1/bedrock/aws4_request";
    String good =
        "AWS4-HMAC-SHA256 Credential="
            + scope
            + ", SignedHeaders=host;x-amz-date, Signature="
            + SIGNATURE;
    return Stream.of(
        Arguments.of("no Authorization", null, "20261129T120000Z", "Missing Authentication"),
        Arguments.of("Basic", "Basic dTpw", "20261129T120000Z", "AWS4-HMAC-SHA256"),
        Arguments.of("no X-Amz-Date", good, null, "X-Amz-Date"),
        Arguments.of("scope date", good, "20261130T000000Z", "does not match"),
        Arguments.of("service", good.replace("/bedrock/", "/s3/"), "20261129T120000Z", "'bedrock'"),
        Arguments.of(
            "region", good.replace("us-east-1", "evil.example"), "20261129T120000Z", "region"),
        Arguments.of(
            "signed headers",
            good.replace("host;x-amz-date", "content-type"),
            "20261129T120000Z",
            "SignedHeaders"),
        Arguments.of("signature", good.replace(SIGNATURE, "abc123"), "20261129T120000Z", "64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void shouldRefuseMalformedSignaturesWithInvalidSignatureException(
      String what, String authorization, String amzDate, String message) {
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (amzDate != null) {
      headers.put("X-Amz-Date", amzDate);
    }

    Reply r = new EmulatorHttp(headers).get(emulator.baseUrl() + "/model-customization-jobs");

    assertThat(r.code()).isEqualTo(403);
    assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
    assertThat(r.headers().get("x-amzn-RequestId")).isNotBlank();
    assertThat(r.json().get("message").asText()).contains(message);
  }

  @Test
  void shouldAcceptOnlyTheConfiguredKeyIdsAndRegions() {
    try (BedrockEmulator strict =
            new BedrockEmulator(
                EmulatorConfig.defaults(),
                BedrockOptions.defaults()
                    .withAccessKeyIds(Set.of(KEY_ID))
                    .withRegions(Set.of("us-east-1")));
        BedrockClient allowed = BedrockSdk.client(strict);
        BedrockClient otherKey =
            BedrockSdk.client(
                strict,
                b ->
                    b.credentialsProvider(
                        StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("AKIAOTHERTENANT00000", "s"))));
        BedrockClient otherRegion = BedrockSdk.client(strict, b -> b.region(Region.US_WEST_2))) {
      allowed.listModelCustomizationJobs(r -> {});
      assertThatThrownBy(() -> otherKey.listModelCustomizationJobs(r -> {}))
          .satisfies(e -> assertRefused(e, "UnrecognizedClientException"))
          .hasMessageContaining("The security token included in the request is invalid.");
      assertThatThrownBy(() -> otherRegion.listModelCustomizationJobs(r -> {}))
          .satisfies(e -> assertRefused(e, "InvalidSignatureException"));
    }
  }
}
