package dev.tuning.e2e.emulator;

import static dev.tuning.e2e.emulator.OpenAiErrors.invalid;
import static dev.tuning.e2e.emulator.OpenAiParams.decimal;
import static dev.tuning.e2e.emulator.OpenAiParams.integer;
import static dev.tuning.e2e.emulator.OpenAiParams.length;
import static dev.tuning.e2e.emulator.OpenAiParams.missing;
import static dev.tuning.e2e.emulator.OpenAiParams.object;
import static dev.tuning.e2e.emulator.OpenAiParams.optionalString;
import static dev.tuning.e2e.emulator.OpenAiParams.present;
import static dev.tuning.e2e.emulator.OpenAiParams.requiredString;
import static dev.tuning.e2e.emulator.OpenAiParams.typeError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates {@code CreateFineTuningJobRequest} bodies the way the OpenAI API does, failing with its
 * 400 {@code invalid_request_error} envelope. Message wording follows OpenAI's generic parameter
 * errors ("Invalid 'x': …" with codes such as {@code integer_above_max_value}).
 */
final class OpenAiValidator {

  private static final Pattern FILE_ID = Pattern.compile("file-[A-Za-z0-9_-]+");
  private static final Set<String> TOP =
      Set.of(
          "model",
          "training_file",
          "validation_file",
          "hyperparameters",
          "suffix",
          "seed",
          "integrations",
          "metadata",
          "method");
  private static final List<String> METHODS = List.of("supervised", "dpo", "reinforcement");
  private static final Map<String, Set<String>> HYPERPARAMETERS =
      Map.of(
          "supervised", Set.of("batch_size", "learning_rate_multiplier", "n_epochs"),
          "dpo", Set.of("batch_size", "learning_rate_multiplier", "n_epochs", "beta"),
          "reinforcement",
              Set.of(
                  "batch_size",
                  "learning_rate_multiplier",
                  "n_epochs",
                  "reasoning_effort",
                  "compute_multiplier",
                  "eval_interval",
                  "eval_samples"));
  private static final Map<String, List<String>> GRADER_FIELDS =
      Map.of(
          "string_check", List.of("name", "input", "reference", "operation"),
          "text_similarity", List.of("name", "input", "reference", "evaluation_metric"),
          "python", List.of("name", "source"),
          "score_model", List.of("name", "model", "input"),
          "multi", List.of("name", "graders", "calculate_output"));

  private OpenAiValidator() {}

  static OpenAiRequest validate(String body) {
    JsonNode root = Json.parse(body).orElse(null);
    if (root == null || !root.isObject()) {
      throw invalid(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
              + " using your HTTP library correctly. The OpenAI API expects a JSON payload, but"
              + " what was sent was not valid JSON.)",
          null,
          null);
    }
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!TOP.contains(n)) {
        throw invalid("Unrecognized request argument supplied: " + n, null, null);
      }
    }
    String model = requiredString(root, "model");
    String training = fileId(root, "training_file", true);
    String validation = fileId(root, "validation_file", false);
    String suffix = optionalString(root, "suffix");
    if (suffix != null) {
      length("suffix", suffix, 64);
    }
    Long seed = null;
    if (present(root, "seed")) {
      seed = integer(root.get("seed"), "seed", 0, 2147483647L, false);
    }
    ObjectNode metadata = metadata(root.get("metadata"));
    ArrayNode integrations = integrations(root.get("integrations"));
    if (present(root, "hyperparameters") && present(root, "method")) {
      throw invalid(
          "Only one of 'hyperparameters' and 'method' may be provided; 'hyperparameters' is"
              + " deprecated, use 'method'.",
          "hyperparameters",
          "invalid_value");
    }
    String type = "supervised";
    JsonNode hp = root.get("hyperparameters");
    String hpParam = "hyperparameters";
    JsonNode grader = null;
    if (present(root, "method")) {
      JsonNode method = object(root.get("method"), "method");
      if (!present(method, "type")) {
        throw missing("method.type");
      }
      type = method.get("type").asText();
      if (!method.get("type").isTextual() || !METHODS.contains(type)) {
        throw invalid(
            "Invalid value: '"
                + method.get("type").asText()
                + "'. Supported values are: 'supervised', 'dpo', and 'reinforcement'.",
            "method.type",
            "invalid_value");
      }
      for (String other : METHODS) {
        if (!other.equals(type) && method.has(other) && !method.get(other).isNull()) {
          throw invalid(
              "'method." + other + "' cannot be set when 'method.type' is '" + type + "'.",
              "method." + other,
              "invalid_value");
        }
      }
      JsonNode sub = method.get(type);
      if (sub != null && !sub.isNull()) {
        object(sub, "method." + type);
        hp = sub.get("hyperparameters");
        hpParam = "method." + type + ".hyperparameters";
        grader = sub.get("grader");
      }
      if (type.equals("reinforcement")) {
        grader(grader);
      }
    }
    ObjectNode hyper = hyperparameters(hp, hpParam, HYPERPARAMETERS.get(type));
    return new OpenAiRequest(
        model, training, validation, suffix, seed, integrations, metadata, type, hyper, grader);
  }

  private static ObjectNode hyperparameters(JsonNode hp, String param, Set<String> allowed) {
    ObjectNode out = Json.object();
    if (hp == null || hp.isNull()) {
      return out;
    }
    object(hp, param);
    Iterator<Map.Entry<String, JsonNode>> it = hp.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String p = param + "." + name;
      JsonNode v = e.getValue();
      if (!allowed.contains(name)) {
        throw invalid("Unrecognized request argument supplied: " + p, p, "unknown_parameter");
      }
      if (name.equals("reasoning_effort")) {
        if (!Set.of("default", "low", "medium", "high").contains(v.asText()) || !v.isTextual()) {
          throw invalid(
              "Invalid value: '"
                  + v.asText()
                  + "'. Supported values are: 'default', 'low', 'medium', and 'high'.",
              p,
              "invalid_value");
        }
        out.set(name, v);
        continue;
      }
      if (v.isTextual() && v.asText().equals("auto")) {
        out.put(name, "auto");
        continue;
      }
      switch (name) {
        case "batch_size" -> out.put(name, integer(v, p, 1, 256, true));
        case "n_epochs" -> out.put(name, integer(v, p, 1, 50, true));
        case "eval_interval", "eval_samples" ->
            out.put(name, integer(v, p, 1, Long.MAX_VALUE, true));
        case "learning_rate_multiplier" -> out.put(name, decimal(v, p, 0, Double.MAX_VALUE));
        case "beta" -> out.put(name, decimal(v, p, 0, 2));
        default -> out.put(name, decimal(v, p, 0.00001, 10)); // compute_multiplier
      }
    }
    return out;
  }

  private static void grader(JsonNode grader) {
    String p = "method.reinforcement.grader";
    if (grader == null || grader.isNull()) {
      throw missing(p);
    }
    object(grader, p);
    String type = grader.path("type").asText("");
    List<String> fields = GRADER_FIELDS.get(type);
    if (fields == null) {
      throw invalid(
          "Invalid value: '"
              + type
              + "'. Supported values are: 'string_check', 'text_similarity', 'python',"
              + " 'score_model', and 'multi'.",
          p + ".type",
          "invalid_value");
    }
    for (String f : fields) {
      if (!present(grader, f)) {
        throw missing(p + "." + f);
      }
    }
    String op = grader.path("operation").asText();
    if (type.equals("string_check") && !Set.of("eq", "ne", "like", "ilike").contains(op)) {
      throw invalid(
          "Invalid value: '" + op + "'. Supported values are: 'eq', 'ne', 'like', and 'ilike'.",
          p + ".operation",
          "invalid_value");
    }
    if (type.equals("score_model") && !grader.get("input").isArray()) {
      throw typeError(p + ".input", "an array", grader.get("input"));
    }
  }

  private static ObjectNode metadata(JsonNode m) {
    if (m == null || m.isNull()) {
      return null;
    }
    object(m, "metadata");
    if (m.size() > 16) {
      throw invalid(
          "Invalid 'metadata': too many properties. Expected an object with at most 16"
              + " properties, but got an object with "
              + m.size()
              + " properties instead.",
          "metadata",
          "object_above_max_properties");
    }
    Iterator<Map.Entry<String, JsonNode>> it = m.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      length("metadata", e.getKey(), 64);
      if (!e.getValue().isTextual()) {
        throw typeError("metadata." + e.getKey(), "a string", e.getValue());
      }
      length("metadata." + e.getKey(), e.getValue().asText(), 512);
    }
    return (ObjectNode) m;
  }

  private static ArrayNode integrations(JsonNode list) {
    if (list == null || list.isNull()) {
      return Json.MAPPER.createArrayNode();
    }
    if (!list.isArray()) {
      throw typeError("integrations", "an array", list);
    }
    for (int i = 0; i < list.size(); i++) {
      String p = "integrations[" + i + "]";
      JsonNode item = object(list.get(i), p);
      if (!"wandb".equals(item.path("type").asText())) {
        throw invalid(
            "Invalid value: '" + item.path("type").asText() + "'. Supported values are: 'wandb'.",
            p + ".type",
            "invalid_value");
      }
      if (!item.path("wandb").path("project").isTextual()) {
        throw missing(p + ".wandb.project");
      }
    }
    return (ArrayNode) list;
  }

  private static String fileId(JsonNode root, String field, boolean required) {
    String v = required ? requiredString(root, field) : optionalString(root, field);
    if (v != null && !FILE_ID.matcher(v).matches()) {
      throw invalid(
          "Invalid file ID for '" + field + "': '" + v + "'. Expected an ID like 'file-abc123'.",
          field,
          "invalid_value");
    }
    return v;
  }
}
