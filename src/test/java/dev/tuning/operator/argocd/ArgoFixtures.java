package dev.tuning.operator.argocd;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.JobError;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.reconciler.Observed;
import dev.tuning.operator.reconciler.Reason;
import dev.tuning.operator.reconciler.StatusFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * TuningJobs as Argo CD sees them (JSON maps of the live object), with status written by the
 * operator's own {@link StatusFactory}, so the scripts are tested against the real status shape.
 */
final class ArgoFixtures {

  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final StatusFactory STATUS =
      new StatusFactory(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
  static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String JOB = "ftjob-abc123";
  static final String VERTEX_JOB = "projects/p/locations/us-central1/tuningJobs/42";

  private ArgoFixtures() {}

  static TuningJob openAi() {
    TuningJob job = TuningJobs.openAi("ml", "support-bot");
    job.getMetadata().setGeneration(1L);
    job.getMetadata().setUid("0b6c5b0e-5b1a-4a43-9d57-1f0e0f4f0a11");
    return job;
  }

  static TuningJob vertex() {
    TuningJob job = TuningJobs.vertex("ml", "gemini-bot");
    job.getMetadata().setGeneration(1L);
    return job;
  }

  static ProviderJob.Builder providerJob(ProviderJobState state, String raw) {
    return ProviderJob.builder(JOB, state).rawState(raw).createTime(NOW.minusSeconds(600));
  }

  /** The job with the status the operator writes for what it observed. */
  static TuningJob observed(TuningJob job, Observed o) {
    job.setStatus(STATUS.build(job, o));
    return job;
  }

  static Observed phase(Phase phase, ProviderJob job) {
    return Observed.of(
        phase, job == null ? null : job.id(), job, job == null ? null : Reason.JOB_CREATED);
  }

  static TuningJob with(TuningJob job, Consumer<TuningJob> change) {
    change.accept(job);
    return job;
  }

  static TuningJob annotated(TuningJob job, String key, String value) {
    Map<String, String> annotations =
        job.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(job.getMetadata().getAnnotations());
    annotations.put(key, value);
    job.getMetadata().setAnnotations(annotations);
    return job;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(TuningJob job) {
    return JSON.convertValue(job, LinkedHashMap.class);
  }

  static TuningJob fromMap(Map<String, Object> map) {
    return JSON.convertValue(map, TuningJob.class);
  }

  // The statuses the operator writes, one per situation (shared by the health and action tests).

  /** As applied from Git: no status at all (CustomResource.initStatus would add an empty one). */
  static TuningJob fresh() {
    TuningJob job = openAi();
    job.setStatus(null);
    return job;
  }

  static TuningJob pending() {
    return observed(openAi(), phase(Phase.Pending, null));
  }

  static TuningJob held() {
    return observed(with(openAi(), j -> j.getSpec().setSuspend(true)), phase(Phase.Pending, null));
  }

  static TuningJob submitting() {
    return observed(openAi(), phase(Phase.Submitting, null));
  }

  static TuningJob queued() {
    return observed(
        openAi(),
        phase(Phase.Queued, providerJob(ProviderJobState.QUEUED, "validating_files").build()));
  }

  static TuningJob running() {
    return observed(
        openAi(),
        phase(
            Phase.Running,
            providerJob(ProviderJobState.RUNNING, "running")
                .startTime(NOW.minusSeconds(300))
                .estimatedFinish(Instant.parse("2026-11-23T11:30:00Z"))
                .build()));
  }

  static TuningJob runningVertex() {
    return observed(
        vertex(),
        phase(
            Phase.Running,
            ProviderJob.builder(VERTEX_JOB, ProviderJobState.RUNNING)
                .rawState("JOB_STATE_RUNNING")
                .build()));
  }

  static TuningJob runningVertexSuspendIgnored() {
    return observed(
        with(vertex(), j -> j.getSpec().setSuspend(true)),
        phase(
                Phase.Running,
                ProviderJob.builder(VERTEX_JOB, ProviderJobState.RUNNING)
                    .rawState("JOB_STATE_RUNNING")
                    .build())
            .withPauseNotSupported());
  }

  static TuningJob paused() {
    return observed(
        with(openAi(), j -> j.getSpec().setSuspend(true)),
        phase(Phase.Suspended, providerJob(ProviderJobState.PAUSED, "paused").build()));
  }

  static TuningJob cancelling() {
    return observed(
        annotated(openAi(), "tuning.dev/cancel-requested", "true"),
        phase(Phase.Cancelling, providerJob(ProviderJobState.CANCELLING, "cancelling").build()));
  }

  static TuningJob succeeded() {
    return observed(
        openAi(),
        phase(
            Phase.Succeeded,
            providerJob(ProviderJobState.SUCCEEDED, "succeeded")
                .endTime(NOW)
                .tunedModel("ft:gpt-4.1-mini-2025-04-14:acme:support-bot:9xYz")
                .resultFiles(List.of("file-result1"))
                .build()));
  }

  static TuningJob succeededVertex() {
    return observed(
        vertex(),
        phase(
            Phase.Succeeded,
            ProviderJob.builder(VERTEX_JOB, ProviderJobState.SUCCEEDED)
                .rawState("JOB_STATE_SUCCEEDED")
                .tunedModel("projects/p/locations/us-central1/models/77")
                .tunedModelEndpoint("projects/p/locations/us-central1/endpoints/88")
                .build()));
  }

  static TuningJob failed() {
    ProviderJob job =
        providerJob(ProviderJobState.FAILED, "failed")
            .error(
                new ProviderJob.Failure(
                    "invalid_training_file", "Training file has 3 malformed lines", null))
            .build();
    return observed(openAi(), phase(Phase.Failed, job).withFailure(Reason.JOB_FAILED, null));
  }

  static TuningJob rejected() {
    JobError error =
        new JobError(
            "invalid_request_error", "Model gpt-x is not available for fine-tuning", "model");
    return observed(
        openAi(),
        Observed.withoutJob(Phase.Submitting)
            .withFailure(Reason.PROVIDER_REJECTED, error)
            .withSyncFailure(Reason.PROVIDER_REJECTED, error.getMessage()));
  }

  static TuningJob jobNotFound() {
    String message = "Provider job " + JOB + " not found: 404 No such job";
    return observed(
        openAi(),
        Observed.of(Phase.Running, JOB, null, Reason.JOB_CREATED)
            .withFailure(Reason.JOB_NOT_FOUND, new JobError("NotFound", message, null))
            .withSyncFailure(Reason.JOB_NOT_FOUND, message));
  }

  static TuningJob cancelled() {
    return observed(
        annotated(openAi(), "tuning.dev/cancel-requested", "true"),
        phase(Phase.Cancelled, providerJob(ProviderJobState.CANCELLED, "cancelled").build()));
  }

  /** The job after the user changed its spec and before the operator caught up. */
  static TuningJob lagging(TuningJob job) {
    job.getMetadata().setGeneration(job.getMetadata().getGeneration() + 1);
    return job;
  }
}
