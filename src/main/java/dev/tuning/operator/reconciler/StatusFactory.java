package dev.tuning.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningDataStats;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the whole status from what a reconcile observed. Condition transition times change only
 * when a condition's status flips; {@code lastSyncTime} moves when the status changed or is older
 * than the heartbeat, so an unchanged job causes no write.
 */
public final class StatusFactory {

  private static final ObjectMapper JSON = dev.tuning.operator.provider.ProviderJson.MAPPER;

  private final Clock clock;
  private final Duration syncHeartbeat;

  public StatusFactory(Clock clock, Duration syncHeartbeat) {
    this.clock = clock;
    this.syncHeartbeat = syncHeartbeat;
  }

  public TuningJobStatus build(TuningJob resource, Observed o) {
    TuningJobStatus previous =
        resource.getStatus() == null ? new TuningJobStatus() : resource.getStatus();
    long generation = generationOf(resource);
    TuningJobStatus s = new TuningJobStatus();
    s.setPhase(o.phase());
    s.setJobId(o.jobId());
    if (o.job() != null) {
      copyJob(o.job(), s);
    } else if (o.jobId() != null) {
      copyPrevious(previous, s);
    }
    if (o.error() != null) {
      JobError e = o.error();
      s.setError(
          new JobError(clip(e.getCode(), 256), truncate(e.getMessage()), clip(e.getParam(), 256)));
    }
    s.setSubmitAttemptTime(
        o.submitAttempt() != null ? time(o.submitAttempt()) : previous.getSubmitAttemptTime());
    if (o.notFoundSince() != null) {
      s.setNotFoundSince(time(o.notFoundSince()));
    } else if (o.job() == null) {
      s.setNotFoundSince(previous.getNotFoundSince());
    }
    s.setObservedGeneration(generation);
    s.setConditions(conditions(resource, o, previous, generation));
    s.setLastSyncTime(previous.getLastSyncTime());
    if (o.syncReason() == null && (!same(previous, s) || stale(previous.getLastSyncTime()))) {
      s.setLastSyncTime(now().toString());
    }
    return s;
  }

  /**
   * The stored status with observedGeneration moved to the resource's generation: for changes that
   * need no provider call (e.g. deletionPolicy edited on a finished job).
   */
  public TuningJobStatus regenerate(TuningJob resource) {
    long generation = generationOf(resource);
    TuningJobStatus copy = JSON.convertValue(resource.getStatus(), TuningJobStatus.class);
    copy.setObservedGeneration(generation);
    copy.getConditions().forEach(c -> c.setObservedGeneration(generation));
    return copy;
  }

  /** Whether two statuses are equal in every field. */
  public static boolean same(TuningJobStatus a, TuningJobStatus b) {
    return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
  }

  private boolean stale(String lastSync) {
    if (lastSync == null) {
      return true;
    }
    try {
      return Instant.parse(lastSync).plus(syncHeartbeat).isBefore(now());
    } catch (RuntimeException e) {
      return true;
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private static long generationOf(TuningJob resource) {
    Long g = resource.getMetadata().getGeneration();
    return g == null ? 0L : g;
  }

  /**
   * Copies the provider's view, clamped to the status schema's limits (the CRD's maxLength,
   * maxItems, maxProperties): one oversize provider value would otherwise make every status write
   * fail with 422, and the job id would never be saved.
   */
  private static void copyJob(ProviderJob job, TuningJobStatus s) {
    s.setProviderState(clip(job.rawState() != null ? job.rawState() : job.state().name(), 64));
    s.setCreateTime(time(job.createTime()));
    s.setStartTime(time(job.startTime()));
    s.setEndTime(time(job.endTime()));
    s.setUpdateTime(time(job.updateTime()));
    s.setEstimatedFinish(time(job.estimatedFinish()));
    s.setTunedModel(clip(job.tunedModel(), 512));
    s.setTunedModelEndpoint(clip(job.tunedModelEndpoint(), 512));
    s.setTrainedTokens(job.trainedTokens());
    s.setResultFiles(
        job.resultFiles().isEmpty()
            ? null
            : job.resultFiles().stream().limit(64).map(f -> clip(f, 256)).toList());
    if (job.dataStats() != null) {
      var d = job.dataStats();
      s.setTuningDataStats(
          new TuningDataStats(d.exampleCount(), d.billableTokens(), d.stepCount()));
    }
    if (!job.hyperparameters().isEmpty()) {
      var hyperparameters = new java.util.TreeMap<String, String>();
      new java.util.TreeMap<>(job.hyperparameters())
          .entrySet().stream()
              .limit(32)
              .forEach(e -> hyperparameters.put(clip(e.getKey(), 64), clip(e.getValue(), 64)));
      s.setHyperparameters(hyperparameters);
    }
    s.setExperiment(clip(job.experiment(), 512));
    if (job.error() != null) {
      var e = job.error();
      s.setError(new JobError(clip(e.code(), 256), truncate(e.message()), clip(e.param(), 256)));
    }
  }

  /** {@code value} cut to {@code max} characters, marked with an ellipsis when cut. */
  static String clip(String value, int max) {
    return dev.tuning.operator.text.SafeText.clip(value, max);
  }

  private static void copyPrevious(TuningJobStatus p, TuningJobStatus s) {
    s.setProviderState(p.getProviderState());
    s.setCreateTime(p.getCreateTime());
    s.setStartTime(p.getStartTime());
    s.setEndTime(p.getEndTime());
    s.setUpdateTime(p.getUpdateTime());
    s.setEstimatedFinish(p.getEstimatedFinish());
    s.setTunedModel(p.getTunedModel());
    s.setTunedModelEndpoint(p.getTunedModelEndpoint());
    s.setTrainedTokens(p.getTrainedTokens());
    s.setResultFiles(p.getResultFiles());
    s.setTuningDataStats(p.getTuningDataStats());
    s.setHyperparameters(p.getHyperparameters());
    s.setExperiment(p.getExperiment());
    s.setError(p.getError());
  }

  private List<Condition> conditions(
      TuningJob resource, Observed o, TuningJobStatus previous, long generation) {
    Phase phase = o.phase();
    boolean suspendRequested = PhaseMachine.suspended(resource);
    List<Condition> result = new ArrayList<>();
    for (String type : ConditionTypes.ALL) {
      Condition c =
          switch (type) {
            case ConditionTypes.FAILED ->
                phase == Phase.Failed
                    ? cond(type, "True", o.failedReason(), errorMessage(o))
                    : cond(type, "False", Reasons.NO_FAILURE, "");
            case ConditionTypes.RUNNING ->
                phase == Phase.Running
                    ? cond(type, "True", Reasons.JOB_RUNNING, "The job is training")
                    : cond(type, "False", notRunningReason(phase), "");
            case ConditionTypes.SUBMITTED -> submitted(o, suspendRequested);
            case ConditionTypes.SUCCEEDED ->
                phase == Phase.Succeeded
                    ? cond(type, "True", Reasons.JOB_SUCCEEDED, tunedModelMessage(o))
                    : cond(type, "False", notSucceededReason(phase), "");
            case ConditionTypes.SUSPENDED -> suspended(o, suspendRequested);
            default ->
                o.syncReason() == null
                    ? cond(type, "True", Reasons.SYNCED, "")
                    : cond(type, "False", o.syncReason(), truncate(o.syncMessage()));
          };
      c.setObservedGeneration(generation);
      c.setLastTransitionTime(transitionTime(previous, c));
      result.add(c);
    }
    return result;
  }

  private static Condition submitted(Observed o, boolean suspendRequested) {
    if (o.jobId() != null) {
      return cond(
          ConditionTypes.SUBMITTED,
          "True",
          o.submittedReason() != null ? o.submittedReason() : Reasons.JOB_CREATED,
          "Provider job " + o.jobId());
    }
    if (o.phase() == Phase.Submitting) {
      // Whether the provider has the job is not known until the create answers or a lookup runs.
      return cond(
          ConditionTypes.SUBMITTED, "Unknown", Reasons.SUBMITTING, "Submitting to the provider");
    }
    String reason =
        switch (o.phase()) {
          case Failed -> o.failedReason() != null ? o.failedReason() : Reasons.PROVIDER_REJECTED;
          default -> suspendRequested ? Reasons.HELD : Reasons.NOT_SUBMITTED;
        };
    return cond(ConditionTypes.SUBMITTED, "False", reason, "");
  }

  private static Condition suspended(Observed o, boolean suspendRequested) {
    if (o.phase() == Phase.Suspended) {
      return cond(ConditionTypes.SUSPENDED, "True", Reasons.JOB_PAUSED, "The job is paused");
    }
    if (suspendRequested && o.jobId() == null && o.phase() == Phase.Pending) {
      return cond(
          ConditionTypes.SUSPENDED, "True", Reasons.HELD, "Held before submission (spec.suspend)");
    }
    if (o.pauseNotSupported()) {
      return cond(
          ConditionTypes.SUSPENDED,
          "False",
          Reasons.NOT_SUPPORTED,
          "The provider cannot pause a running job; spec.suspend has no effect");
    }
    return cond(ConditionTypes.SUSPENDED, "False", Reasons.NOT_SUSPENDED, "");
  }

  private static String notRunningReason(Phase phase) {
    return switch (phase) {
      case Suspended -> Reasons.JOB_PAUSED;
      case Cancelling -> Reasons.JOB_CANCELLING;
      case Succeeded -> Reasons.JOB_SUCCEEDED;
      case Failed -> Reasons.JOB_FAILED;
      case Cancelled -> Reasons.JOB_CANCELLED;
      default -> Reasons.NOT_STARTED;
    };
  }

  private static String notSucceededReason(Phase phase) {
    return switch (phase) {
      case Failed -> Reasons.JOB_FAILED;
      case Cancelled -> Reasons.JOB_CANCELLED;
      default -> Reasons.IN_PROGRESS;
    };
  }

  private static String errorMessage(Observed o) {
    JobError e = o.error();
    if (e == null && o.job() != null && o.job().error() != null) {
      return truncate(o.job().error().message());
    }
    return e == null ? "" : truncate(e.getMessage());
  }

  private static String tunedModelMessage(Observed o) {
    return o.job() != null && o.job().tunedModel() != null
        ? "Tuned model " + o.job().tunedModel()
        : "";
  }

  private String transitionTime(TuningJobStatus previous, Condition c) {
    if (previous.getConditions() != null) {
      for (Condition old : previous.getConditions()) {
        if (c.getType().equals(old.getType())
            && c.getStatus().equals(old.getStatus())
            && old.getLastTransitionTime() != null) {
          return old.getLastTransitionTime();
        }
      }
    }
    return now().toString();
  }

  private static Condition cond(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .build();
  }

  private static String time(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * A message for status or an Event, through the one sanitizer providers use too
   * (credential-shaped text redacted, control characters removed, the one length limit); "" for
   * null.
   */
  static String truncate(String s) {
    return s == null ? "" : dev.tuning.operator.text.SafeText.sanitize(s);
  }
}
