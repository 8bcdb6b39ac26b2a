package dev.tuning.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tuning.operator.OperatorConfig;
import dev.tuning.operator.provider.bedrock.BedrockProvider;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import dev.tuning.operator.provider.vertex.VertexProvider;
import dev.tuning.operator.text.DurationSyntax;
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

  /**
   * The operator's own AWS identity, read by the operator (BedrockProvider.Settings.fromEnv) but
   * never a chart value: EKS injects them into the pod, the IRSA pair when the ServiceAccount has
   * the eks.amazonaws.com/role-arn annotation, the container credentials URI when a Pod Identity
   * association names the ServiceAccount. The chart must not set them; the README lists them.
   */
  static final Set<String> SET_BY_EKS =
      Set.of("AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI");

  /** Each provider reads its own variables; their names are the ENV_* constants of these. */
  static final List<Class<?>> PROVIDER_SETTINGS =
      List.of(
          OpenAiProvider.Settings.class,
          VertexProvider.Settings.class,
          BedrockProvider.Settings.class);

  /** A provider's variable name declared in src/main: "static final String ENV_X = "NAME"". */
  static final Pattern PROVIDER_ENV =
      Pattern.compile("static final String ENV_[A-Z0-9_]+\\s*=\\s*\"([A-Z][A-Z0-9_]*)\"");

  /** The values whose variables the operator parses with {@link DurationSyntax}. */
  static final List<String> DURATION_VALUES =
      List.of(
          "/poll/submitting",
          "/poll/queued",
          "/poll/running",
          "/poll/cancelling",
          "/retry/base",
          "/retry/max",
          "/cancelTimeout",
          "/submitSettle",
          "/notFoundGrace",
          "/syncHeartbeat",
          "/httpTimeouts/connect",
          "/httpTimeouts/read",
          "/httpTimeouts/call");

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
  void shouldExposeEveryOperatorConfigAndProviderVariable() throws IOException {
    Set<String> providers = providerSettingsConstants();
    assertThat(providers)
        .as("ENV_* constants of %s", PROVIDER_SETTINGS)
        .contains("OPENAI_BASE_URL", "VERTEX_ENDPOINT", "BEDROCK_REGIONS");
    assertThat(providers)
        .as("every ENV_* constant in src/main belongs to a class in PROVIDER_SETTINGS")
        .containsAll(sourceProviderConstants());
    assertThat(chartEnvNames())
        .as("every OperatorConfig variable has a value in the chart")
        .containsAll(operatorConfigConstants())
        .as("every provider Settings variable has a value in the chart")
        .containsAll(providers);
    Set<String> unexposed = operatorEnvNames();
    unexposed.removeAll(chartEnvNames());
    assertThat(unexposed)
        .as("variables the operator reads without a chart value (only those EKS injects)")
        .isEqualTo(new TreeSet<>(SET_BY_EKS));
  }

  @Test
  void shouldLeaveTheOperatorsAwsIdentityToEks() throws IOException {
    assertThat(operatorEnvNames())
        .as("SET_BY_EKS names only variables the operator reads")
        .containsAll(SET_BY_EKS);
    assertThat(chartEnvNames())
        .as("the chart never sets them")
        .doesNotContainAnyElementsOf(SET_BY_EKS);
    assertThat(readmeConfigurationNames())
        .as("the README Configuration table documents them")
        .containsAll(SET_BY_EKS);
    String values = Files.readString(CHART.resolve("values.yaml"));
    assertThat(values)
        .as("values.yaml says how to get them: the ServiceAccount annotation for IRSA")
        .contains("eks.amazonaws.com/role-arn");
  }

  @Test
  void shouldCoverTheReadmeConfigurationTable() throws IOException {
    Set<String> readme = readmeConfigurationNames();
    assertThat(readme).contains("WATCH_NAMESPACES", "OPENAI_ENDPOINT_ALLOWLIST", "LOG_LEVEL");
    Set<String> missing = new TreeSet<>(readme);
    missing.removeAll(chartEnvNames());
    Set<String> expected = new TreeSet<>(LEFT_TO_EXTRA_ENV);
    expected.addAll(SET_BY_EKS);
    assertThat(missing)
        .as("README variables without a chart value (only those meant for extraEnv or set by EKS)")
        .isEqualTo(expected);
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
  void shouldDefaultTheBedrockRegionsToTheOperatorDefault() throws IOException {
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    List<String> regions = new ArrayList<>();
    values.path("bedrock").path("regions").forEach(n -> regions.add(n.asText()));
    assertThat(regions).isEqualTo(BedrockProvider.Settings.DEFAULT_REGIONS);
    assertThat(values.path("bedrock").path("endpoint").asText()).isEmpty();
    assertThat(values.path("defaultCredentials").path("bedrock").path("roleArns").isArray())
        .isTrue();
    assertThat(values.path("defaultCredentials").path("bedrock").path("roleArns")).isEmpty();
  }

  @Test
  void shouldAcceptExactlyTheOperatorsDurationSyntax() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    Set<String> patterns = new TreeSet<>();
    for (String value : DURATION_VALUES) {
      JsonNode property = schema;
      for (String part : value.substring(1).split("/")) {
        property = property.path("properties").path(part);
      }
      assertThat(property.path("type").asText()).as(value).isEqualTo("string");
      patterns.add(property.path("pattern").asText());
    }
    assertThat(patterns).as("one duration pattern for every duration value").hasSize(1);
    Pattern pattern = Pattern.compile(patterns.iterator().next());
    List<String> valid =
        List.of(
            "0",
            "15s",
            "500ms",
            "10m",
            "1h",
            "1h30m",
            "1.5s",
            "1.5h",
            "6m0s",
            "1h2m3.5s",
            "250ns",
            "250us",
            "250\u00b5s",
            "250\u03bcs",
            "PT15S",
            "pt15s",
            "PT1H30M",
            "PT0.5S",
            "P1D",
            "P1DT2H",
            "PT2M");
    for (String v : valid) {
      assertThat(pattern.matcher(v).find()).as("the schema accepts %s", v).isTrue();
      assertThat(DurationSyntax.tryParse(v)).as("the operator accepts %s", v).isPresent();
    }
    // Refused by the operator, so the schema must refuse them too: never looser.
    List<String> refused =
        List.of(
            "", "15", "1.5", "1d", "1w", "1H", "-5s", "1h30", "1h-30m", "1h 30m", "15sec", "s",
            ".s", "P", "PT", "P1DT", "PXYZ", "PT-5S");
    for (String v : refused) {
      assertThat(DurationSyntax.tryParse(v)).as("the operator refuses '%s'", v).isEmpty();
      assertThat(pattern.matcher(v).find()).as("the schema refuses '%s'", v).isFalse();
    }
    // Accepted by the operator but refused by the schema on purpose: padding, signs, bare dots.
    for (String v : List.of(" 15s", "+15s", "-0s", ".5s", "1.s")) {
      assertThat(DurationSyntax.tryParse(v)).as("the operator accepts '%s'", v).isPresent();
      assertThat(pattern.matcher(v).find()).as("the schema refuses '%s'", v).isFalse();
    }
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

  /** The ENV_* constants of the provider Settings classes: the variables the providers read. */
  static Set<String> providerSettingsConstants() {
    Set<String> names = new TreeSet<>();
    for (Class<?> settings : PROVIDER_SETTINGS) {
      for (Field f : settings.getFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && f.getType() == String.class
            && f.getName().startsWith("ENV_")) {
          try {
            names.add((String) f.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return names;
  }

  /** The values of "static final String ENV_X = ..." declarations anywhere in src/main. */
  static Set<String> sourceProviderConstants() throws IOException {
    return scanMain(List.of(PROVIDER_ENV));
  }

  /**
   * Everything src/main reads from the environment: OperatorConfig's constants, each provider's
   * {@code ENV_*} constants, literal names in getenv / env.get calls, and ${env:X} lookups in the
   * log configuration.
   */
  static Set<String> operatorEnvNames() throws IOException {
    Set<String> names = new TreeSet<>(operatorConfigConstants());
    Pattern literal = Pattern.compile("(?:getenv|env\\.get)\\(\"([A-Z][A-Z0-9_]*)\"");
    Pattern log4j = Pattern.compile("\\$\\{env:([A-Z][A-Z0-9_]*)");
    names.addAll(scanMain(List.of(literal, PROVIDER_ENV, log4j)));
    return names;
  }

  /** Group 1 of every match of these patterns in the files of src/main. */
  static Set<String> scanMain(List<Pattern> patterns) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        for (Pattern p : patterns) {
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
