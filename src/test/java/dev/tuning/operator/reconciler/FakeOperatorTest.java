package dev.tuning.operator.reconciler;

import dev.tuning.operator.TuningJobTestSupport;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the reconciler scenarios share: the operator on JOSDK and the Fabric8 mock server
 * (CRUD), calling one fake OpenAI provider, in namespace {@value #NS}. Subclasses carry
 * {@code @EnableKubernetesMockClient(crud = true)}, whose extension fills {@link #server} and
 * {@link #client}, and adjust the fake, the provider the operator calls and the tenant's Secret.
 */
abstract class FakeOperatorTest extends TuningJobTestSupport {

  static final String NS = "ml";

  KubernetesMockServer server;
  KubernetesClient client;
  FakeTuningProvider fake;
  OperatorHarness operator;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected String namespace() {
    return NS;
  }

  /** The fake provider of this class's scenarios. */
  protected FakeTuningProvider newFake() {
    return new FakeTuningProvider("openai");
  }

  /** What the operator calls: the fake, or the fake behind a decorator. */
  protected TuningProvider provider(FakeTuningProvider fake) {
    return fake;
  }

  /** Whether the tenant's OpenAI Secret exists before each scenario. */
  protected boolean secretFirst() {
    return true;
  }

  @BeforeEach
  void start() {
    OperatorHarness.installCrd(client);
    fake = newFake();
    operator = startOperator();
    if (secretFirst()) {
      createSecret();
    }
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  /** A new operator on the same fake, with the default test intervals. */
  protected OperatorHarness startOperator() {
    return new OperatorHarness(
            client,
            new ProviderRegistry().register(provider(fake)),
            CredentialDefaults.none(),
            Duration.ofMinutes(10))
        .start();
  }

  /** The tenant's OpenAI Secret, key {@code apiKey}. */
  protected void createSecret() {
    client
        .secrets()
        .inNamespace(NS)
        .resource(TuningJobs.secret(NS, "openai", "apiKey", "sk-test"))
        .create();
  }
}
