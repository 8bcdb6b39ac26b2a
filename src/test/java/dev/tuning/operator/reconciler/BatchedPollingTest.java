package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Batched polling on the real reconciler (JOSDK on the Fabric8 mock server): running jobs on one
 * key are observed through one list per interval, not one read each, and every state change still
 * reaches status. Figures are counts of calls, never times.
 */
@EnableKubernetesMockClient(crud = true)
class BatchedPollingTest extends FakeOperatorTest {

  static final int JOBS = 30;

  @Override
  protected FakeTuningProvider newFake() {
    return new FakeTuningProvider("openai").lists(true).holdRunning();
  }

  @Test
  void shouldObserveRunningJobsThroughOneListPerIntervalAndMissNoChange() {
    for (int i = 0; i < JOBS; i++) {
      apply(TuningJobs.openAi(NS, "job-" + i));
    }
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Running);
    }
    // settle: every job has been seen running once by a read, then by the list
    await().atMost(WAIT).until(() -> fake.count("list") >= 3);
    int gets = fake.count("get");
    int lists = fake.count("list");
    await().atMost(WAIT).until(() -> fake.count("list") >= lists + 20);
    int listsMore = fake.count("list") - lists;
    int getsMore = fake.count("get") - gets;

    System.out.printf(
        "batched polling, %d running jobs on one key: %d lists and %d reads in %d poll intervals"
            + " (%.3f reads per job per interval; per-job polling would be 1)%n",
        JOBS, listsMore, getsMore, listsMore, (double) getsMore / JOBS / listsMore);
    assertThat(getsMore).as("reads while nothing changes").isLessThanOrEqualTo(JOBS / 10);

    // every state change still reaches status: the jobs finish
    fake.releaseRunning();
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Succeeded);
    }
  }

  /**
   * A provider whose list shows whole jobs (OpenAI, Vertex AI): a job that ends is taken from the
   * list, with no read of its own, so 1,000 jobs ending together cost no 1,000 reads on the budget.
   */
  @Test
  void shouldTakeAStateChangeFromAListOfWholeJobsWithoutARead() {
    fake.listsWholeJobs(true);
    for (int i = 0; i < JOBS; i++) {
      apply(TuningJobs.openAi(NS, "job-" + i));
    }
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Running);
    }
    await().atMost(WAIT).until(() -> fake.count("list") >= 3);
    int gets = fake.count("get");

    fake.releaseRunning();
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Succeeded);
    }

    System.out.printf(
        "batched polling, %d jobs ending, list of whole jobs: %d reads%n",
        JOBS, fake.count("get") - gets);
    assertThat(fake.count("get") - gets).as("reads of jobs that ended").isZero();
  }

  /**
   * A job that starts running (a change that is not an end) is taken from a list of whole jobs that
   * began after status was last synced, with no read: 1,000 jobs leaving the queue cost no 1,000
   * reads, which on one key at 5 calls a second kept status minutes behind.
   */
  @Test
  void shouldTakeAJobThatStartedRunningFromANewerListOfWholeJobsWithoutARead() {
    fake.listsWholeJobs(true).holdQueued();
    for (int i = 0; i < JOBS; i++) {
      apply(TuningJobs.openAi(NS, "job-" + i));
    }
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Queued);
    }
    // Lists that begin after every status was last synced (whole seconds, so a second more) and
    // the lag allowed to a provider's list.
    Instant synced =
        client.resources(TuningJob.class).inNamespace(NS).list().getItems().stream()
            .map(j -> Instant.parse(j.getStatus().getLastSyncTime()))
            .max(Instant::compareTo)
            .orElseThrow();
    await()
        .atMost(WAIT)
        .until(() -> Instant.now().isAfter(synced.plusSeconds(2).plus(JobSync.LIST_LAG)));
    int gets = fake.count("get");

    fake.releaseQueued();
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Running);
    }

    System.out.printf(
        "batched polling, %d jobs starting, list of whole jobs: %d reads%n",
        JOBS, fake.count("get") - gets);
    assertThat(fake.count("get") - gets).as("reads of jobs that started running").isZero();
  }

  /**
   * A list that began before a change this process made (here a pause) shows the job as it was: it
   * is read instead, so status does not roll back to Running and the pause is not sent again.
   */
  @Test
  void shouldNotTakeAListThatBeganBeforeAPause() {
    fake.listsWholeJobs(true).holdRunning();
    apply(TuningJobs.openAi(NS, "job-0"));
    awaitPhase("job-0", Phase.Running);
    await().atMost(WAIT).until(() -> fake.count("list") >= 2);
    var latch = fake.holdNextList();
    await().atMost(WAIT).until(fake::listWaiting);

    setSuspend("job-0", true);
    awaitPhase("job-0", Phase.Suspended);
    latch.countDown();
    int lists = fake.count("list");
    await().atMost(WAIT).until(() -> fake.count("list") >= lists + 5);

    assertThat(phaseOf("job-0")).isEqualTo(Phase.Suspended);
    assertThat(fake.count("pause")).as("pauses sent").isEqualTo(1);
  }

  /**
   * A job just created is not read on its own: the next list of its scope shows it. Each new job
   * used to be read once before the list followed it, so 1,000 jobs created on one key were read
   * one by one at the budget's rate and status lagged minutes behind.
   */
  @Test
  void shouldLeaveANewJobToTheNextListInsteadOfReadingIt() {
    fake.holdQueued();
    for (int i = 0; i < JOBS; i++) {
      apply(TuningJobs.openAi(NS, "job-" + i));
    }
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("job-" + i, Phase.Queued);
    }
    int lists = fake.count("list");
    await().atMost(WAIT).until(() -> fake.count("list") >= lists + 10);

    System.out.printf(
        "batched polling, %d new jobs: %d reads, %d lists%n",
        JOBS, fake.count("get"), fake.count("list"));
    assertThat(fake.count("get")).as("reads of jobs just created").isZero();
  }
}
