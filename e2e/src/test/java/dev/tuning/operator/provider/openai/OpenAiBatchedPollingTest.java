package dev.tuning.operator.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.MutableClock;
import dev.tuning.e2e.emulator.OpenAiEmulator;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.provider.EmulatorReconcilerTestSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Batched polling against the OpenAI emulator: 200 running jobs on one key are observed through the
 * paged list (two pages of 100) once per interval instead of 200 reads, and every job's end still
 * reaches status. Counts only, never times.
 */
@EnableKubernetesMockClient(crud = true)
class OpenAiBatchedPollingTest extends EmulatorReconcilerTestSupport {

  static final String API_KEY = "sk-emulator-test";
  static final int JOBS = 200;
  static final String LIST = "/v1/fine_tuning/jobs";
  static final String READ = "/v1/fine_tuning/jobs/ftjob-[^/]+";

  KubernetesMockServer server;
  KubernetesClient client;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Test
  void shouldObserve200RunningJobsOnOneKeyThroughTheList() {
    MutableClock clock = new MutableClock();
    var emulator =
        new OpenAiEmulator(
            EmulatorConfig.defaults()
                .withClock(clock)
                .withValidating(Duration.ofSeconds(1))
                .withQueued(Duration.ofSeconds(1))
                .withRunning(Duration.ofHours(1))
                .withValidKeys(Set.of(API_KEY)));
    startOperator(
        emulator,
        new OpenAiProvider(
            http,
            OpenAiProvider.Settings.defaults().withDefaultBaseUrl(URI.create(emulator.baseUrl())),
            Clock.systemUTC()),
        TuningJobs.secret(NS, "openai", "apiKey", API_KEY));
    for (int i = 0; i < JOBS; i++) {
      apply(TuningJobs.openAi(NS, "job-" + i));
    }
    await().atMost(WAIT.multipliedBy(2)).until(() -> emulator.creates().size() == JOBS);
    clock.advance(Duration.ofSeconds(3));
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Running);
    }

    // a window of polling while nothing changes
    int lists = emulator.count("GET", LIST);
    int reads = emulator.count("GET", READ);
    await().atMost(WAIT).until(() -> emulator.count("GET", LIST) >= lists + 20);
    int listPages = emulator.count("GET", LIST) - lists;
    int jobReads = emulator.count("GET", READ) - reads;
    System.out.printf(
        "OpenAI emulator, %d running jobs on one key: %d list pages and %d job reads while"
            + " running (per-job polling would read each job once per interval)%n",
        JOBS, listPages, jobReads);
    assertThat(jobReads).as("job reads while nothing changes").isLessThanOrEqualTo(JOBS / 10);

    // every job's end reaches status
    clock.advance(Duration.ofHours(2));
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Succeeded);
    }
    assertThat(emulator.creates()).hasSize(JOBS);
  }
}
