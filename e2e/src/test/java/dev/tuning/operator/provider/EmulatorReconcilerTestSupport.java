package dev.tuning.operator.provider;

import dev.tuning.e2e.emulator.HttpEmulator;
import dev.tuning.operator.TuningJobTestSupport;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.reconciler.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The real reconciler (JOSDK on the Fabric8 mock server) driving a real provider and its OkHttp
 * client against an in-process provider emulator on 127.0.0.1: the set-up the provider reconciler
 * tests share. Subclasses build their emulator and provider, then call {@link #startOperator}.
 */
public abstract class EmulatorReconcilerTestSupport extends TuningJobTestSupport {

  protected static final String NS = "ml";

  /** The providers' HTTP client, with short timeouts. */
  protected OkHttpClient http;

  private HttpEmulator emulator;
  private OperatorHarness operator;

  @Override
  protected String namespace() {
    return NS;
  }

  @BeforeEach
  void installCrdAndHttpClient() {
    OperatorHarness.installCrd(client());
    http =
        HttpClients.shared(
            new SimpleMeterRegistry(),
            new HttpClients.Timeouts(
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15)));
  }

  @AfterEach
  void stopOperatorAndEmulator() {
    if (operator != null) {
      operator.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  /**
   * Starts the operator with {@code provider} as the only one registered (no operator-wide
   * credentials), and creates the jobs' credentials Secret; {@code emulator} is closed after the
   * test.
   */
  protected void startOperator(HttpEmulator emulator, TuningProvider provider, Secret credentials) {
    startOperator(emulator, provider, credentials, CredentialDefaults.none());
  }

  /** As above, with the namespaces that may use the provider's operator-wide credential. */
  protected void startOperator(
      HttpEmulator emulator,
      TuningProvider provider,
      Secret credentials,
      CredentialDefaults defaults) {
    this.emulator = emulator;
    operator =
        new OperatorHarness(
                client(),
                new ProviderRegistry().register(provider),
                defaults,
                Duration.ofMinutes(10))
            .start();
    client().secrets().inNamespace(NS).resource(credentials).create();
  }
}
