package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobTestSupport;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.provider.BudgetedProvider;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.RateBudget;
import dev.tuning.operator.provider.RateBudget.Rate;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many jobs applied at once on one key with a tight budget: each is created once, in turn, with no
 * lookups. A create the budget held back used to be refused after its intent was written, and the
 * next attempt owed a lookup (a list, on the same budget) before it could create: 20 jobs took 83 s
 * at 5 calls a second in the benchmark, 50 jobs not all created after 330 s.
 */
@EnableKubernetesMockClient(crud = true)
class BudgetedCreatesTest extends TuningJobTestSupport {

  static final String NS = "ml";
  static final int JOBS = 30;

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

  @BeforeEach
  void start() {
    OperatorHarness.installCrd(client);
    fake = new FakeTuningProvider("openai").holdRunning();
    var budget = new RateBudget(Map.of("openai", Rate.of(10)), Rate.of(2), Clock.systemUTC());
    operator =
        new OperatorHarness(
                client,
                new ProviderRegistry().register(new BudgetedProvider(fake, budget)),
                CredentialDefaults.none(),
                Duration.ofMinutes(10))
            .start();
    client
        .secrets()
        .inNamespace(NS)
        .resource(TuningJobs.secret(NS, "openai", "apiKey", "sk-test"))
        .create();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void shouldCreateEveryJobOnceInTurnWithoutLookups() {
    for (int i = 0; i < JOBS; i++) {
      apply(TuningJobs.openAi(NS, "job-" + i));
    }
    for (int i = 0; i < JOBS; i++) {
      String name = "job-" + i;
      org.awaitility.Awaitility.await(name + " submitted")
          .atMost(WAIT)
          .until(
              () ->
                  get(name)
                      .map(j -> j.getStatus() != null && j.getStatus().getJobId() != null)
                      .orElse(false));
    }
    System.out.printf(
        "%d jobs on one key at 10 calls/s: %d creates, %d lookups%n",
        JOBS, fake.count("create"), fake.count("findByTag"));
    assertThat(fake.count("create")).isEqualTo(JOBS);
    assertThat(fake.count("findByTag")).as("lookups owed by held-back creates").isZero();
  }
}
