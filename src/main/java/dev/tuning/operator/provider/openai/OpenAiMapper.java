package dev.tuning.operator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.OpenAiIntegration;
import dev.tuning.operator.api.v1alpha1.OpenAiReinforcement;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.api.v1alpha1.WandbIntegration;
import dev.tuning.operator.provider.CommonSpec;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.TuningProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps an {@link OpenAiRequest} to the create request and an OpenAI job object to the normalized
 * {@link ProviderJob}. Pure: no I/O, no clock.
 */
final class OpenAiMapper {

  /** Lenient reader and writer for the API's JSON; thread-safe once configured. */
  static final ObjectMapper JSON = dev.tuning.operator.provider.ProviderJson.MAPPER;

  /** OpenAI metadata limits (docs/providers/openai.md section 2). */
  static final int MAX_METADATA_PAIRS = 16;

  static final int MAX_METADATA_KEY = 64;
  static final int MAX_METADATA_VALUE = 512;

  private OpenAiMapper() {}

  /**
   * The create body for the context's spec, tagged with its UID. Throws {@link ErrorKind#PERMANENT}
   * for a spec OpenAI cannot take, before anything is sent.
   */
  static OpenAiWire.CreateJobRequest toCreateRequest(JobContext ctx) throws ProviderException {
    OpenAiRequest request = ctx.request(OpenAiRequest.class);
    CommonSpec job = request.job();
    return new OpenAiWire.CreateJobRequest(
        job.baseModel(),
        job.trainingData(),
        job.validationData(),
        method(request),
        job.tunedModelName(),
        job.seed(),
        integrations(request.integrations()),
        metadata(job.labels(), ctx.resourceUid()));
  }

  /** The user's labels plus the operator's tag, checked against OpenAI's metadata limits. */
  static Map<String, String> metadata(Map<String, String> labels, String uid)
      throws ProviderException {
    Map<String, String> user = labels == null ? Map.of() : labels;
    if (user.containsKey(TuningProvider.TAG_KEY)) {
      throw invalid(
          "spec.labels: the key " + TuningProvider.TAG_KEY + " is reserved for the operator");
    }
    if (user.size() + 1 > MAX_METADATA_PAIRS) {
      throw invalid(
          "spec.labels has "
              + user.size()
              + " entries, but OpenAI allows "
              + MAX_METADATA_PAIRS
              + " metadata pairs and the operator needs one for "
              + TuningProvider.TAG_KEY
              + ": use at most "
              + (MAX_METADATA_PAIRS - 1)
              + " labels");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : user.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isEmpty() || key.length() > MAX_METADATA_KEY) {
        throw invalid(
            "spec.labels: key "
                + quote(key)
                + " must have 1 to "
                + MAX_METADATA_KEY
                + " characters for OpenAI metadata");
      }
      String value = e.getValue();
      if (value == null || value.length() > MAX_METADATA_VALUE) {
        throw invalid(
            "spec.labels: the value of "
                + quote(key)
                + " must be a string of at most "
                + MAX_METADATA_VALUE
                + " characters for OpenAI metadata");
      }
      out.put(key, value);
    }
    out.put(TuningProvider.TAG_KEY, uid);
    return out;
  }

  static OpenAiWire.Method method(OpenAiRequest request) throws ProviderException {
    TuningMethod method = request.job().method();
    Hyperparameters hp = request.job().hyperparameters();
    if (hp != null && hp.getAdapterSize() != null) {
      throw invalid("spec.hyperparameters.adapterSize is not supported by OpenAI");
    }
    if (hp != null && hp.getBeta() != null && method != TuningMethod.PREFERENCE) {
      throw invalid("spec.hyperparameters.beta is only allowed when method is preference");
    }
    Integer epochs = hp == null ? null : hp.getEpochs();
    Double lrm = hp == null ? null : hp.getLearningRateMultiplier();
    Integer batch = hp == null ? null : hp.getBatchSize();
    OpenAiReinforcement rl = request.reinforcement();
    switch (method) {
      case PREFERENCE -> {
        var h = hyper(epochs, lrm, batch, hp == null ? null : hp.getBeta(), null);
        return new OpenAiWire.Method("dpo", null, settings(null, h), null);
      }
      case REINFORCEMENT -> {
        if (rl == null || rl.getGrader() == null || rl.getGrader().isNull()) {
          throw invalid(
              "spec.openai.reinforcement.grader is required when method is reinforcement");
        }
        var h = hyper(epochs, lrm, batch, null, rl);
        // The grader is the user's JSON, sent exactly as written.
        return new OpenAiWire.Method(
            "reinforcement", null, null, new OpenAiWire.MethodSettings(rl.getGrader(), h));
      }
      default -> {
        if (rl != null) {
          throw invalid("spec.openai.reinforcement is only allowed when method is reinforcement");
        }
        var h = hyper(epochs, lrm, batch, null, null);
        return new OpenAiWire.Method("supervised", settings(null, h), null, null);
      }
    }
  }

  private static OpenAiWire.Hyperparameters hyper(
      Integer epochs, Double lrm, Integer batch, Double beta, OpenAiReinforcement rl) {
    var h =
        new OpenAiWire.Hyperparameters(
            epochs,
            lrm,
            batch,
            beta,
            rl == null || rl.getReasoningEffort() == null
                ? null
                : rl.getReasoningEffort().name().toLowerCase(Locale.ROOT),
            rl == null ? null : rl.getComputeMultiplier(),
            rl == null ? null : rl.getEvalInterval(),
            rl == null ? null : rl.getEvalSamples());
    return h.isEmpty() ? null : h;
  }

  private static OpenAiWire.MethodSettings settings(JsonNode grader, OpenAiWire.Hyperparameters h) {
    return grader == null && h == null ? null : new OpenAiWire.MethodSettings(grader, h);
  }

  private static List<OpenAiWire.Integration> integrations(List<OpenAiIntegration> in) {
    if (in == null || in.isEmpty()) {
      return null;
    }
    List<OpenAiWire.Integration> out = new ArrayList<>();
    for (OpenAiIntegration i : in) {
      WandbIntegration w = i.getWandb();
      out.add(
          new OpenAiWire.Integration(
              i.getType() == null ? "wandb" : i.getType().name(),
              w == null
                  ? null
                  : new OpenAiWire.Wandb(w.getProject(), w.getName(), w.getEntity(), w.getTags())));
    }
    return out;
  }

  /** Maps an OpenAI job object. A job without an id is a malformed response. */
  static ProviderJob toProviderJob(OpenAiWire.Job job) {
    String status = job.status();
    return ProviderJob.builder(job.id(), state(status))
        .rawState(status)
        .createTime(instant(job.createdAt()))
        .endTime(instant(job.finishedAt()))
        .estimatedFinish(instant(job.estimatedFinish()))
        .tunedModel(job.fineTunedModel())
        .trainedTokens(job.trainedTokens())
        .resultFiles(
            job.resultFiles() == null
                ? null
                : job.resultFiles().stream().filter(Objects::nonNull).toList())
        .error(failure(job.error()))
        .hyperparameters(hyperparameters(job))
        .tags(withoutNullValues(job.metadata()))
        .build();
  }

  /**
   * The progress in a page of checkpoints (newest first, docs/providers/openai.md section 3.3): the
   * first checkpoint's step number (else its {@code metrics.step}), its training loss, and its full
   * validation loss, else its batch validation loss. Empty before the first checkpoint and for a
   * checkpoint that reports none of these.
   */
  static Optional<ProviderJob.Progress> toProgress(OpenAiWire.CheckpointList list) {
    if (list.data() == null || list.data().isEmpty()) {
      return Optional.empty();
    }
    OpenAiWire.Checkpoint newest = list.data().get(0);
    OpenAiWire.CheckpointMetrics m = newest.metrics();
    Long step = newest.stepNumber();
    if (step == null && m != null && m.step() != null) {
      step = m.step().longValue();
    }
    Double trainingLoss = m == null ? null : m.trainLoss();
    Double validationLoss =
        m == null ? null : m.fullValidLoss() != null ? m.fullValidLoss() : m.validLoss();
    if (step == null && trainingLoss == null && validationLoss == null) {
      return Optional.empty();
    }
    return Optional.of(new ProviderJob.Progress(step, trainingLoss, validationLoss));
  }

  /** docs/providers/openai.md section 3.1: status is an open set; unknown values stay active. */
  static ProviderJobState state(String status) {
    if (status == null) {
      return ProviderJobState.UNKNOWN;
    }
    return switch (status) {
      case "validating_files", "queued" -> ProviderJobState.QUEUED;
      case "running" -> ProviderJobState.RUNNING;
      case "pausing", "paused" -> ProviderJobState.PAUSED;
      case "cancelling" -> ProviderJobState.CANCELLING;
      case "succeeded" -> ProviderJobState.SUCCEEDED;
      case "failed" -> ProviderJobState.FAILED;
      case "cancelled" -> ProviderJobState.CANCELLED;
      default -> ProviderJobState.UNKNOWN;
    };
  }

  /** Healthy jobs carry {@code null}, {@code {}} or all-null fields: none of these is an error. */
  static ProviderJob.Failure failure(JsonNode error) {
    if (error == null || !error.isObject()) {
      return null;
    }
    String code = text(error.get("code"));
    String message = text(error.get("message"));
    if (code == null && message == null) {
      return null;
    }
    return new ProviderJob.Failure(code, message, text(error.get("param")));
  }

  /**
   * The resolved hyperparameters of the job's method ({@code method.<type>.hyperparameters}), else
   * the legacy top-level object; {@code "auto"} stays {@code "auto"}.
   */
  static Map<String, String> hyperparameters(OpenAiWire.Job job) {
    JsonNode hp = null;
    JsonNode method = job.method();
    if (method != null && method.isObject()) {
      String type = text(method.get("type"));
      if (type != null) {
        hp = method.path(type).get("hyperparameters");
      }
    }
    if (hp == null || !hp.isObject()) {
      hp = job.hyperparameters();
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (hp != null && hp.isObject()) {
      hp.fields()
          .forEachRemaining(
              e -> {
                String v = text(e.getValue());
                if (v != null) {
                  out.put(e.getKey(), v);
                }
              });
    }
    return out;
  }

  private static Map<String, String> withoutNullValues(Map<String, String> in) {
    if (in == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    in.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Epoch seconds to an instant; 0 and null mean "none" (a finished job shows 0). */
  private static Instant instant(Long epochSeconds) {
    return epochSeconds == null || epochSeconds <= 0 ? null : Instant.ofEpochSecond(epochSeconds);
  }

  private static String text(JsonNode v) {
    return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
  }

  private static String quote(String key) {
    if (key == null) {
      return "null";
    }
    return "'"
        + (key.length() > MAX_METADATA_KEY ? key.substring(0, MAX_METADATA_KEY) + "…" : key)
        + "'";
  }

  private static ProviderException invalid(String message) {
    return ProviderException.invalidSpec(message);
  }
}
