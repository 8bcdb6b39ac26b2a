package dev.tuning.operator.reconciler;

import static dev.tuning.operator.reconciler.ConditionStatus.FALSE;
import static dev.tuning.operator.reconciler.ConditionStatus.TRUE;
import static dev.tuning.operator.reconciler.ConditionStatus.UNKNOWN;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.JobProgress;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningDataStats;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
      if (Objects.equals(o.jobId(), previous.getJobId())) {
        // Progress is read less often than the job, and a batched list may show less than a read
        // (no result files or resolved hyperparameters): what was seen stands until replaced.
        if (s.getProgress() == null) {
          s.setProgress(previous.getProgress());
        }
        if (s.getResultFiles() == null) {
          s.setResultFiles(previous.getResultFiles());
        }
        if (s.getHyperparameters() == null) {
          s.setHyperparameters(previous.getHyperparameters());
        }
      }
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
    keepBookkeeping(resource, o, previous, s);
    s.setObservedGeneration(generation);
    s.setConditions(conditions(resource, o, previous, generation));
    s.setLastSyncTime(previous.getLastSyncTime());
    if (o.syncReason() == null && (!same(previous, s) || stale(previous.getLastSyncTime()))) {
      s.setLastSyncTime(now().toString());
    }
    return s;
  }

  /**
   * The fields the operator keeps for itself across reconciles: when the job finished (for
   * ttlSecondsAfterFinished), how long it was paused (excluded from activeDeadlineSeconds), the
   * last sync request served and whether its usage was counted.
   */
  private void keepBookkeeping(
      TuningJob resource, Observed o, TuningJobStatus previous, TuningJobStatus s) {
    Instant now = now();
    if (o.phase() != null && o.phase().isTerminal()) {
      s.setFinishedTime(
          previous.getFinishedTime() != null ? previous.getFinishedTime() : now.toString());
    }
    Long paused = previous.getSuspendedSeconds();
    String since = previous.getSuspendedSince();
    if (o.phase() == Phase.Suspended && o.jobId() != null) {
      since = since != null ? since : now.toString();
    } else if (since != null) {
      long more =
          instant(since)
              .map(from -> Math.max(0, Duration.between(from, now).toSeconds()))
              .orElse(0L);
      paused = (paused == null ? 0 : paused) + more;
      since = null;
    }
    s.setSuspendedSeconds(paused);
    s.setSuspendedSince(since);
    s.setLastSyncRequest(
        o.syncRequest() != null ? clip(o.syncRequest(), 256) : previous.getLastSyncRequest());
    s.setUsageRecorded(
        o.phase() != null && o.phase().isTerminal() && o.jobId() != null
            ? Boolean.TRUE
            : previous.getUsageRecorded());
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
    return instant(lastSync).map(t -> t.plus(syncHeartbeat).isBefore(now())).orElse(true);
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
    s.setProviderStateDetail(clip(job.stateDetail(), 256));
    s.setTunedModelName(clip(job.tunedModelName(), 256));
    if (job.progress() != null) {
      var p = job.progress();
      s.setProgress(new JobProgress(p.step(), p.trainingLoss(), p.validationLoss()));
    }
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
    s.setProviderStateDetail(p.getProviderStateDetail());
    s.setTunedModelName(p.getTunedModelName());
    s.setProgress(p.getProgress());
    s.setError(p.getError());
  }

  private List<Condition> conditions(
      TuningJob resource, Observed o, TuningJobStatus previous, long generation) {
    boolean suspendRequested = PhaseMachine.suspended(resource);
    // A Failed phase kept from before (e.g. while credentials are missing) keeps its reason.
    Reason failedReason =
        o.failedReason() != null
            ? o.failedReason()
            : Conditions.reason(resource, ConditionType.FAILED, TRUE).orElse(Reason.JOB_FAILED);
    List<Condition> result = new ArrayList<>();
    for (ConditionType type : ConditionType.values()) {
      // Start from the stored condition of this type, so that set keeps its transition time;
      // types this operator does not write are dropped.
      Conditions.get(previous.getConditions(), type).ifPresent(result::add);
      Condition c = desired(type, o, failedReason, suspendRequested);
      c.setObservedGeneration(generation);
      Conditions.set(result, c, now());
    }
    return result;
  }

  private static Condition desired(
      ConditionType type, Observed o, Reason failedReason, boolean suspendRequested) {
    Phase phase = o.phase();
    return switch (type) {
      case FAILED ->
          phase == Phase.Failed
              ? Conditions.of(type, TRUE, failedReason, errorMessage(o))
              : Conditions.of(type, FALSE, Reason.NO_FAILURE, "");
      case RUNNING ->
          phase == Phase.Running
              ? Conditions.of(type, TRUE, Reason.JOB_RUNNING, "The job is training")
              : Conditions.of(type, FALSE, notRunningReason(phase), "");
      case SUBMITTED -> submitted(o, suspendRequested);
      case SUCCEEDED ->
          phase == Phase.Succeeded
              ? Conditions.of(type, TRUE, Reason.JOB_SUCCEEDED, tunedModelMessage(o))
              : Conditions.of(type, FALSE, notSucceededReason(phase), "");
      case SUSPENDED -> suspended(o, suspendRequested);
      case SYNCED ->
          o.syncReason() == null
              ? Conditions.of(type, TRUE, Reason.SYNCED, "")
              : Conditions.of(type, FALSE, o.syncReason(), truncate(o.syncMessage()));
    };
  }

  private static Condition submitted(Observed o, boolean suspendRequested) {
    if (o.jobId() != null) {
      return Conditions.of(
          ConditionType.SUBMITTED,
          TRUE,
          o.submittedReason() != null ? o.submittedReason() : Reason.JOB_CREATED,
          "Provider job " + o.jobId());
    }
    if (o.phase() == Phase.Submitting) {
      // Whether the provider has the job is not known until the create answers or a lookup runs.
      return Conditions.of(
          ConditionType.SUBMITTED, UNKNOWN, Reason.SUBMITTING, "Submitting to the provider");
    }
    Reason reason =
        switch (o.phase()) {
          case Failed -> o.failedReason() != null ? o.failedReason() : Reason.PROVIDER_REJECTED;
          default -> suspendRequested ? Reason.HELD : Reason.NOT_SUBMITTED;
        };
    return Conditions.of(ConditionType.SUBMITTED, FALSE, reason, "");
  }

  private static Condition suspended(Observed o, boolean suspendRequested) {
    if (o.phase() == Phase.Suspended) {
      return Conditions.of(ConditionType.SUSPENDED, TRUE, Reason.JOB_PAUSED, "The job is paused");
    }
    if (suspendRequested && o.jobId() == null && o.phase() == Phase.Pending) {
      return Conditions.of(
          ConditionType.SUSPENDED, TRUE, Reason.HELD, "Held before submission (spec.suspend)");
    }
    if (o.pauseNotSupported()) {
      return Conditions.of(
          ConditionType.SUSPENDED,
          FALSE,
          Reason.NOT_SUPPORTED,
          "The provider cannot pause a running job; spec.suspend has no effect");
    }
    return Conditions.of(ConditionType.SUSPENDED, FALSE, Reason.NOT_SUSPENDED, "");
  }

  private static Reason notRunningReason(Phase phase) {
    return switch (phase) {
      case Suspended -> Reason.JOB_PAUSED;
      case Cancelling -> Reason.JOB_CANCELLING;
      case Succeeded -> Reason.JOB_SUCCEEDED;
      case Failed -> Reason.JOB_FAILED;
      case Cancelled -> Reason.JOB_CANCELLED;
      default -> Reason.NOT_STARTED;
    };
  }

  private static Reason notSucceededReason(Phase phase) {
    return switch (phase) {
      case Failed -> Reason.JOB_FAILED;
      case Cancelled -> Reason.JOB_CANCELLED;
      default -> Reason.IN_PROGRESS;
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

  private static String time(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A time status recorded ({@link #time}), if it is there and readable. */
  static Optional<Instant> instant(String recorded) {
    if (recorded == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(recorded));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
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
