package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Reconciles counted through JOSDK's own meters, as /metrics shows them: a job with nothing due
 * (held before its first submission, or finished) is not reconciled again until something of its
 * own changes. JOSDK's safety-net interval (the longest active poll) used to wake every idle job
 * once per interval: 10,000 held or finished jobs meant 167 reconciles a second for nothing.
 */
@EnableKubernetesMockClient(crud = true)
class ReconcileCountTest extends FakeOperatorTest {

  static final int JOBS = 10;
  private static final Pattern STARTED =
      Pattern.compile("operator_sdk_reconciliations_started_total\\{[^}]*\\} ([0-9.E+]+)");

  @Test
  void shouldNotReconcileHeldJobsAgainWhileNothingChanges() throws Exception {
    for (int i = 0; i < JOBS; i++) {
      var job = TuningJobs.openAi(NS, "held-" + i);
      job.getSpec().setSuspend(true);
      apply(job);
    }
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("held-" + i, Phase.Pending);
    }
    double settled = started();
    // ten times the harness's longest active poll (150 ms)
    Thread.sleep(1500);

    System.out.printf(
        "%d held jobs: %.0f reconciles to their first status, %.0f more while idle%n",
        JOBS, settled, started() - settled);
    assertThat(started() - settled).as("reconciles of idle held jobs").isZero();
    assertThat(settled)
        .as("the finalizer, then the first status: two each")
        .isLessThanOrEqualTo(2 * JOBS + 2);
  }

  @Test
  void shouldNotReconcileFinishedJobsAgainWhileNothingChanges() throws Exception {
    for (int i = 0; i < JOBS; i++) {
      apply(TuningJobs.openAi(NS, "done-" + i));
    }
    for (int i = 0; i < JOBS; i++) {
      awaitPhase("done-" + i, Phase.Succeeded);
    }
    Thread.sleep(300);
    double settled = started();
    int reads = fake.count("get");
    Thread.sleep(1500);

    assertThat(started() - settled).as("reconciles of finished jobs").isZero();
    assertThat(fake.count("get")).isEqualTo(reads);

    // A later reconcile of a finished job (a sync request here; a restart or fail-over alike)
    // leaves it idle again, not back on JOSDK's safety-net interval.
    for (int i = 0; i < JOBS; i++) {
      String name = "done-" + i;
      client
          .resources(dev.tuning.operator.api.v1alpha1.TuningJob.class)
          .inNamespace(NS)
          .withName(name)
          .edit(
              j -> {
                if (j.getMetadata().getAnnotations() == null) {
                  j.getMetadata().setAnnotations(new java.util.HashMap<>());
                }
                j.getMetadata()
                    .getAnnotations()
                    .put(
                        dev.tuning.operator.api.v1alpha1.TuningJob.RECONCILE_REQUESTED_AT,
                        "2026-11-30T06:00:00Z");
                return j;
              });
    }
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> started() >= settled + JOBS);
    Thread.sleep(300);
    double again = started();
    Thread.sleep(1500);
    assertThat(started() - again).as("reconciles after the sync requests were served").isZero();
  }

  private double started() {
    Matcher m = STARTED.matcher(operator.scrape());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
