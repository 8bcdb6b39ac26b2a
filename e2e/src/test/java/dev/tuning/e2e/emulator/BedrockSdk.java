package dev.tuning.e2e.emulator;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.BedrockClientBuilder;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;
import software.amazon.awssdk.services.bedrock.model.CreateModelCustomizationJobRequest;
import software.amazon.awssdk.services.bedrock.model.CustomizationType;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * AWS SDK clients for the Bedrock emulator tests, built as the operator builds them (bedrock.md
 * §7): static credentials, URLConnection transport, SigV4 pinned, endpoint on loopback.
 */
final class BedrockSdk {

  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String UID = "6f1c2c0e-5b7a-4d2e-9c1f-2a3b4c5d6e7f";
  static final String ROLE = "arn:aws:iam::123456789012:role/BedrockCustomization-ml";
  static final String BASE_MODEL = "amazon.nova-micro-v1:0:128k";

  /**
   * Prefers SigV4. The SDK compares preferences with the part of the scheme id after '#', so the
   * name is {@code "sigv4"}; {@code "aws.auth#sigv4"} matches nothing (SigV4 still comes first
   * because it leads the default order, and setting any provider turns off the bearer-token
   * environment override).
   */
  static final BedrockAuthSchemeProvider SIGV4 =
      BedrockAuthSchemeProvider.defaultProvider(List.of("sigv4"));

  private BedrockSdk() {}

  /** A us-east-1 client with the default key and the SDK's default retries. */
  static BedrockClient client(BedrockEmulator emulator) {
    return client(emulator, b -> {});
  }

  /** A us-east-1 client with the default key, SigV4 pinned, then {@code more}. */
  static BedrockClient client(BedrockEmulator emulator, Consumer<BedrockClientBuilder> more) {
    BedrockClientBuilder b = unpinned(emulator).authSchemeProvider(SIGV4);
    more.accept(b);
    return b.build();
  }

  /** A us-east-1 builder with the default key that leaves the auth scheme to the SDK. */
  static BedrockClientBuilder unpinned(BedrockEmulator emulator) {
    return BedrockClient.builder()
        .endpointOverride(URI.create(emulator.baseUrl()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, "secret")))
        .httpClient(UrlConnectionHttpClient.create());
  }

  /** A client that does not retry, so that each fault reaches the test. */
  static BedrockClient noRetry(BedrockEmulator emulator) {
    return client(
        emulator,
        b -> b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));
  }

  /** The §10 create request for {@code jobName}, with the uid as token and tag. */
  static CreateModelCustomizationJobRequest.Builder create(String jobName) {
    return CreateModelCustomizationJobRequest.builder()
        .jobName(jobName)
        .customModelName("support-bot-v3")
        .roleArn(ROLE)
        .clientRequestToken(UID)
        .baseModelIdentifier(BASE_MODEL)
        .customizationType(CustomizationType.FINE_TUNING)
        .jobTags(
            Tag.builder().key("tuningjob-uid").value(UID).build(),
            Tag.builder().key("tuning.dev/namespace").value("ml").build())
        .trainingDataConfig(t -> t.s3Uri("s3://ml-tuning-data/support-bot/train.jsonl"))
        .validationDataConfig(
            v -> v.validators(x -> x.s3Uri("s3://ml-tuning-data/support-bot/val.jsonl")))
        .outputDataConfig(o -> o.s3Uri("s3://ml-tuning-output/support-bot/"))
        .hyperParameters(
            Map.of("epochCount", "2", "learningRate", "0.00001", "learningRateWarmupSteps", "10"));
  }

  /**
   * A raw HTTP client whose requests carry a well-formed (not verifiable) SigV4 header for
   * us-east-1, for bodies and queries the SDK cannot send.
   */
  static EmulatorHttp raw() {
    return new EmulatorHttp(
        Map.of(
            "X-Amz-Date",
            "20261129T120000Z",
            "Authorization",
            "AWS4-HMAC-SHA256 Credential="
                + KEY_ID
                + "/20261129/us-east-1/bedrock/aws4_request,"
                + " SignedHeaders=content-type;host;x-amz-date, Signature="
                + "0".repeat(64)));
  }
}
