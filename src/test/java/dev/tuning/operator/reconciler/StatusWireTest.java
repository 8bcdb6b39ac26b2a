package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The conditions on the wire, pinned: for every phase, with and without a job, suspend and a sync
 * failure, the six conditions' type, status, reason, message and transition time as status shows
 * them. The expected file was produced by the code before conditions and reasons became enums
 * (commit 26b7659), so this test shows that change left every string as it was; a deliberate change
 * of the wire edits the file.
 */
class StatusWireTest {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Path EXPECTED = Path.of("src/test/resources/reconciler/status-wire.txt");

  @Test
  void shouldWriteTheSameConditionStringsAsBefore() throws IOException {
    assertThat(render()).isEqualTo(Files.readString(EXPECTED, StandardCharsets.UTF_8));
  }

  static String render() {
    StringBuilder out = new StringBuilder();
    for (Phase phase : Phase.values()) {
      for (boolean withJob : new boolean[] {false, true}) {
        for (boolean suspend : new boolean[] {false, true}) {
          for (boolean syncFailure : new boolean[] {false, true}) {
            TuningJob resource = resource(suspend, null);
            Observed o = observed(phase, withJob, suspend, syncFailure);
            TuningJobStatus s = at(T0).build(resource, o);
            out.append(
                line(
                    phase
                        + " job="
                        + withJob
                        + " suspend="
                        + suspend
                        + " syncFailure="
                        + syncFailure,
                    s));
          }
        }
      }
    }
    // Transitions: a later status keeps the times of conditions whose status held.
    TuningJobStatus previous = null;
    Instant t = T0;
    for (Phase phase :
        new Phase[] {
          Phase.Pending,
          Phase.Submitting,
          Phase.Queued,
          Phase.Running,
          Phase.Suspended,
          Phase.Running,
          Phase.Cancelling,
          Phase.Cancelled
        }) {
      boolean withJob = phase != Phase.Pending && phase != Phase.Submitting;
      Observed o = observed(phase, withJob, false, false);
      if (phase == Phase.Submitting) {
        o = o.withSubmitAttempt(t);
      }
      previous = at(t).build(resource(false, previous), o);
      out.append(line("then " + phase + " at " + t, previous));
      t = t.plusSeconds(60);
    }
    return out.toString();
  }

  private static Observed observed(
      Phase phase, boolean withJob, boolean suspend, boolean syncFailure) {
    ProviderJob job =
        withJob
            ? ProviderJob.builder("ftjob-1", state(phase))
                .tunedModel(phase == Phase.Succeeded ? "ft:model" : null)
                .error(
                    phase == Phase.Failed
                        ? new ProviderJob.Failure("invalid_file", "3 bad lines", null)
                        : null)
                .build()
            : null;
    Observed o =
        Observed.of(phase, withJob ? "ftjob-1" : null, job, withJob ? r("JobAdopted") : null);
    if (phase == Phase.Failed) {
      o =
          withJob
              ? o.withFailure(r("JobFailed"), null)
              : o.withFailure(r("ProviderRejected"), new JobError("400", "bad model", "model"));
    }
    if (syncFailure) {
      o = o.withSyncFailure(r("RateLimited"), "429 slow down");
    }
    if (suspend && withJob && phase == Phase.Running) {
      o = o.withPauseNotSupported();
    }
    return o;
  }

  private static ProviderJobState state(Phase phase) {
    return switch (phase) {
      case Pending, Submitting, Queued -> ProviderJobState.QUEUED;
      case Running -> ProviderJobState.RUNNING;
      case Suspended -> ProviderJobState.PAUSED;
      case Cancelling -> ProviderJobState.CANCELLING;
      case Succeeded -> ProviderJobState.SUCCEEDED;
      case Failed -> ProviderJobState.FAILED;
      case Cancelled -> ProviderJobState.CANCELLED;
    };
  }

  private static TuningJob resource(boolean suspend, TuningJobStatus status) {
    TuningJob job = TuningJobs.openAi("ns", "j");
    job.getMetadata().setGeneration(2L);
    job.getSpec().setSuspend(suspend);
    job.setStatus(status);
    return job;
  }

  private static StatusFactory at(Instant now) {
    return new StatusFactory(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));
  }

  private static String line(String scenario, TuningJobStatus s) {
    StringBuilder b = new StringBuilder(scenario).append('\n');
    for (Condition c : s.getConditions()) {
      b.append("  ")
          .append(c.getType())
          .append(' ')
          .append(c.getStatus())
          .append(' ')
          .append(c.getReason())
          .append(" \"")
          .append(c.getMessage())
          .append("\" ")
          .append(c.getLastTransitionTime())
          .append(" g")
          .append(c.getObservedGeneration())
          .append('\n');
    }
    return b.toString();
  }

  private static Reason r(String value) {
    return Reason.fromValue(value).orElseThrow();
  }
}
