package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuning.e2e.emulator.JobLifecycle.Snapshot;
import dev.tuning.e2e.emulator.JobLifecycle.Stage;
import dev.tuning.e2e.emulator.JobLifecycle.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** One emulated OpenAI fine-tuning job and its rendering as {@code fine_tuning.job}. */
final class OpenAiJob {

  /** What "auto" resolves to once the files are validated (fixed values, see the report). */
  private static final Map<String, Object> RESOLVED =
      Map.of(
          "batch_size", 1,
          "learning_rate_multiplier", 1.8,
          "n_epochs", 3,
          "beta", 0.1,
          "compute_multiplier", 1.0,
          "eval_interval", 1,
          "eval_samples", 1);

  /**
   * Examples in the emulated training file: with the resolved batch size they make the steps per
   * epoch ({@code ceil(20 / batch_size)}, 20 with the default batch size of 1).
   */
  static final int TRAINING_EXAMPLES = 20;

  final String id;
  final OpenAiRequest request;
  final long seed;
  final JobLifecycle lifecycle;
  private final String token;

  OpenAiJob(String token, OpenAiRequest request, long seed, JobLifecycle lifecycle) {
    this.token = token;
    this.id = "ftjob-" + token;
    this.request = request;
    this.seed = seed;
    this.lifecycle = lifecycle;
  }

  static String status(Stage s) {
    return switch (s) {
      case VALIDATING -> "validating_files";
      case QUEUED -> "queued";
      case RUNNING -> "running";
      case PAUSED -> "paused";
      case CANCELLING -> "cancelling";
      case SUCCEEDED -> "succeeded";
      case FAILED -> "failed";
      case CANCELLED -> "cancelled";
    };
  }

  String fineTunedModel() {
    String suffix = request.suffix() == null ? "" : request.suffix();
    return "ft:" + request.model() + ":emulator:" + suffix + ":" + token.substring(0, 8);
  }

  boolean matchesMetadata(Map<String, String> filter, boolean wantNone) {
    ObjectNode m = request.metadata();
    if (wantNone) {
      return m == null || m.isEmpty();
    }
    return filter.entrySet().stream()
        .allMatch(e -> m != null && e.getValue().equals(m.path(e.getKey()).asText(null)));
  }

  ObjectNode toJson(Instant now) {
    Snapshot s = lifecycle.snapshot(now);
    boolean succeeded = s.stage() == Stage.SUCCEEDED;
    ObjectNode j = Json.object();
    j.put("object", "fine_tuning.job");
    j.put("id", id);
    j.put("model", request.model());
    j.put("created_at", s.created().getEpochSecond());
    putEpoch(j, "finished_at", s.ended());
    putEpoch(j, "estimated_finish", s.runningEnd());
    j.put("fine_tuned_model", succeeded ? fineTunedModel() : null);
    j.put("organization_id", OpenAiEmulator.ORGANIZATION);
    ArrayNode resultFiles = j.putArray("result_files");
    if (succeeded) {
      resultFiles.add("file-" + token.substring(8, 24));
    }
    j.put("status", status(s.stage()));
    j.put("validation_file", request.validationFile());
    j.put("training_file", request.trainingFile());
    ObjectNode hp = hyperparameters(s.validated());
    j.set("hyperparameters", request.methodType().equals("supervised") ? hp : null);
    if (succeeded) {
      j.put("trained_tokens", 1000L * hp.path("n_epochs").asLong(1) + (seed % 997));
    } else {
      j.putNull("trained_tokens");
    }
    j.set("integrations", request.integrations());
    j.put("seed", seed);
    j.set("error", error(s.stage()));
    j.set("metadata", request.metadata());
    j.set("method", method(hp));
    j.put("user_provided_suffix", request.suffix());
    return j;
  }

  /** Events derived from the job's transitions, newest first. */
  List<ObjectNode> events(Instant now) {
    List<Transition> history = lifecycle.snapshot(now).history();
    List<ObjectNode> out = new ArrayList<>();
    out.add(event(0, history.get(0).at(), "info", "Created fine-tuning job: " + id));
    Stage previous = null;
    for (Transition t : history) {
      if (t.stage() == Stage.SUCCEEDED) {
        out.add(
            event(out.size(), t.at(), "info", "New fine-tuned model created: " + fineTunedModel()));
      }
      String message =
          switch (t.stage()) {
            case VALIDATING -> "Validating training file: " + request.trainingFile();
            case QUEUED ->
                previous == Stage.PAUSED
                    ? "Fine-tuning job resumed"
                    : "Files validated, moving job to queued state";
            case RUNNING -> "Fine-tuning job started";
            case PAUSED -> "Fine-tuning job paused";
            case CANCELLING -> "Cancelling fine-tuning job";
            case SUCCEEDED -> "The job has successfully completed";
            case FAILED -> error(Stage.FAILED).get("message").asText();
            case CANCELLED -> "Fine-tuning job cancelled";
          };
      out.add(event(out.size(), t.at(), t.stage() == Stage.FAILED ? "error" : "info", message));
      previous = t.stage();
    }
    Collections.reverse(out);
    return out;
  }

  /**
   * Checkpoints written by {@code now}, newest first: one at the end of each epoch, where an epoch
   * is an equal share of the running time ({@link JobLifecycle#runningMarks}), so none before the
   * job runs, none while it is paused, and all {@code n_epochs} once it has succeeded. Step numbers
   * grow by the steps per epoch ({@link #TRAINING_EXAMPLES}); losses fall with every epoch, and
   * validation metrics appear only for a job with a validation file.
   */
  List<ObjectNode> checkpoints(Instant now) {
    ObjectNode hp = hyperparameters(true);
    int epochs = Math.max(1, hp.path("n_epochs").asInt(1));
    int batch = Math.max(1, hp.path("batch_size").asInt(1));
    long stepsPerEpoch = (TRAINING_EXAMPLES + batch - 1) / batch;
    List<Instant> marks = lifecycle.runningMarks(now, epochs);
    List<ObjectNode> out = new ArrayList<>();
    for (int k = 1; k <= marks.size(); k++) {
      out.add(checkpoint(k, k * stepsPerEpoch, marks.get(k - 1)));
    }
    Collections.reverse(out);
    return out;
  }

  private ObjectNode checkpoint(int epoch, long step, Instant at) {
    ObjectNode c = Json.object();
    c.put("object", "fine_tuning.job.checkpoint");
    c.put("id", "ftckpt_" + token.substring(0, 20) + String.format("%04d", epoch));
    c.put("created_at", at.getEpochSecond());
    c.put("fine_tuned_model_checkpoint", fineTunedModel() + ":ckpt-step-" + step);
    c.put("fine_tuning_job_id", id);
    c.put("step_number", step);
    ObjectNode m = c.putObject("metrics");
    double trainLoss = round(0.1 + 1.6 / (epoch + 1));
    m.put("step", step);
    m.put("train_loss", trainLoss);
    m.put("train_mean_token_accuracy", round(1 - trainLoss / 2));
    if (request.validationFile() != null) {
      m.put("valid_loss", round(trainLoss * 1.1 + 0.05));
      m.put("valid_mean_token_accuracy", round(1 - trainLoss / 1.8));
      m.put("full_valid_loss", round(trainLoss * 1.05 + 0.04));
      m.put("full_valid_mean_token_accuracy", round(1 - trainLoss / 1.9));
    }
    return c;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private ObjectNode event(int n, Instant at, String level, String message) {
    ObjectNode e = Json.object();
    e.put("object", "fine_tuning.job.event");
    e.put("id", "ftevent-" + token + "-" + n);
    e.put("created_at", at.getEpochSecond());
    e.put("level", level);
    e.put("message", message);
    e.putObject("data");
    e.put("type", "message");
    return e;
  }

  private JsonNode error(Stage stage) {
    if (stage != Stage.FAILED) {
      return null;
    }
    ObjectNode e = Json.object();
    e.put("code", "invalid_training_file");
    e.put(
        "message",
        "The job failed due to an invalid training file. Training file "
            + request.trainingFile()
            + " could not be parsed as chat-formatted JSONL.");
    e.put("param", "training_file");
    return e;
  }

  /** Requested hyperparameters, with every "auto" (and every omission) resolved once validated. */
  private ObjectNode hyperparameters(boolean resolved) {
    ObjectNode out = Json.object();
    for (String name : names()) {
      JsonNode requested = request.hyperparameters().get(name);
      if (name.equals("reasoning_effort")) {
        out.put(name, requested == null ? "default" : requested.asText());
      } else if (requested != null && requested.isNumber()) {
        out.set(name, requested);
      } else if (resolved) {
        out.set(name, Json.MAPPER.valueToTree(RESOLVED.get(name)));
      } else {
        out.put(name, "auto");
      }
    }
    return out;
  }

  private List<String> names() {
    return switch (request.methodType()) {
      case "dpo" -> List.of("beta", "batch_size", "learning_rate_multiplier", "n_epochs");
      case "reinforcement" ->
          List.of(
              "batch_size",
              "learning_rate_multiplier",
              "n_epochs",
              "reasoning_effort",
              "compute_multiplier",
              "eval_interval",
              "eval_samples");
      default -> List.of("batch_size", "learning_rate_multiplier", "n_epochs");
    };
  }

  private ObjectNode method(ObjectNode hp) {
    ObjectNode m = Json.object();
    String type = request.methodType();
    m.put("type", type);
    ObjectNode sub = m.putObject(type);
    if (type.equals("reinforcement")) {
      sub.set("grader", request.grader());
      sub.putNull("response_format");
    }
    sub.set("hyperparameters", hp.deepCopy());
    return m;
  }

  private static void putEpoch(ObjectNode j, String field, Instant t) {
    if (t == null) {
      j.putNull(field);
    } else {
      j.put(field, t.getEpochSecond());
    }
  }
}
