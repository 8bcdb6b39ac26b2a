package dev.tuning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes with leader election: only the Lease holder reconciles, and when it is
 * killed the standby takes over and carries on.
 */
class LeaderElectionE2E {

  static final Duration WAIT = Duration.ofMinutes(2);
  static final String NS = "e2e-leader";

  @Test
  void standbyTakesOverWhenTheLeaderDies() throws Exception {
    try (var env =
        new E2eEnvironment(
            EmulatorConfig.defaults()
                .withValidating(Duration.ofMillis(300))
                .withQueued(Duration.ofMillis(300))
                .withRunning(Duration.ofSeconds(2)))) {
      env.namespace(NS);
      var jobs = env.client().resources(TuningJob.class).inNamespace(NS);
      try (var a = operator(env, "operator-a").start().awaitReady(WAIT);
          var b = operator(env, "operator-b")) {
        await().atMost(WAIT).until(() -> "operator-a".equals(holder(env)));
        b.start().awaitReady(WAIT);
        jobs.resource(TuningJobs.openAi(NS, "first")).create();
        await().atMost(WAIT).until(() -> phase(jobs.withName("first").get()) == Phase.Succeeded);
        assertThat(holder(env)).isEqualTo("operator-a");
        assertThat(b.logs()).doesNotContain("Created provider job");

        a.kill();
        await().atMost(WAIT).until(() -> "operator-b".equals(holder(env)));
        jobs.resource(TuningJobs.openAi(NS, "second")).create();
        await().atMost(WAIT).until(() -> phase(jobs.withName("second").get()) == Phase.Succeeded);
        assertThat(b.logs()).contains("Created provider job");
        assertThat(env.openAi().creates()).hasSize(2);
      }
    }
  }

  private static OperatorProcess operator(E2eEnvironment env, String name) {
    var vars = env.operatorEnv();
    vars.putAll(
        Map.of(
            "WATCH_NAMESPACES", NS,
            "LEADER_ELECTION", "true",
            "LEASE_NAME", "tuning-operator-e2e",
            "LEASE_NAMESPACE", NS,
            "POD_NAME", name));
    return new OperatorProcess(env.kubeconfig(), vars);
  }

  private static String holder(E2eEnvironment env) {
    Lease lease = env.client().leases().inNamespace(NS).withName("tuning-operator-e2e").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static Phase phase(TuningJob job) {
    return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
  }
}
