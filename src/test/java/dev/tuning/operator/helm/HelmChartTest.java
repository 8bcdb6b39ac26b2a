package dev.tuning.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tuning.operator.OperatorConfig;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's files, checked without any binary: the CRD copy, the environment the chart sets
 * against what the operator reads, the RBAC rules against config/rbac, and values.yaml against
 * values.schema.json. Rendering, linting and installing are in {@code HelmChartIT} (e2e/src/test).
 */
class HelmChartTest {

  static final Path CHART = Path.of("helm", "tuning-operator");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** Set by the JVM, not the operator: the only name the chart may set beyond the operator's. */
  static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");

  /** README variables the chart leaves to extraEnv (they need a mounted file or a sidecar). */
  static final Set<String> LEFT_TO_EXTRA_ENV =
      Set.of("GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST");

  @Test
  void shouldShipTheRepositoryCrdByteForByte() throws IOException {
    byte[] repo = Files.readAllBytes(Path.of("crds", "tuningjobs.tuning.dev.yaml"));
    byte[] chart = Files.readAllBytes(CHART.resolve("crds").resolve("tuningjobs.tuning.dev.yaml"));
    assertThat(chart)
        .as(
            "helm/tuning-operator/crds/tuningjobs.tuning.dev.yaml must equal"
                + " crds/tuningjobs.tuning.dev.yaml: copy it after regenerating the CRD")
        .isEqualTo(repo);
    try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("tuningjobs.tuning.dev.yaml");
    }
  }

  @Test
  void shouldSetOnlyEnvironmentVariablesTheOperatorReads() throws IOException {
    Set<String> chartEnv = chartEnvNames();
    Set<String> readByOperator = operatorEnvNames();
    assertThat(chartEnv).contains("POD_NAME", "POD_NAMESPACE", "LEADER_ELECTION", "LEASE_NAME");
    assertThat(readByOperator)
        .as("environment variables read by src/main (OperatorConfig, OperatorMain, log4j2.xml)")
        .contains("WATCH_NAMESPACES", "POD_NAME", "POD_NAMESPACE", "LOG_FORMAT", "LOG_LEVEL");
    for (String name : chartEnv) {
      assertThat(readByOperator.contains(name) || JVM_ENV.contains(name))
          .as("the chart sets %s, which the operator never reads", name)
          .isTrue();
    }
  }

  @Test
  void shouldExposeEveryOperatorConfigVariable() throws IOException {
    assertThat(chartEnvNames())
        .as("every OperatorConfig variable has a value in the chart")
        .containsAll(operatorConfigConstants());
  }

  @Test
  void shouldCoverTheReadmeConfigurationTable() throws IOException {
    Set<String> readme = readmeConfigurationNames();
    assertThat(readme).contains("WATCH_NAMESPACES", "OPENAI_ENDPOINT_ALLOWLIST", "LOG_LEVEL");
    Set<String> missing = new TreeSet<>(readme);
    missing.removeAll(chartEnvNames());
    assertThat(missing)
        .as("README variables without a chart value (only those meant for extraEnv)")
        .isEqualTo(new TreeSet<>(LEFT_TO_EXTRA_ENV));
  }

  @Test
  void shouldDefaultTheAllowListToTheOperatorDefault() throws IOException {
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    List<String> allowList = new ArrayList<>();
    values.path("openai").path("endpointAllowlist").forEach(n -> allowList.add(n.asText()));
    assertThat(allowList).isEqualTo(OpenAiProvider.Settings.DEFAULT_ALLOWED_HOSTS);
    assertThat(values.path("openai").path("baseUrl").asText())
        .isEqualTo(OpenAiProvider.Settings.OPENAI_BASE_URL.toString());
  }

  @Test
  void shouldGrantExactlyTheRulesOfConfigRbac() throws IOException {
    String helpers = Files.readString(CHART.resolve("templates").resolve("_helpers.tpl"));
    Matcher m =
        Pattern.compile(
                "\\{\\{-? define \"tuning-operator.rules\" -?}}(.*?)\\{\\{-? end }}",
                Pattern.DOTALL)
            .matcher(helpers);
    assertThat(m.find()).as("the tuning-operator.rules template in _helpers.tpl").isTrue();
    JsonNode chartRules = YAML.readTree(m.group(1));
    JsonNode projectRules = YAML.readTree(Path.of("config", "rbac", "role.yaml").toFile());
    assertThat(chartRules).isEqualTo(projectRules.get("rules"));

    String rbac = Files.readString(CHART.resolve("templates").resolve("rbac.yaml"));
    JsonNode leaderRules =
        YAML.readTree(Path.of("config", "rbac", "leader_election_role.yaml").toFile()).get("rules");
    String leaderBlock = rbac.substring(rbac.indexOf("-leader-election"));
    JsonNode chartLeaderRules =
        YAML.readTree(
                leaderBlock.substring(leaderBlock.indexOf("rules:"), leaderBlock.indexOf("---", 1)))
            .get("rules");
    assertThat(chartLeaderRules).isEqualTo(leaderRules);
  }

  @Test
  void shouldDescribeTheChartAsAgreed() throws IOException {
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
    assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
    assertThat(chart.path("name").asText()).isEqualTo("tuning-operator");
    assertThat(chart.path("version").asText()).isEqualTo("0.1.0");
    assertThat(chart.path("kubeVersion").asText()).isEqualTo(">=1.29.0-0");
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher version =
        Pattern.compile("<artifactId>tuning-operator</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(version.find()).isTrue();
    assertThat(chart.path("appVersion").asText())
        .as("appVersion follows the operator's version")
        .isEqualTo(version.group(1).replace("-SNAPSHOT", ""));
  }

  @Test
  void shouldValidateValuesAgainstTheSchema() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    List<String> errors = new ArrayList<>();
    SchemaCheck.validate(schema, values, "", errors);
    assertThat(errors).isEmpty();

    // The checker itself notices what helm would refuse.
    List<String> bad = new ArrayList<>();
    var broken = (com.fasterxml.jackson.databind.node.ObjectNode) values.deepCopy();
    broken.put("unknownKey", 1);
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("image"))
        .put("pullPolicy", "Sometimes");
    broken.put("replicaCount", "two");
    SchemaCheck.validate(schema, broken, "", bad);
    assertThat(bad)
        .anyMatch(e -> e.contains("unknownKey"))
        .anyMatch(e -> e.contains("/image/pullPolicy"))
        .anyMatch(e -> e.contains("/replicaCount"));
  }

  @Test
  void shouldDocumentEveryValueInTheSchema() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    List<String> undocumented = new ArrayList<>();
    SchemaCheck.undocumented(schema, "", undocumented);
    assertThat(undocumented).isEmpty();
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
  }

  // ---------------------------------------------------------------- helpers

  /** Names in the env list of the Deployment template ("- name: X" in upper case). */
  static Set<String> chartEnvNames() throws IOException {
    String deployment = Files.readString(CHART.resolve("templates").resolve("deployment.yaml"));
    String env = deployment.substring(deployment.indexOf("env:"), deployment.indexOf("Probe:"));
    Set<String> names = new LinkedHashSet<>();
    Matcher m = Pattern.compile("- name: ([A-Z][A-Z0-9_]*)\\s").matcher(env);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** OperatorConfig's public String constants: the variables it reads. */
  static Set<String> operatorConfigConstants() {
    Set<String> names = new TreeSet<>();
    for (Field f : OperatorConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          names.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }

  /**
   * Everything src/main reads from the environment: OperatorConfig's constants, each provider's
   * {@code ENV_*} constants, literal names in getenv / env.get calls, and ${env:X} lookups in the
   * log configuration.
   */
  static Set<String> operatorEnvNames() throws IOException {
    Set<String> names = new TreeSet<>(operatorConfigConstants());
    Pattern literal = Pattern.compile("(?:getenv|env\\.get)\\(\"([A-Z][A-Z0-9_]*)\"");
    Pattern providerEnv =
        Pattern.compile("static final String ENV_[A-Z0-9_]+\\s*=\\s*\"([A-Z][A-Z0-9_]*)\"");
    Pattern log4j = Pattern.compile("\\$\\{env:([A-Z][A-Z0-9_]*)");
    try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        for (Pattern p : List.of(literal, providerEnv, log4j)) {
          Matcher m = p.matcher(text);
          while (m.find()) {
            names.add(m.group(1));
          }
        }
      }
    }
    return names;
  }

  /** Variable names in the first column of the README's "## Configuration" table. */
  static Set<String> readmeConfigurationNames() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("## Configuration");
    assertThat(start).as("README section ## Configuration").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    Set<String> names = new TreeSet<>();
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      if (line.startsWith("| `")) {
        Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]*)`").matcher(line.split("\\|")[1]);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  /**
   * The subset of JSON Schema (draft-07) that values.schema.json uses: type, properties,
   * additionalProperties, required, enum, pattern, minimum/maximum, minLength/maxLength, items,
   * minItems, uniqueItems. Helm itself enforces the full schema in {@code HelmChartIT}.
   */
  static final class SchemaCheck {

    private SchemaCheck() {}

    static void validate(JsonNode schema, JsonNode value, String path, List<String> errors) {
      String type = schema.path("type").asText("");
      if (!type.isEmpty() && !hasType(value, type)) {
        errors.add(path + ": expected " + type + ", got " + value.getNodeType());
        return;
      }
      if (schema.has("enum")) {
        boolean found = false;
        for (JsonNode e : schema.get("enum")) {
          found |= e.equals(value);
        }
        if (!found) {
          errors.add(path + ": " + value + " not in " + schema.get("enum"));
        }
      }
      if (value.isTextual()) {
        String s = value.asText();
        if (schema.has("pattern")
            && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
          errors.add(path + ": '" + s + "' does not match " + schema.get("pattern").asText());
        }
        if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
          errors.add(path + ": shorter than " + schema.get("minLength").asInt());
        }
        if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
          errors.add(path + ": longer than " + schema.get("maxLength").asInt());
        }
      }
      if (value.isNumber()) {
        if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
          errors.add(path + ": below " + schema.get("minimum"));
        }
        if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
          errors.add(path + ": above " + schema.get("maximum"));
        }
      }
      if (value.isArray()) {
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
          errors.add(path + ": fewer than " + schema.get("minItems") + " items");
        }
        if (schema.path("uniqueItems").asBoolean(false)) {
          Set<JsonNode> seen = new java.util.HashSet<>();
          value.forEach(v -> seen.add(v));
          if (seen.size() != value.size()) {
            errors.add(path + ": items are not unique");
          }
        }
        if (schema.has("items")) {
          for (int i = 0; i < value.size(); i++) {
            validate(schema.get("items"), value.get(i), path + "/" + i, errors);
          }
        }
      }
      if (value.isObject()) {
        for (JsonNode r : schema.path("required")) {
          if (!value.has(r.asText())) {
            errors.add(path + ": missing required " + r.asText());
          }
        }
        JsonNode props = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          var e = it.next();
          String child = path + "/" + e.getKey();
          if (props.has(e.getKey())) {
            validate(props.get(e.getKey()), e.getValue(), child, errors);
          } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
            errors.add(path + ": additional property " + e.getKey() + " not allowed");
          } else if (additional != null && additional.isObject()) {
            validate(additional, e.getValue(), child, errors);
          }
        }
      }
    }

    private static boolean hasType(JsonNode v, String type) {
      return switch (type) {
        case "object" -> v.isObject();
        case "array" -> v.isArray();
        case "string" -> v.isTextual();
        case "boolean" -> v.isBoolean();
        case "integer" -> v.isIntegralNumber();
        case "number" -> v.isNumber();
        default -> false;
      };
    }

    /** Paths of properties without a description. */
    static void undocumented(JsonNode schema, String path, List<String> out) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
          it.hasNext(); ) {
        var e = it.next();
        String child = path + "/" + e.getKey();
        if (!e.getValue().hasNonNull("description")) {
          out.add(child);
        }
        undocumented(e.getValue(), child, out);
      }
    }
  }
}
