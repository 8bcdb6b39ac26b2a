package dev.tuning.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart README's values reference (helm/tuning-operator/README.md) is generated from
 * values.yaml, whose "# --" comments document each value (the helm-docs convention): a comment
 * documents the key below it, and a documented map covers its children. Every value must be
 * documented. Regenerate the table after editing values.yaml: {@code mvn test
 * -Dtest=ChartValuesReadmeTest -Dreadme.update=true}. The project README links to it.
 */
class ChartValuesReadmeTest {

  static final Path VALUES = Path.of("helm", "tuning-operator", "values.yaml");
  static final Path README = Path.of("helm", "tuning-operator", "README.md");
  static final Path PROJECT_README = Path.of("README.md");
  static final String BEGIN = "<!-- chart-values:begin (generated from values.yaml) -->";
  static final String END = "<!-- chart-values:end -->";
  static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_]*):(?: (.*))?$");
  static final Pattern DOC = Pattern.compile("^ *# -- (.*)$");
  static final Pattern MORE = Pattern.compile("^ *# ?(.*)$");

  /** Anything that looks like a mapping key: one KEY cannot parse fails the test. */
  static final Pattern KEY_LIKE = Pattern.compile("^ *[^\\s#-][^:]*:(?: .*)?$");

  record Row(String key, String defaultValue, String description) {}

  @Test
  void chartReadmeListsEveryValueAsValuesYamlDocumentsIt() throws IOException {
    String table = table(rows(new ArrayList<>()));
    String readme = Files.readString(README);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("chart README marker %s", BEGIN).isNotNegative();
    assertThat(end).as("chart README marker %s", END).isGreaterThan(begin);
    String current = readme.substring(begin + BEGIN.length(), end);
    if (Boolean.getBoolean("readme.update")) {
      Files.writeString(
          README, readme.substring(0, begin + BEGIN.length()) + table + readme.substring(end));
      return;
    }
    assertThat(current)
        .as("%s values table; regenerate with -Dreadme.update=true", README)
        .isEqualTo(table);
  }

  @Test
  void projectReadmeLinksToTheChartReadme() throws IOException {
    assertThat(Files.readString(PROJECT_README)).contains("](helm/tuning-operator/README.md");
  }

  @Test
  void everyValueIsDocumented() throws IOException {
    List<String> undocumented = new ArrayList<>();
    List<Row> rows = rows(undocumented);
    assertThat(undocumented).as("values without a '# --' comment on them or a parent").isEmpty();
    assertThat(rows)
        .extracting(Row::key)
        .contains("image.repository", "watchNamespaces", "argocd.enabled", "probes.startup");
  }

  @Test
  void theGeneratorNoticesAnUndocumentedValue() {
    List<String> undocumented = new ArrayList<>();
    List<Row> rows =
        rows(
            """
            # -- Documented.
            a: 1
            group:
              # -- Documented too.
              b: x
              c: [1]
            # -- A documented map covers its children.
            map:
              d: true
            # -- A key the generator cannot follow is reported, not skipped.
            odd-key: 1
            """,
            undocumented);
    assertThat(rows)
        .containsExactly(
            new Row("a", "`1`", "Documented."),
            new Row("group.b", "`\"x\"`", "Documented too."),
            new Row("map", "`{\"d\":true}`", "A documented map covers its children."));
    assertThat(undocumented).containsExactly("group.c", "unparsed line: odd-key: 1");
  }

  // ---------------------------------------------------------------- generator

  static List<Row> rows(List<String> undocumented) throws IOException {
    return rows(Files.readString(VALUES), undocumented);
  }

  static List<Row> rows(String yaml, List<String> undocumented) {
    JsonNode values;
    try {
      values = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    List<Row> rows = new ArrayList<>();
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> path = new ArrayDeque<>();
    int documentedIndent = -1;
    StringBuilder doc = null;
    for (String line : yaml.split("\n", -1)) {
      Matcher d = DOC.matcher(line);
      if (d.matches()) {
        doc = new StringBuilder(d.group(1).trim());
        continue;
      }
      Matcher more = MORE.matcher(line);
      if (more.matches()) {
        if (doc != null) {
          doc.append(' ').append(more.group(1).trim());
        }
        continue;
      }
      Matcher key = KEY.matcher(line);
      if (!key.matches() && KEY_LIKE.matcher(line).matches()) {
        undocumented.add("unparsed line: " + line.trim());
        continue;
      }
      if (!key.matches()) {
        if (line.isBlank()) {
          doc = null;
        }
        continue; // list items and continuation lines belong to the value above
      }
      int indent = key.group(1).length();
      while (!indents.isEmpty() && indents.peek()[0] >= indent) {
        indents.pop();
        path.removeLast();
      }
      indents.push(new int[] {indent});
      path.addLast(key.group(2));
      if (documentedIndent >= 0 && indent > documentedIndent) {
        doc = null;
        continue; // covered by a documented parent
      }
      documentedIndent = -1;
      String dotted = String.join(".", path);
      JsonNode value = values.at("/" + String.join("/", path));
      boolean leaf = !value.isObject() || value.isEmpty();
      if (doc != null) {
        rows.add(new Row(dotted, "`" + value.toString() + "`", doc.toString()));
        documentedIndent = indent;
      } else if (leaf) {
        undocumented.add(dotted);
      }
      doc = null;
    }
    return rows;
  }

  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder("\n| value | default | description |\n|---|---|---|\n");
    for (Row row : rows) {
      out.append("| `")
          .append(row.key())
          .append("` | ")
          .append(row.defaultValue().replace("|", "\\|"))
          .append(" | ")
          .append(row.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }
}
