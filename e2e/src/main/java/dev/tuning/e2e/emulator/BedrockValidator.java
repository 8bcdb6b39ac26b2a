package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a {@code CreateModelCustomizationJob} body against the constraints of the API model
 * (bedrock.md §2): required members, lengths, patterns (anchored), enums and list sizes. Like AWS
 * it reports every violated constraint at once, as a 400 {@code ValidationException} whose message
 * reads {@code "2 validation errors detected: Value 'x' at 'jobName' failed to satisfy constraint:
 * Member must …; …"}. More than 50 tags on a resource is a {@code TooManyTagsException}.
 *
 * <p>Checks beyond the model are inferences, with messages of the emulator's own wording: {@code
 * trainingDataConfig} needs {@code s3Uri} or {@code invocationLogsConfig}; {@code DISTILLATION}
 * needs {@code customizationConfig.distillationConfig} (with a teacher) and {@code
 * REINFORCEMENT_FINE_TUNING} needs {@code rftConfig}; other types take no {@code
 * customizationConfig}. A JSON type mismatch is reported as a violation too ({@code "Member must be
 * a string"}); AWS would answer a {@code SerializationException}. Members the model does not know
 * are ignored.
 */
final class BedrockValidator {

  static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*");
  private static final Pattern CUSTOM_MODEL_NAME = Pattern.compile("([0-9a-zA-Z][_-]?){1,63}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+");
  private static final Pattern TOKEN =
      Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]{0,254}[a-zA-Z0-9])?");
  private static final String MODEL_ID =
      "[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}";
  private static final Pattern BASE_MODEL =
      Pattern.compile(
          "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/("
              + MODEL_ID
              + ")/[a-z0-9]{12})|(:foundation-model/"
              + "[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})))|("
              + MODEL_ID
              + ")|(([0-9a-zA-Z][_-]?)+)");
  private static final Pattern KMS_KEY =
      Pattern.compile(
          "(arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:((key/[a-zA-Z0-9-]{36})"
              + "|(alias/[a-zA-Z0-9-_/]+)))|([a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)");
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9\\s._:/=+@-]*");
  private static final Pattern S3_URI =
      Pattern.compile("s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](?:/[-!_*'().a-z0-9A-Z]+)*/?");
  private static final Pattern VPC_ID = Pattern.compile("[-0-9a-zA-Z]+");
  private static final List<String> TYPES =
      List.of(
          "FINE_TUNING",
          "CONTINUED_PRE_TRAINING",
          "DISTILLATION",
          "REINFORCEMENT_FINE_TUNING",
          "IMPORTED");
  private static final int MAX_TAGS_PER_RESOURCE = 50;

  private final List<String> errors = new ArrayList<>();

  private BedrockValidator() {}

  static BedrockRequest validate(String body) {
    JsonNode root = Json.parse(body).orElse(null);
    if (root == null || !root.isObject()) {
      throw BedrockErrors.serialization("The request body is not a JSON object.");
    }
    return new BedrockValidator().request(root);
  }

  private BedrockRequest request(JsonNode root) {
    String jobName = string(root, "jobName", "jobName", true, 1, 63, JOB_NAME);
    String modelName =
        string(root, "customModelName", "customModelName", true, 1, 63, CUSTOM_MODEL_NAME);
    String roleArn = string(root, "roleArn", "roleArn", true, 0, 2048, ROLE_ARN);
    String token = string(root, "clientRequestToken", "clientRequestToken", false, 1, 256, TOKEN);
    String base =
        string(root, "baseModelIdentifier", "baseModelIdentifier", true, 1, 2048, BASE_MODEL);
    String type =
        string(root, "customizationType", "customizationType", false, 0, Integer.MAX_VALUE, null);
    if (type != null && !TYPES.contains(type)) {
      fail(
          root.get("customizationType"),
          "customizationType",
          "Member must satisfy enum value set: " + TYPES);
    }
    String kms =
        string(root, "customModelKmsKeyId", "customModelKmsKeyId", false, 1, 2048, KMS_KEY);
    Map<String, String> jobTags = tags(root, "jobTags");
    Map<String, String> modelTags = tags(root, "customModelTags");
    ObjectNode echo = Json.object();
    String trainingUri = null;
    JsonNode training = struct(root, "trainingDataConfig", "trainingDataConfig", true);
    if (training != null) {
      trainingUri = s3(training, "trainingDataConfig.s3Uri", false);
      struct(training, "invocationLogsConfig", "trainingDataConfig.invocationLogsConfig", false);
      echo.set("trainingDataConfig", training);
    }
    int validators = validationData(root, echo);
    JsonNode output = struct(root, "outputDataConfig", "outputDataConfig", true);
    if (output != null) {
      s3(output, "outputDataConfig.s3Uri", true);
      echo.set("outputDataConfig", output);
    }
    hyperParameters(root, echo);
    vpcConfig(root, echo);
    JsonNode custom = struct(root, "customizationConfig", "customizationConfig", false);
    if (!errors.isEmpty()) {
      throw BedrockErrors.violations(errors);
    }
    for (Map<String, String> tags : List.of(jobTags, modelTags)) {
      if (tags.size() > MAX_TAGS_PER_RESOURCE) {
        throw BedrockErrors.tooManyTags(
            "The request has " + tags.size() + " tags for one resource; the limit is 50.");
      }
    }
    String effectiveType = type == null ? "FINE_TUNING" : type;
    customizationConfig(custom, effectiveType, echo);
    if (training != null && trainingUri == null && !training.has("invocationLogsConfig")) {
      throw BedrockErrors.validation(
          "trainingDataConfig must specify either s3Uri or invocationLogsConfig.");
    }
    return new BedrockRequest(
        jobName,
        modelName,
        roleArn,
        token,
        base,
        effectiveType,
        kms,
        jobTags,
        modelTags,
        trainingUri,
        validators,
        echo);
  }

  private int validationData(JsonNode root, ObjectNode echo) {
    JsonNode config = struct(root, "validationDataConfig", "validationDataConfig", false);
    if (config == null) {
      return 0;
    }
    List<JsonNode> validators =
        list(config, "validators", "validationDataConfig.validators", true, 0, 10);
    for (int i = 0; i < validators.size(); i++) {
      String path = "validationDataConfig.validators." + (i + 1) + ".member";
      if (validators.get(i).isObject()) {
        s3(validators.get(i), path + ".s3Uri", true);
      } else {
        fail(validators.get(i), path, "Member must be a structure");
      }
    }
    echo.set("validationDataConfig", config);
    return validators.size();
  }

  private void hyperParameters(JsonNode root, ObjectNode echo) {
    JsonNode hp = struct(root, "hyperParameters", "hyperParameters", false);
    if (hp == null) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = hp.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        fail(e.getValue(), "hyperParameters." + e.getKey(), "Member must be a string");
      }
    }
    echo.set("hyperParameters", hp);
  }

  private void vpcConfig(JsonNode root, ObjectNode echo) {
    JsonNode vpc = struct(root, "vpcConfig", "vpcConfig", false);
    if (vpc == null) {
      return;
    }
    for (String field : List.of("subnetIds", "securityGroupIds")) {
      String path = "vpcConfig." + field;
      List<JsonNode> ids = list(vpc, field, path, true, 1, field.equals("subnetIds") ? 16 : 5);
      for (int i = 0; i < ids.size(); i++) {
        String p = path + "." + (i + 1) + ".member";
        checkString(ids.get(i), p, 0, 32, VPC_ID);
      }
    }
    echo.set("vpcConfig", vpc);
  }

  private static void customizationConfig(JsonNode custom, String type, ObjectNode echo) {
    String member =
        switch (type) {
          case "DISTILLATION" -> "distillationConfig";
          case "REINFORCEMENT_FINE_TUNING" -> "rftConfig";
          default -> null;
        };
    int set = custom == null ? 0 : custom.size();
    if (set > 1) {
      throw BedrockErrors.validation("customizationConfig must set exactly one member.");
    }
    if (member == null ? set != 0 : custom == null || !custom.path(member).isObject()) {
      throw BedrockErrors.validation(
          member == null
              ? "customizationConfig is not allowed for customizationType " + type + "."
              : "customizationConfig." + member + " is required for customizationType " + type);
    }
    if (type.equals("DISTILLATION")
        && !custom
            .at("/distillationConfig/teacherModelConfig/teacherModelIdentifier")
            .isTextual()) {
      throw BedrockErrors.validation(
          "customizationConfig.distillationConfig.teacherModelConfig.teacherModelIdentifier is"
              + " required.");
    }
    if (custom != null) {
      echo.set("customizationConfig", custom);
    }
  }

  private Map<String, String> tags(JsonNode root, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    List<JsonNode> tags = list(root, field, field, false, 0, 200);
    for (int i = 0; i < tags.size(); i++) {
      String path = field + "." + (i + 1) + ".member";
      JsonNode tag = tags.get(i);
      if (!tag.isObject()) {
        fail(tag, path, "Member must be a structure");
        continue;
      }
      String key = string(tag, "key", path + ".key", true, 1, 128, TAG);
      String value = string(tag, "value", path + ".value", true, 0, 256, TAG);
      if (key != null && value != null) {
        out.put(key, value);
      }
    }
    return out;
  }

  private String s3(JsonNode parent, String path, boolean required) {
    return string(parent, "s3Uri", path, required, 1, 1024, S3_URI);
  }

  /** A string member; null when absent or invalid (the violation is recorded). */
  private String string(
      JsonNode parent,
      String field,
      String path,
      boolean required,
      int min,
      int max,
      Pattern pattern) {
    JsonNode v = member(parent, field, path, required);
    return v != null && checkString(v, path, min, max, pattern) ? v.asText() : null;
  }

  private boolean checkString(JsonNode v, String path, int min, int max, Pattern pattern) {
    if (!v.isTextual()) {
      fail(v, path, "Member must be a string");
      return false;
    }
    String s = v.asText();
    int before = errors.size();
    if (s.length() < min) {
      fail(v, path, "Member must have length greater than or equal to " + min);
    }
    if (s.length() > max) {
      fail(v, path, "Member must have length less than or equal to " + max);
    }
    if (pattern != null && !pattern.matcher(s).matches()) {
      fail(v, path, "Member must satisfy regular expression pattern: " + pattern.pattern());
    }
    return errors.size() == before;
  }

  /** A structure member; null when absent or not an object (the violation is recorded). */
  private JsonNode struct(JsonNode parent, String field, String path, boolean required) {
    JsonNode v = member(parent, field, path, required);
    if (v != null && !v.isObject()) {
      fail(v, path, "Member must be a structure");
      return null;
    }
    return v;
  }

  /** A list member's items; none when absent or not a list (the violation is recorded). */
  private List<JsonNode> list(
      JsonNode parent, String field, String path, boolean required, int min, int max) {
    JsonNode v = member(parent, field, path, required);
    List<JsonNode> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      fail(v, path, "Member must be a list");
      return out;
    }
    if (v.size() < min) {
      fail(v, path, "Member must have length greater than or equal to " + min);
    }
    if (v.size() > max) {
      fail(v, path, "Member must have length less than or equal to " + max);
    }
    v.forEach(out::add);
    return out;
  }

  /** A member's value; null when absent (a violation when it is required). */
  private JsonNode member(JsonNode parent, String field, String path, boolean required) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        fail(null, path, "Member must not be null");
      }
      return null;
    }
    return v;
  }

  private void fail(JsonNode value, String path, String constraint) {
    String shown =
        value == null ? "null" : value.isTextual() ? "'" + value.asText() + "'" : value.toString();
    errors.add(BedrockErrors.violation(shown, path, constraint));
  }
}
