package dev.tuning.operator.provider.bedrock;

import dev.tuning.operator.http.WireMark;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;

/**
 * One SDK client per (credential, Region), sharing one HTTP client. Every client is pinned to
 * SigV4: a Bedrock client otherwise prefers {@code AWS_BEARER_TOKEN_BEDROCK} from the operator's
 * environment over the tenant's keys it was built with (docs/providers/bedrock.md section 7).
 */
final class BedrockClients implements AutoCloseable {

  static final String ACCESS_KEY_ID = "accessKeyId";
  static final String SECRET_ACCESS_KEY = "secretAccessKey";
  static final String SESSION_TOKEN = "sessionToken";

  /** Long-term (AKIA) and temporary (ASIA) access key ids. */
  private static final Pattern KEY_ID = Pattern.compile("^(AKIA|ASIA)[A-Z0-9]{12,124}$");

  private static final int MAX_CLIENTS = 256;

  private final SdkHttpClient http;
  private final URI endpoint;
  private final Duration callTimeout;
  private final AwsCredentialsProvider operatorIdentity;
  private final java.util.concurrent.ScheduledExecutorService timers =
      java.util.concurrent.Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "bedrock-timeouts");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, BedrockClient> clients =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BedrockClient> eldest) {
          if (size() > MAX_CLIENTS) {
            eldest.getValue().close();
            return true;
          }
          return false;
        }
      };

  /**
   * Marks when a request goes out ({@link WireMark}): the synchronous client sends on the caller.
   */
  private static final ExecutionInterceptor ON_WIRE =
      new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(
            Context.BeforeTransmission context, ExecutionAttributes attributes) {
          WireMark.sending();
        }
      };

  /**
   * @param endpoint the operator's endpoint override (an emulator), or null for AWS's regional
   *     endpoints; never from a TuningJob
   * @param operatorIdentity the operator's own identity (IRSA or Pod Identity), or null
   */
  BedrockClients(
      SdkHttpClient http,
      URI endpoint,
      Duration callTimeout,
      AwsCredentialsProvider operatorIdentity) {
    this.http = http;
    this.endpoint = endpoint;
    this.callTimeout = callTimeout;
    this.operatorIdentity = operatorIdentity;
  }

  /** The client for this credential in this (already checked) Region. */
  synchronized BedrockClient client(Credential credential, String region) throws ProviderException {
    AwsCredentialsProvider provider = provider(credential);
    String key = credential.fingerprint() + "|" + region;
    BedrockClient client = clients.get(key);
    if (client == null) {
      var builder =
          BedrockClient.builder()
              .region(Region.of(region))
              .credentialsProvider(provider)
              .httpClient(http)
              .authSchemeProvider(BedrockAuthSchemeProvider.defaultProvider(List.of("sigv4")))
              // The operator retries with its own backoff: hidden SDK retries would multiply the
              // calls on a throttled credential. A create is deduplicated by its token anyway.
              .overrideConfiguration(
                  c ->
                      c.apiCallTimeout(callTimeout)
                          .retryStrategy(AwsRetryStrategy.doNotRetry())
                          // one timer pool for all clients, not five threads per client
                          .scheduledExecutorService(timers)
                          // the rate budget counts a call from when it is sent
                          .addExecutionInterceptor(ON_WIRE));
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      client = builder.build();
      clients.put(key, client);
    }
    return client;
  }

  /**
   * A tenant's keys as a static provider (never a profile file: profiles can run processes and read
   * files); the operator's own identity only as configured, never the SDK's default chain (which
   * ends in the node's instance role).
   */
  AwsCredentialsProvider provider(Credential credential) throws ProviderException {
    if (credential.source() == Credential.Source.AMBIENT) {
      if (operatorIdentity == null) {
        throw new ProviderException(
            ErrorKind.CREDENTIALS_REJECTED,
            "the operator has no AWS identity of its own (IRSA or EKS Pod Identity); set"
                + " spec.bedrock.credentialsSecretRef");
      }
      return operatorIdentity;
    }
    if (!credential.hasSecret() || credential.source() != Credential.Source.JOB_SECRET) {
      throw auth("no AWS keys: set spec.bedrock.credentialsSecretRef");
    }
    String keyId = credential.companionText(ACCESS_KEY_ID).orElse("");
    if (!KEY_ID.matcher(keyId).matches()) {
      throw auth(
          "the Secret of "
              + credential.origin()
              + " needs the key "
              + ACCESS_KEY_ID
              + " with an AWS access key id (AKIA... or ASIA...)");
    }
    String secret = credential.secretText();
    var session = credential.companionText(SESSION_TOKEN);
    return StaticCredentialsProvider.create(
        session.isPresent()
            ? AwsSessionCredentials.create(keyId, secret, session.get())
            : AwsBasicCredentials.create(keyId, secret));
  }

  private static ProviderException auth(String message) {
    return new ProviderException(ErrorKind.AUTHENTICATION, message, "NoAwsKeys");
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(BedrockClient::close);
    clients.clear();
    timers.shutdownNow();
  }
}
