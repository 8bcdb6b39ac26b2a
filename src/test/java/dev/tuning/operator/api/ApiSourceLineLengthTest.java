package dev.tuning.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No line of the CRD model is longer than google-java-format's 100 columns. The formatter does not
 * split string literals, so a CEL rule pasted as one literal would stay unreadable: rules are
 * composed from constants instead (see {@code ImmutableSpecRules}).
 */
class ApiSourceLineLengthTest {

  static final Path API_SOURCES =
      Path.of("src", "main", "java", "dev", "tuning", "operator", "api");
  static final int MAX_COLUMNS = 100;

  @Test
  void noApiSourceLineIsLongerThanTheFormatterLimit() throws IOException {
    List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(API_SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.codePointCount(0, line.length()) > MAX_COLUMNS) {
            tooLong.add(file + ":" + (i + 1) + " (" + line.length() + " chars)");
          }
        }
      }
    }
    assertThat(tooLong).as("lines over %d columns", MAX_COLUMNS).isEmpty();
  }
}
