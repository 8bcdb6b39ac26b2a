package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.provider.BudgetedProvider;
import dev.tuning.operator.provider.RateBudget;
import dev.tuning.operator.provider.RateBudget.Rate;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many jobs applied at once on one key with a tight budget: each is created once, in turn, with no
 * lookups. A create the budget held back used to be refused after its intent was written, and the
 * next attempt owed a lookup (a list, on the same budget) before it could create: 20 jobs took 83 s
 * at 5 calls a second in the benchmark, 50 jobs not all created after 330 s.
 */
@EnableKubernetesMockClient(crud = true)
class BudgetedCreatesTest extends FakeOperatorTest {

  static final int JOBS = 30;

  @Override
  protected FakeTuningProvider newFake() {
    return new FakeTuningProvider("openai").holdRunning();
  }

  @Override
  protected TuningProvider provider(FakeTuningProvider fake) {
    return new BudgetedProvider(
        fake, new RateBudget(Map.of("openai", Rate.of(10)), Rate.of(2), Clock.systemUTC()));
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
