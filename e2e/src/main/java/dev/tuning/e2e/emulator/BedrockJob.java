package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuning.e2e.emulator.JobLifecycle.Snapshot;
import dev.tuning.e2e.emulator.JobLifecycle.Stage;
import dev.tuning.e2e.emulator.JobLifecycle.Transition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * One emulated model customization job and its renderings: the {@code GetModelCustomizationJob}
 * body and the {@code ModelCustomizationJobSummary} of a list.
 *
 * <p>Stages map to {@code status} as VALIDATING, QUEUED, RUNNING → {@code InProgress}, CANCELLING →
 * {@code Stopping}, CANCELLED → {@code Stopped}, SUCCEEDED → {@code Completed}, FAILED → {@code
 * Failed}; and to {@code statusDetails} as VALIDATING → {@code validationDetails}, QUEUED → {@code
 * dataProcessingDetails}, RUNNING → {@code trainingDetails} (AWS documents statusDetails for
 * distillation jobs; the emulator sends them for every job). A detail not reached yet is {@code
 * NotStarted} without times (the real times of a detail that has not started are unknown).
 */
final class BedrockJob {

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final List<Stage> PHASES = List.of(Stage.VALIDATING, Stage.QUEUED, Stage.RUNNING);
  private static final List<String> DETAILS =
      List.of("validationDetails", "dataProcessingDetails", "trainingDetails");

  final String region;
  final String arn;
  final BedrockRequest request;
  final JobLifecycle lifecycle;
  private final String accountId;
  private final String baseModelId;
  private final String modelArn;
  private final String failureMessage;

  BedrockJob(
      String region,
      String accountId,
      BedrockRequest request,
      JobLifecycle lifecycle,
      String failureMessage) {
    this.region = region;
    this.accountId = accountId;
    this.request = request;
    this.lifecycle = lifecycle;
    this.failureMessage = failureMessage;
    this.baseModelId = baseModelId(request.baseModelIdentifier());
    String prefix = "arn:aws:bedrock:" + region + ":" + accountId + ":";
    this.arn =
        prefix + "model-customization-job/" + baseModelId + "/" + JobStore.randomLowerAlnum(12);
    this.modelArn = prefix + "custom-model/" + baseModelId + "/" + JobStore.randomLowerAlnum(12);
  }

  /**
   * The foundation model id in a base model identifier (model id, foundation-model ARN or
   * custom-model ARN), or null for a custom model given by name (the emulator has no custom models
   * to look names up in).
   */
  static String baseModelId(String identifier) {
    if (identifier.contains(":foundation-model/")) {
      return identifier.substring(identifier.indexOf(":foundation-model/") + 18);
    }
    if (identifier.contains(":custom-model/")) {
      String rest = identifier.substring(identifier.indexOf(":custom-model/") + 14);
      return rest.substring(0, rest.lastIndexOf('/'));
    }
    return identifier.contains(".") ? identifier : null;
  }

  static String status(Stage s) {
    return switch (s) {
      case VALIDATING, QUEUED, RUNNING, PAUSED -> "InProgress";
      case CANCELLING -> "Stopping";
      case CANCELLED -> "Stopped";
      case SUCCEEDED -> "Completed";
      case FAILED -> "Failed";
    };
  }

  String status(Instant now) {
    return status(lifecycle.snapshot(now).stage());
  }

  /** The custom model's ARN once the job has completed, else null. */
  String outputModelArn(Instant now) {
    return lifecycle.snapshot(now).stage() == Stage.SUCCEEDED ? modelArn : null;
  }

  static String time(Instant t) {
    return ISO_MILLIS.format(t);
  }

  /** The {@code GetModelCustomizationJob} body. */
  ObjectNode toJson(Instant now) {
    Snapshot s = lifecycle.snapshot(now);
    ObjectNode j = Json.object();
    j.put("jobArn", arn);
    j.put("jobName", request.jobName());
    j.put("outputModelName", request.customModelName());
    if (s.stage() == Stage.SUCCEEDED) {
      j.put("outputModelArn", modelArn);
    }
    if (request.clientRequestToken() != null) {
      j.put("clientRequestToken", request.clientRequestToken());
    }
    j.put("roleArn", request.roleArn());
    j.put("status", status(s.stage()));
    j.set("statusDetails", statusDetails(s));
    if (s.stage() == Stage.FAILED) {
      j.put("failureMessage", failureMessage);
    }
    putTimes(j, s);
    j.put("baseModelArn", baseModelArn());
    request.echo().fields().forEachRemaining(e -> j.set(e.getKey(), e.getValue().deepCopy()));
    j.put("customizationType", request.customizationType());
    if (request.kmsKeyId() != null) {
      j.put("outputModelKmsKeyArn", kmsKeyArn(request.kmsKeyId()));
    }
    if (s.stage() == Stage.SUCCEEDED) {
      double loss = 0.2 + Math.floorMod(arn.hashCode(), 2000) / 10_000.0;
      j.putObject("trainingMetrics").put("trainingLoss", loss);
      ArrayNode validation = j.putArray("validationMetrics");
      for (int i = 0; i < request.validators(); i++) {
        validation.addObject().put("validationLoss", loss + 0.04 + i / 100.0);
      }
    }
    return j;
  }

  /** The {@code ModelCustomizationJobSummary} of a list page. */
  ObjectNode summary(Instant now) {
    Snapshot s = lifecycle.snapshot(now);
    ObjectNode j = Json.object();
    j.put("jobArn", arn);
    j.put("baseModelArn", baseModelArn());
    j.put("jobName", request.jobName());
    j.put("status", status(s.stage()));
    j.set("statusDetails", statusDetails(s));
    putTimes(j, s);
    if (s.stage() == Stage.SUCCEEDED) {
      j.put("customModelArn", modelArn);
    }
    j.put("customModelName", request.customModelName());
    j.put("customizationType", request.customizationType());
    return j;
  }

  private void putTimes(ObjectNode j, Snapshot s) {
    j.put("creationTime", time(s.created()));
    j.put("lastModifiedTime", time(s.updated()));
    if (s.ended() != null) {
      j.put("endTime", time(s.ended()));
    }
  }

  private String baseModelArn() {
    return request.baseModelIdentifier().startsWith("arn:")
        ? request.baseModelIdentifier()
        : "arn:aws:bedrock:" + region + "::foundation-model/" + baseModelId;
  }

  /** The key ARN AWS reports for a key id, alias or ARN (an alias maps to a stable fake key). */
  private String kmsKeyArn(String key) {
    if (key.contains(":key/")) {
      return key;
    }
    String id =
        key.contains("alias/")
            ? UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString()
            : key;
    return "arn:aws:kms:" + region + ":" + accountId + ":key/" + id;
  }

  private static ObjectNode statusDetails(Snapshot s) {
    ObjectNode details = Json.object();
    for (int i = 0; i < PHASES.size(); i++) {
      details.set(DETAILS.get(i), detail(s, PHASES.get(i)));
    }
    return details;
  }

  /** The detail of one phase, read from the transitions in and out of it. */
  private static ObjectNode detail(Snapshot s, Stage phase) {
    List<Transition> history = s.history();
    ObjectNode d = Json.object();
    int k = 0;
    while (k < history.size() && history.get(k).stage() != phase) {
      k++;
    }
    if (k == history.size()) {
      return d.put("status", "NotStarted");
    }
    String status = "InProgress";
    Instant modified = history.get(k).at();
    if (k + 1 < history.size()) {
      Transition next = history.get(k + 1);
      modified = next.at();
      status =
          switch (next.stage()) {
            case FAILED -> "Failed";
            case CANCELLED -> "Stopped";
            case CANCELLING -> s.stage() == Stage.CANCELLING ? "Stopping" : "Stopped";
            default -> "Completed";
          };
      if (next.stage() == Stage.CANCELLING) {
        modified = s.updated();
      }
    }
    return d.put("status", status)
        .put("creationTime", time(history.get(k).at()))
        .put("lastModifiedTime", time(modified));
  }
}
