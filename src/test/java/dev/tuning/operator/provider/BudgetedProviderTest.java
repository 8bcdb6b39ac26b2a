package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.provider.RateBudget.Rate;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every job on one credential shares its budget: the figures the scale issue asks for, on the fake
 * provider and a simulated clock (no wall time).
 */
class BudgetedProviderTest {

  private Instant now = Instant.parse("2026-11-30T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final FakeTuningProvider fake = new FakeTuningProvider("openai").holdRunning();
  private final BudgetedProvider provider =
      new BudgetedProvider(fake, new RateBudget(Map.of("openai", Rate.of(5)), Rate.of(2), clock));

  private JobContext ctx(String uid, String key) throws ProviderException {
    return new JobContext(
        uid,
        "ml",
        "j-" + uid,
        fake.prepare(TuningJobs.openAi("ml", "j").getSpec()),
        Credential.fromJobSecret(key.getBytes(StandardCharsets.UTF_8), "ml/openai/apiKey"));
  }

  /** 1,000 running jobs on one key, each asking every 10 ms: at most 5 calls a second go out. */
  @Test
  void shouldKeepOneCredentialWithinItsBudget() throws Exception {
    List<JobContext> jobs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      JobContext c = ctx("uid-" + i, "sk-shared");
      jobs.add(c);
      ids.add(fake.create(c).id());
    }
    int first = 0;
    int peak = 0;
    for (int second = 0; second < 20; second++) {
      int before = fake.count("get");
      for (int tick = 0; tick < 100; tick++) {
        for (int i = second * 50; i < second * 50 + 50; i++) {
          try {
            provider.get(jobs.get(i), ids.get(i));
          } catch (ProviderException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
          }
        }
        now = now.plusMillis(10);
      }
      peak = Math.max(peak, fake.count("get") - before);
    }
    System.out.printf(
        "peak provider calls in one second on one credential: %d (budget 5/s)%n", peak);
    assertThat(peak).isLessThanOrEqualTo(5 + 5); // the rate plus the first second's burst
  }

  /** A 429 on one job pauses every job of the credential once; another credential goes on. */
  @Test
  void shouldPauseTheCredentialForAllItsJobsOnARateLimit() throws Exception {
    JobContext a = ctx("uid-a", "sk-shared");
    JobContext b = ctx("uid-b", "sk-shared");
    JobContext other = ctx("uid-c", "sk-other");
    String idA = fake.create(a).id();
    String idB = fake.create(b).id();
    String idC = fake.create(other).id();
    fake.failNext("get", ErrorKind.RATE_LIMITED, "429 slow down", Duration.ofSeconds(30));

    catchThrowableOfType(ProviderException.class, () -> provider.get(a, idA));
    int calls = fake.count("get");
    ProviderException paused =
        catchThrowableOfType(ProviderException.class, () -> provider.get(b, idB));

    assertThat(paused.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(paused.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(fake.count("get")).as("nothing was sent while paused").isEqualTo(calls);
    assertThat(provider.get(other, idC).id()).isEqualTo(idC);

    now = now.plusSeconds(31);
    assertThat(provider.get(b, idB).id()).isEqualTo(idB);
  }

  /** With the budget spent by reads, a create and a cancel still go. */
  @Test
  void shouldLetCreatesAndCancelsPassRoutineReads() throws Exception {
    JobContext a = ctx("uid-a", "sk-shared");
    String id = fake.create(a).id();
    int reads = 0;
    for (int i = 0; i < 10; i++) {
      try {
        provider.get(a, id);
        reads++;
      } catch (ProviderException e) {
        assertThat(e.getMessage()).contains("nothing was sent");
      }
    }
    assertThat(reads).isEqualTo(4);
    assertThat(provider.cancel(a, id).id()).isEqualTo(id);

    // refusals read the same however long the wait (no status churn), and never ask for a busy
    // loop
    ProviderException first =
        catchThrowableOfType(ProviderException.class, () -> provider.get(a, id));
    now = now.plusMillis(50);
    ProviderException second =
        catchThrowableOfType(ProviderException.class, () -> provider.get(a, id));
    assertThat(second.getMessage()).isEqualTo(first.getMessage());
    assertThat(first.providerCode()).contains(BudgetedProvider.BUDGET);
    assertThat(first.retryAfter().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(first.outcomeUnknown()).isFalse();
  }
}
