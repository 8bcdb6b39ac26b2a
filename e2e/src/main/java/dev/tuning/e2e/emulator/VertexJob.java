package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuning.e2e.emulator.JobLifecycle.Snapshot;
import dev.tuning.e2e.emulator.JobLifecycle.Stage;
import java.time.Instant;

/** One emulated Vertex AI tuning job and its rendering as a v1 {@code TuningJob}. */
final class VertexJob {

  final String parent;
  final String id;
  final String name;
  final VertexRequest request;
  final JobLifecycle lifecycle;
  private final long modelId;
  private final long endpointId;

  VertexJob(String parent, long id, VertexRequest request, JobLifecycle lifecycle) {
    this.parent = parent;
    this.id = Long.toString(id);
    this.name = parent + "/tuningJobs/" + id;
    this.request = request;
    this.lifecycle = lifecycle;
    this.modelId = JobStore.randomNumericId();
    this.endpointId = JobStore.randomNumericId();
  }

  static String state(Stage s) {
    return "JOB_STATE_"
        + switch (s) {
          case VALIDATING -> "PENDING";
          case QUEUED -> "QUEUED";
          case RUNNING -> "RUNNING";
          case PAUSED -> "PAUSED";
          case CANCELLING -> "CANCELLING";
          case SUCCEEDED -> "SUCCEEDED";
          case FAILED -> "FAILED";
          case CANCELLED -> "CANCELLED";
        };
  }

  String state(Instant now) {
    return state(lifecycle.snapshot(now).stage());
  }

  ObjectNode toJson(Instant now) {
    Snapshot s = lifecycle.snapshot(now);
    ObjectNode j = Json.object();
    j.put("name", name);
    j.put(
        "tunedModelDisplayName",
        request.echo().path("tunedModelDisplayName").asText(defaultDisplayName()));
    request.echo().fields().forEachRemaining(e -> j.set(e.getKey(), e.getValue()));
    j.set(request.specField(), request.spec());
    j.put("state", state(s.stage()));
    j.put("createTime", s.created().toString());
    putTime(j, "startTime", s.firstEntry(Stage.RUNNING));
    putTime(j, "endTime", s.ended());
    j.put("updateTime", s.updated().toString());
    if (s.stage() == Stage.FAILED) {
      j.putObject("error")
          .put("code", 3)
          .put(
              "message",
              "The tuning dataset "
                  + request.trainingDatasetUri()
                  + " is invalid: line 1 is not a valid JSON object with a \"contents\" field.");
    } else if (s.stage() == Stage.CANCELLED) {
      j.putObject("error").put("code", 1).put("message", "CANCELLED");
    }
    if (!request.labels().isEmpty()) {
      ObjectNode labels = j.putObject("labels");
      request.labels().forEach(labels::put);
    }
    if (s.firstEntry(Stage.RUNNING) != null) {
      j.put("experiment", parent + "/metadataStores/default/contexts/tuning-experiment-" + id);
    }
    if (s.stage() == Stage.SUCCEEDED) {
      j.putObject("tunedModel")
          .put("model", parent + "/models/" + modelId + "@1")
          .put("endpoint", parent + "/endpoints/" + endpointId);
    }
    if (s.validated() && s.stage() != Stage.FAILED) {
      j.putObject("tuningDataStats").set(statsField(), stats());
    }
    return j;
  }

  private String defaultDisplayName() {
    return request.echo().path("baseModel").asText("tuned-model") + "-tuned-" + id;
  }

  private String statsField() {
    return request.specField().equals("supervisedTuningSpec")
        ? "supervisedTuningDataStats"
        : "preferenceOptimizationDataStats";
  }

  /** Deterministic, plausible dataset statistics; int64 counts rendered as strings. */
  private ObjectNode stats() {
    long examples = 100 + Math.floorMod(request.trainingDatasetUri().hashCode(), 900);
    long epochs = request.spec().path("hyperParameters").path("epochCount").asLong(3);
    long tokens = examples * 120;
    ObjectNode st = Json.object();
    st.put("tuningDatasetExampleCount", Long.toString(examples));
    st.put("totalBillableTokenCount", Long.toString(tokens * epochs));
    st.put("tuningStepCount", Long.toString(Math.max(1, examples * epochs / 8)));
    if (statsField().equals("supervisedTuningDataStats")) {
      st.put("totalTuningCharacterCount", Long.toString(tokens * 4));
      st.putObject("userInputTokenDistribution")
          .put("sum", Long.toString(tokens / 2))
          .put("min", 12.0)
          .put("max", 240.0)
          .put("mean", (double) tokens / 2 / examples)
          .put("median", 55.0)
          .put("p5", 20.0)
          .put("p95", 180.0);
    }
    return st;
  }

  private static void putTime(ObjectNode j, String field, Instant t) {
    if (t != null) {
      j.put(field, t.toString());
    }
  }
}
