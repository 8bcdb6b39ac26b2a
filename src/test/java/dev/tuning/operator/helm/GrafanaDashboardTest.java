package dev.tuning.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.observability.JobMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard (helm/tuning-operator/dashboards/tuning-operator.json) names only series
 * the operator exports, with labels they carry, and the chart ships it as a ConfigMap only when
 * {@code grafanaDashboard.enabled}. The series come from a real scrape: the meters of {@link
 * JobMetrics} and the provider HTTP client are exercised on a {@link PrometheusMeterRegistry} with
 * the binders {@code OperatorMain} binds, so Micrometer's own naming (dots to underscores, {@code
 * _seconds} on timers, {@code _total} on counters) decides the names.
 */
class GrafanaDashboardTest {

  static final Path CHART = HelmChartTest.CHART;
  static final Path DASHBOARD = CHART.resolve("dashboards").resolve("tuning-operator.json");
  static final Path TEMPLATE = CHART.resolve("templates").resolve("grafana-dashboard.yaml");

  /**
   * Labels Prometheus adds to every series it scrapes through the chart's ServiceMonitor. With
   * honorLabels off (the default), a series' own label of the same name is kept as {@code
   * exported_<name>}; the usage counters name the TuningJob's namespace {@code tuningjob_namespace}
   * so that nothing clashes.
   */
  static final Set<String> TARGET_LABELS =
      Set.of("namespace", "pod", "instance", "job", "service", "endpoint", "container");

  /** The binders OperatorMain binds to its registry (checked against its source below). */
  static final List<MeterBinder> BINDERS = List.of(new JvmMemoryMetrics(), new JvmThreadMetrics());

  /** A meter name registered in src/main: Gauge/Timer builders and registry.counter calls. */
  static final Pattern METER_NAME =
      Pattern.compile(
          "(?:(?:Gauge|Timer|Counter|DistributionSummary)\\.builder"
              + "|\\.(?:counter|timer|gauge|summary))\\(\\s*\"([a-z][a-z0-9.]*)\"");

  static Map<String, Set<String>> series;

  @BeforeAll
  static void scrapeTheOperatorsMeters() throws IOException {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BINDERS.forEach(b -> b.bindTo(registry));
    var jobs = new JobMetrics(registry);
    jobs.observe("uid-1", "openai", Phase.Running);
    jobs.jobEnded("openai", Phase.Succeeded, Duration.ofMinutes(20));
    jobs.usage("team-a", "openai", 5_000L, 6_000L);
    var http = HttpClients.shared(registry, HttpClients.Timeouts.defaults());
    try (var web = new MockWebServer()) {
      web.enqueue(new MockResponse().setResponseCode(429));
      web.start(InetAddress.getLoopbackAddress(), 0);
      var request =
          new Request.Builder()
              .url(web.url("/v1/fine_tuning/jobs"))
              .tag(ProviderCall.class, new ProviderCall("openai", "create"))
              .build();
      try (var response = http.newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(429);
      }
    }
    series = parseScrape(registry.scrape());
  }

  @Test
  void shouldBindWhatOperatorMainBinds() throws IOException {
    String main = Files.readString(Path.of("src/main/java/dev/tuning/operator/OperatorMain.java"));
    Set<String> bound = new TreeSet<>();
    Matcher m = Pattern.compile("new (\\w+)\\(\\)\\.bindTo\\(").matcher(main);
    while (m.find()) {
      bound.add(m.group(1));
    }
    Set<String> here = new TreeSet<>();
    BINDERS.forEach(b -> here.add(b.getClass().getSimpleName()));
    assertThat(here).as("binders in this test = binders in OperatorMain").isEqualTo(bound);
    assertThat(main).contains("new JobMetrics(meters)", "HttpClients.shared(meters");
  }

  @Test
  void shouldExerciseEveryMeterTheOperatorRegisters() throws IOException {
    Set<String> names = HelmChartTest.scanMain(List.of(METER_NAME));
    assertThat(names)
        .as("meter names in src/main")
        .contains(
            "tuning.jobs",
            "tuning.job.duration",
            "tuning.provider.requests",
            "tuning.provider.rate.limited",
            "tuning.trained.tokens",
            "tuning.billable.tokens");
    for (String name : names) {
      String prefix = name.replace('.', '_');
      assertThat(series.keySet())
          .as("the scrape has a series for meter %s (exercise it in this test)", name)
          .anyMatch(s -> s.startsWith(prefix));
    }
  }

  @Test
  void shouldQueryOnlySeriesTheOperatorExports() throws IOException {
    JsonNode dashboard = HelmChartTest.JSON.readTree(DASHBOARD.toFile());
    List<String> problems = check(dashboard);
    assertThat(problems).isEmpty();
    Set<String> used = new TreeSet<>();
    for (String expr : expressions(dashboard)) {
      parse(expr).selectors().forEach(s -> used.add(s.metric()));
    }
    assertThat(used)
        .as("the panels the issue asks for")
        .contains(
            "tuning_jobs",
            "tuning_job_duration_seconds_count",
            "tuning_job_duration_seconds_sum",
            "tuning_job_duration_seconds_max",
            "tuning_provider_requests_seconds_count",
            "tuning_provider_rate_limited_total",
            "tuning_trained_tokens_total",
            "tuning_billable_tokens_total",
            "jvm_memory_used_bytes");
  }

  @Test
  void shouldFailForAMetricOrLabelTheOperatorDoesNotExport() throws IOException {
    assertThat(problems("sum(rate(tuning_jobz_total{namespace=~\"$namespace\"}[5m]))"))
        .anyMatch(p -> p.contains("tuning_jobz_total"));
    assertThat(problems("sum by (phasee) (tuning_jobs)")).anyMatch(p -> p.contains("phasee"));
    assertThat(problems("tuning_jobs{outcome=\"Failed\"}")).anyMatch(p -> p.contains("outcome"));
    assertThat(problems("sum by (namespace) (tuning_trained_tokens_total)"))
        .as("namespace is the operator's; the job's is tuningjob_namespace")
        .isEmpty();
    assertThat(problems("{__name__=\"tuning_jobs\"}")).isNotEmpty();
    assertThat(problems("sum(rate(x[5m])) > 0 or vector(0)"))
        .anyMatch(p -> p.contains("series x "));
    assertThat(problems("increase(tuning_job_duration_seconds_count[1h] offset 1d)")).isEmpty();

    ObjectNode broken = (ObjectNode) HelmChartTest.JSON.readTree(DASHBOARD.toFile());
    for (JsonNode panel : broken.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        ((ObjectNode) t)
            .put("expr", t.path("expr").asText().replace("tuning_jobs", "tuning_jobs_total"));
      }
    }
    assertThat(check(broken)).anyMatch(p -> p.contains("tuning_jobs_total"));
  }

  @Test
  void shouldTakeThePrometheusDataSourceFromAVariable() throws IOException {
    JsonNode dashboard = HelmChartTest.JSON.readTree(DASHBOARD.toFile());
    JsonNode datasource = variable(dashboard, "datasource");
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    assertThat(dashboard.path("uid").asText()).isEqualTo("tuning-operator");
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode t : panel.path("targets")) {
        assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      }
    }
  }

  @Test
  void shouldShipTheDashboardOnlyWhenEnabled() throws IOException {
    JsonNode values = HelmChartTest.YAML.readTree(CHART.resolve("values.yaml").toFile());
    JsonNode grafana = values.path("grafanaDashboard");
    assertThat(grafana.path("enabled").isBoolean()).isTrue();
    assertThat(grafana.path("enabled").asBoolean()).as("off by default").isFalse();
    assertThat(grafana.path("labels"))
        .as("the Grafana sidecar's default label")
        .isEqualTo(HelmChartTest.JSON.readTree("{\"grafana_dashboard\":\"1\"}"));
    assertThat(grafana.path("annotations").isObject()).isTrue();
    assertThat(grafana.path("annotations")).isEmpty();

    List<String> lines = Files.readAllLines(TEMPLATE).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines.get(0)).isEqualTo("{{- if .Values.grafanaDashboard.enabled }}");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("{{- end }}");
    assertThat(String.join("\n", lines))
        .contains(".Files.Get \"dashboards/tuning-operator.json\"")
        .contains("kind: ConfigMap");
  }

  /**
   * Renders the chart with the helm binary e2e/bin/build-helm.sh builds (HelmChartIT uses the
   * same), when it is there; {@code helm template} needs no API server.
   */
  @Test
  void shouldRenderTheDashboardConfigMap() throws Exception {
    Path helm = helm();
    Assumptions.assumeTrue(
        helm != null, "no helm binary: run e2e/bin/build-helm.sh or set HELM_BIN to render");
    assertThat(dashboardConfigMaps(helm, List.of())).isEmpty();

    List<JsonNode> maps =
        dashboardConfigMaps(
            helm,
            List.of(
                "--set", "grafanaDashboard.enabled=true",
                "--set", "grafanaDashboard.annotations.grafana_folder=Operators"));
    assertThat(maps).hasSize(1);
    JsonNode map = maps.get(0);
    assertThat(map.path("metadata").path("name").asText()).isEqualTo("r-tuning-operator-dashboard");
    assertThat(map.path("metadata").path("namespace").asText()).isEqualTo("ops");
    assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    assertThat(map.path("metadata").path("annotations").path("grafana_folder").asText())
        .isEqualTo("Operators");
    assertThat(HelmChartTest.JSON.readTree(map.path("data").path("tuning-operator.json").asText()))
        .as("the ConfigMap holds the dashboard file unchanged")
        .isEqualTo(HelmChartTest.JSON.readTree(DASHBOARD.toFile()));

    JsonNode elsewhere =
        dashboardConfigMaps(
                helm,
                List.of(
                    "--set", "grafanaDashboard.enabled=true",
                    "--set", "grafanaDashboard.namespace=monitoring",
                    "--set", "grafanaDashboard.labels.grafana_dashboard=tuning"))
            .get(0);
    assertThat(elsewhere.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
    assertThat(elsewhere.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("tuning");
  }

  // ---------------------------------------------------------------- dashboard

  /** The PromQL expression of every panel target. */
  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        out.add(t.path("expr").asText());
      }
    }
    return out;
  }

  /** Problems of every panel query and every label_values(...) variable, by panel or variable. */
  static List<String> check(JsonNode dashboard) {
    List<String> problems = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        for (String p : problems(t.path("expr").asText())) {
          problems.add(panel.path("title").asText() + ": " + p);
        }
      }
    }
    Pattern labelValues = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_]\\w*)\\s*\\)$");
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (!v.path("type").asText().equals("query")) {
        continue;
      }
      String query = v.path("query").path("query").asText(v.path("query").asText());
      Matcher m = labelValues.matcher(query.strip());
      if (!m.matches()) {
        problems.add("variable " + v.path("name").asText() + ": not label_values(...): " + query);
        continue;
      }
      for (String p : problems(m.group(1))) {
        problems.add("variable " + v.path("name").asText() + ": " + p);
      }
      for (Selector s : parse(m.group(1)).selectors()) {
        if (!stored(s.metric()).contains(m.group(2))) {
          problems.add("variable " + v.path("name").asText() + ": no label " + m.group(2));
        }
      }
    }
    return problems;
  }

  static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no dashboard variable " + name);
  }

  // ---------------------------------------------------------------- PromQL

  record Selector(String metric, Set<String> labels) {}

  record Query(List<Selector> selectors, Set<String> grouping, List<String> errors) {}

  static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring");
  static final Set<String> GROUP_MODIFIERS = Set.of("group_left", "group_right");
  static final Set<String> KEYWORDS =
      Set.of("bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");

  /** What is wrong with one expression: unknown series, or labels they do not carry. */
  static List<String> problems(String expr) {
    Query q = parse(expr);
    List<String> problems = new ArrayList<>(q.errors());
    if (q.selectors().isEmpty()) {
      problems.add("no metric in: " + expr);
    }
    Set<String> available = new TreeSet<>();
    for (Selector s : q.selectors()) {
      if (!series.containsKey(s.metric())) {
        problems.add("the operator exports no series " + s.metric() + " (in: " + expr + ")");
        continue;
      }
      available.addAll(stored(s.metric()));
      for (String label : s.labels()) {
        if (!stored(s.metric()).contains(label)) {
          problems.add(s.metric() + " has no label " + label + " (in: " + expr + ")");
        }
      }
    }
    for (String label : q.grouping()) {
      if (!available.contains(label)) {
        problems.add("no series here has label " + label + " (in: " + expr + ")");
      }
    }
    return problems;
  }

  /** The labels a series has in Prometheus: its own (renamed on a clash) and the target's. */
  static Set<String> stored(String metric) {
    Set<String> labels = new TreeSet<>(TARGET_LABELS);
    for (String own : series.getOrDefault(metric, Set.of())) {
      labels.add(TARGET_LABELS.contains(own) ? "exported_" + own : own);
    }
    return labels;
  }

  /**
   * A small PromQL reader: metric names are identifiers that are neither keywords nor followed by
   * "(", "by" or "without" (functions, aggregations); labels are read from matchers and
   * by/without/on/ignoring lists; strings, ranges, numbers and Grafana variables are skipped.
   */
  static Query parse(String expr) {
    List<String> tokens = tokenize(expr);
    List<Selector> selectors = new ArrayList<>();
    Set<String> grouping = new TreeSet<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
      if (t.equals("{")) {
        errors.add("selector without a metric name in: " + expr);
        i = skipTo(tokens, i, "}");
      } else if (!isIdentifier(t)) {
        continue;
      } else if ((GROUPING.contains(t) || GROUP_MODIFIERS.contains(t)) && next.equals("(")) {
        int end = skipTo(tokens, i + 1, ")");
        for (String label : tokens.subList(i + 2, end)) {
          if (isIdentifier(label)) {
            grouping.add(label);
          }
        }
        i = end;
      } else if (KEYWORDS.contains(t)
          || GROUP_MODIFIERS.contains(t)
          || next.equals("(")
          || next.equals("by")
          || next.equals("without")) {
        // A function, or an aggregation with its grouping first: sum by (x) (...).
        continue;
      } else {
        Set<String> labels = new TreeSet<>();
        if (next.equals("{")) {
          int end = skipTo(tokens, i + 1, "}");
          for (int j = i + 2; j < end; j++) {
            if (isIdentifier(tokens.get(j)) && (j == i + 2 || tokens.get(j - 1).equals(","))) {
              labels.add(tokens.get(j));
            }
          }
          i = end;
        }
        selectors.add(new Selector(t, labels));
      }
    }
    return new Query(selectors, grouping, errors);
  }

  static int skipTo(List<String> tokens, int from, String close) {
    for (int j = from; j < tokens.size(); j++) {
      if (tokens.get(j).equals(close)) {
        return j;
      }
    }
    return tokens.size() - 1;
  }

  static boolean isIdentifier(String t) {
    return !t.isEmpty() && (Character.isLetter(t.charAt(0)) || t.charAt(0) == '_');
  }

  /**
   * Tokens: identifiers and single punctuation characters. Strings, numbers, durations, range
   * selectors ([5m], [$__rate_interval]) and Grafana variables become a placeholder "#".
   */
  static List<String> tokenize(String expr) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '\'' || c == '`') {
        int j = i + 1;
        while (j < expr.length() && expr.charAt(j) != c) {
          j += expr.charAt(j) == '\\' ? 2 : 1;
        }
        tokens.add("#");
        i = j + 1;
      } else if (c == '[') {
        int j = expr.indexOf(']', i);
        tokens.add("#");
        i = j < 0 ? expr.length() : j + 1;
      } else if (c == '$') {
        int j = i + 1;
        if (j < expr.length() && expr.charAt(j) == '{') {
          j = expr.indexOf('}', j) + 1;
        } else {
          while (j < expr.length()
              && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_')) {
            j++;
          }
        }
        tokens.add("#");
        i = j <= i ? expr.length() : j;
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < expr.length() && Character.isDigit(expr.charAt(i + 1)))) {
        int j = i;
        while (j < expr.length()
            && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '.')) {
          j++;
        }
        tokens.add("#");
        i = j;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int j = i;
        while (j < expr.length()
            && (Character.isLetterOrDigit(expr.charAt(j))
                || expr.charAt(j) == '_'
                || expr.charAt(j) == ':')) {
          j++;
        }
        tokens.add(expr.substring(i, j));
        i = j;
      } else {
        tokens.add(String.valueOf(c));
        i++;
      }
    }
    return tokens;
  }

  // ---------------------------------------------------------------- scrape and helm

  /** Series name to its label names, from the Prometheus text format. */
  static Map<String, Set<String>> parseScrape(String text) {
    Map<String, Set<String>> out = new TreeMap<>();
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      int end = brace >= 0 && brace < space ? brace : space;
      Set<String> labels = out.computeIfAbsent(line.substring(0, end), k -> new TreeSet<>());
      if (end == brace) {
        Matcher m = label.matcher(line.substring(brace, line.lastIndexOf('}')));
        while (m.find()) {
          labels.add(m.group(1));
        }
      }
    }
    return out;
  }

  static List<JsonNode> dashboardConfigMaps(Path helm, List<String> set) throws Exception {
    Path home = Path.of("target", "grafana-dashboard-test").toAbsolutePath();
    List<String> command =
        new ArrayList<>(List.of(helm.toString(), "template", "r", CHART.toString(), "-n", "ops"));
    command.addAll(set);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    Path err = Files.createTempFile("helm", ".err");
    try {
      Process p = pb.redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("helm template finished").isTrue();
      assertThat(p.exitValue()).as(Files.readString(err)).isZero();
      List<JsonNode> maps = new ArrayList<>();
      try (var it = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(out)) {
        while (it.hasNext()) {
          JsonNode doc = it.next();
          if (doc != null
              && doc.path("kind").asText().equals("ConfigMap")
              && doc.path("data").has("tuning-operator.json")) {
            maps.add(doc);
          }
        }
      }
      return maps;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** $HELM_BIN, else where e2e/bin/build-helm.sh caches it (as HelmChartIT finds it); or null. */
  static Path helm() throws IOException {
    String explicit = System.getenv("HELM_BIN");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    Matcher m =
        Pattern.compile("(?m)^readonly DEFAULT_HELM_VERSION=([0-9.]+)$")
            .matcher(Files.readString(Path.of("e2e", "bin", "build-helm.sh")));
    if (!m.find()) {
      return null;
    }
    String cache = System.getenv("HELM_CACHE");
    if (cache == null || cache.isBlank()) {
      String xdg = System.getenv("XDG_CACHE_HOME");
      cache =
          (xdg == null || xdg.isBlank() ? System.getProperty("user.home") + "/.cache" : xdg)
              + "/tuning-operator";
    }
    Path p = Path.of(cache, "helm-" + m.group(1), "helm");
    return Files.isExecutable(p) ? p : null;
  }
}
