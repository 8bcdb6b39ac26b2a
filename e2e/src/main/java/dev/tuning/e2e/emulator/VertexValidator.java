package dev.tuning.e2e.emulator;

import static dev.tuning.e2e.emulator.VertexErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuning.operator.provider.vertex.VertexLabels;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a v1 {@code TuningJob} create body the way aiplatform does: proto3 JSON parsing
 * (unknown field names, int64 as string or number, enum names) and the tuning-specific rules, all
 * as 400 INVALID_ARGUMENT. Output-only fields in the body are ignored, as Google APIs do.
 */
final class VertexValidator {

  private static final Set<String> INPUT =
      Set.of(
          "tunedModelDisplayName",
          "description",
          "baseModel",
          "preTunedModel",
          "supervisedTuningSpec",
          "preferenceOptimizationSpec",
          "labels",
          "encryptionSpec",
          "serviceAccount");
  private static final Set<String> OUTPUT_ONLY =
      Set.of(
          "name",
          "state",
          "createTime",
          "startTime",
          "endTime",
          "updateTime",
          "error",
          "experiment",
          "tunedModel",
          "tuningDataStats",
          "evaluateDatasetRuns");
  private static final Set<String> SPEC =
      Set.of(
          "trainingDatasetUri",
          "validationDatasetUri",
          "hyperParameters",
          "exportLastCheckpointOnly",
          "evaluationConfig");
  private static final Set<String> ADAPTER_SIZES =
      Set.of(
          "ADAPTER_SIZE_UNSPECIFIED",
          "ADAPTER_SIZE_ONE",
          "ADAPTER_SIZE_TWO",
          "ADAPTER_SIZE_FOUR",
          "ADAPTER_SIZE_EIGHT",
          "ADAPTER_SIZE_SIXTEEN",
          "ADAPTER_SIZE_THIRTY_TWO");
  private static final Pattern GCS = Pattern.compile("gs://[^/\\s]+/\\S+");
  private static final Pattern MODEL_NAME =
      Pattern.compile("projects/[^/]+/locations/[^/]+/models/[^/]+");

  private VertexValidator() {}

  static VertexRequest validate(String body) {
    JsonNode root = Json.parse(body).orElse(null);
    if (root == null || !root.isObject()) {
      throw invalid(null, "Invalid JSON payload received. Expected a JSON object.");
    }
    known(root, "tuning_job", INPUT, OUTPUT_ONLY);
    ObjectNode echo = Json.object();
    boolean base = root.hasNonNull("baseModel");
    boolean preTuned = root.hasNonNull("preTunedModel");
    if (base == preTuned) {
      throw invalid(
          "tuning_job.base_model",
          base
              ? "Only one of base_model and pre_tuned_model may be set."
              : "tuning_job.base_model is required.");
    }
    if (base) {
      echo.put("baseModel", string(root, "baseModel", "tuning_job.base_model", 1000));
    } else {
      JsonNode pre = object(root.get("preTunedModel"), "tuning_job.pre_tuned_model");
      known(
          pre,
          "tuning_job.pre_tuned_model",
          Set.of("tunedModelName", "checkpointId"),
          Set.of("baseModel"));
      String model =
          string(pre, "tunedModelName", "tuning_job.pre_tuned_model.tuned_model_name", 1000);
      if (!MODEL_NAME.matcher(model.replaceFirst("@.*$", "")).matches()) {
        throw invalid(
            "tuning_job.pre_tuned_model.tuned_model_name",
            "tuned_model_name must look like projects/{project}/locations/{location}/models/{model}.");
      }
      echo.set("preTunedModel", pre.deepCopy());
    }
    for (String f : List.of("tunedModelDisplayName", "description", "serviceAccount")) {
      if (root.hasNonNull(f)) {
        int max = f.equals("tunedModelDisplayName") ? 128 : 10_000;
        echo.put(f, string(root, f, "tuning_job." + snake(f), max));
      }
    }
    if (root.hasNonNull("encryptionSpec")) {
      JsonNode enc = object(root.get("encryptionSpec"), "tuning_job.encryption_spec");
      known(enc, "tuning_job.encryption_spec", Set.of("kmsKeyName"), Set.of());
      echo.set("encryptionSpec", enc.deepCopy());
    }
    boolean sft = root.hasNonNull("supervisedTuningSpec");
    boolean pref = root.hasNonNull("preferenceOptimizationSpec");
    if (sft == pref) {
      throw invalid(
          "tuning_job.supervised_tuning_spec",
          sft
              ? "Only one of supervised_tuning_spec and preference_optimization_spec may be set."
              : "Exactly one of supervised_tuning_spec and preference_optimization_spec must be"
                  + " set.");
    }
    String field = sft ? "supervisedTuningSpec" : "preferenceOptimizationSpec";
    ObjectNode spec = spec(root.get(field), "tuning_job." + snake(field), pref);
    Map<String, String> labels = labels(root.get("labels"));
    return new VertexRequest(field, spec, spec.get("trainingDatasetUri").asText(), labels, echo);
  }

  private static ObjectNode spec(JsonNode in, String path, boolean preference) {
    object(in, path);
    known(in, path, SPEC, Set.of());
    ObjectNode out = Json.object();
    if (!in.hasNonNull("trainingDatasetUri")) {
      throw invalid(path + ".training_dataset_uri", "training_dataset_uri is required.");
    }
    for (String f : List.of("trainingDatasetUri", "validationDatasetUri")) {
      if (in.hasNonNull(f)) {
        String p = path + "." + snake(f);
        String uri = string(in, f, p, 4096);
        if (!GCS.matcher(uri).matches()) {
          throw invalid(
              p,
              snake(f)
                  + " must be a Cloud Storage URI like gs://bucket/file.jsonl, got \""
                  + uri
                  + "\".");
        }
        out.put(f, uri);
      }
    }
    if (in.hasNonNull("hyperParameters")) {
      out.set(
          "hyperParameters",
          hyperParameters(in.get("hyperParameters"), path + ".hyper_parameters", preference));
    }
    if (in.hasNonNull("exportLastCheckpointOnly")) {
      if (!in.get("exportLastCheckpointOnly").isBoolean()) {
        throw typeError(
            path + ".export_last_checkpoint_only", "TYPE_BOOL", in.get("exportLastCheckpointOnly"));
      }
      out.set("exportLastCheckpointOnly", in.get("exportLastCheckpointOnly"));
    }
    if (in.hasNonNull("evaluationConfig")) {
      out.set("evaluationConfig", object(in.get("evaluationConfig"), path + ".evaluation_config"));
    }
    return out;
  }

  private static ObjectNode hyperParameters(JsonNode in, String path, boolean preference) {
    object(in, path);
    Set<String> allowed =
        preference
            ? Set.of("epochCount", "learningRateMultiplier", "adapterSize", "beta")
            : Set.of("epochCount", "learningRateMultiplier", "adapterSize");
    known(in, path, allowed, Set.of());
    ObjectNode out = Json.object();
    if (in.hasNonNull("epochCount")) {
      JsonNode v = in.get("epochCount");
      String p = path + ".epoch_count";
      long n;
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        n = v.asLong();
      } else if (v.isTextual() && v.asText().matches("-?\\d{1,18}")) {
        n = Long.parseLong(v.asText());
      } else {
        throw typeError(p, "TYPE_INT64", v);
      }
      if (n <= 0) {
        throw invalid(p, "epoch_count must be a positive integer, got " + n + ".");
      }
      out.put("epochCount", Long.toString(n)); // proto3 JSON renders int64 as a string
    }
    for (String f : List.of("learningRateMultiplier", "beta")) {
      if (in.hasNonNull(f)) {
        JsonNode v = in.get(f);
        String p = path + "." + snake(f);
        double d;
        if (v.isNumber()) {
          d = v.asDouble();
        } else if (v.isTextual() && v.asText().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
          d = Double.parseDouble(v.asText());
        } else {
          throw typeError(p, "TYPE_DOUBLE", v);
        }
        if (d <= 0) {
          throw invalid(p, snake(f) + " must be greater than 0, got " + v.asText() + ".");
        }
        out.put(f, d);
      }
    }
    if (in.hasNonNull("adapterSize")) {
      JsonNode v = in.get("adapterSize");
      if (!v.isTextual() || !ADAPTER_SIZES.contains(v.asText())) {
        throw invalid(
            path + ".adapter_size",
            "Invalid value at '"
                + path
                + ".adapter_size' (type.googleapis.com/google.cloud.aiplatform.v1.AdapterSize), "
                + v);
      }
      out.set("adapterSize", v);
    }
    return out;
  }

  private static Map<String, String> labels(JsonNode in) {
    Map<String, String> out = new LinkedHashMap<>();
    if (in == null || in.isNull()) {
      return out;
    }
    object(in, "tuning_job.labels");
    if (in.size() > VertexLabels.MAX_LABELS) {
      throw invalid(
          "tuning_job.labels",
          "At most " + VertexLabels.MAX_LABELS + " labels are allowed, got " + in.size() + ".");
    }
    Iterator<Map.Entry<String, JsonNode>> it = in.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (!e.getValue().isTextual()) {
        throw typeError("tuning_job.labels[" + k + "]", "TYPE_STRING", e.getValue());
      }
      String v = e.getValue().asText();
      if (!VertexLabels.isValidKey(k)) {
        throw invalid(
            "tuning_job.labels",
            "Label key \""
                + k
                + "\" is invalid: keys must start with a lowercase letter, contain only lowercase"
                + " letters, digits, underscores and dashes, and be at most "
                + VertexLabels.MAX_LENGTH
                + " characters ("
                + VertexLabels.MAX_BYTES
                + " bytes) long.");
      }
      if (!VertexLabels.isValidValue(v)) {
        throw invalid(
            "tuning_job.labels",
            "Label value \""
                + v
                + "\" of key \""
                + k
                + "\" is invalid: values may contain only lowercase letters, digits, underscores"
                + " and dashes, and be at most "
                + VertexLabels.MAX_LENGTH
                + " characters ("
                + VertexLabels.MAX_BYTES
                + " bytes) long.");
      }
      out.put(k, v);
    }
    return out;
  }

  private static void known(JsonNode in, String path, Set<String> input, Set<String> ignored) {
    Iterator<String> names = in.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!input.contains(n) && !ignored.contains(n)) {
        throw invalid(
            path,
            "Invalid JSON payload received. Unknown name \""
                + n
                + "\" at '"
                + path
                + "': Cannot find field.");
      }
    }
  }

  private static String string(JsonNode in, String field, String path, int max) {
    JsonNode v = in.get(field);
    if (!v.isTextual()) {
      throw typeError(path, "TYPE_STRING", v);
    }
    String s = v.asText();
    if (s.isBlank()) {
      throw invalid(path, path + " must not be empty.");
    }
    if (s.codePointCount(0, s.length()) > max) {
      throw invalid(path, path + " must be at most " + max + " characters long.");
    }
    return s;
  }

  private static JsonNode object(JsonNode v, String path) {
    if (v == null || !v.isObject()) {
      throw invalid(path, "Invalid value at '" + path + "', expected a JSON object.");
    }
    return v;
  }

  private static ApiException typeError(String path, String type, JsonNode v) {
    return invalid(path, "Invalid value at '" + path + "' (" + type + "), " + v);
  }

  /** {@code trainingDatasetUri} → {@code training_dataset_uri}, as Google error paths spell it. */
  static String snake(String camel) {
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }
}
