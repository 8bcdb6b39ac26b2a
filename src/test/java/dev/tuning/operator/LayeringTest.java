package dev.tuning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The test layers (README, Tests): {@code src/test/java} holds the operator's own tests (unit
 * tests, and {@code *IT} on a real API server); {@code e2e/src} holds the provider emulators, the
 * end-to-end harness and every test that needs them. Maven compiles both into one set of test
 * classes, so this test is what keeps {@code src/test/java} from using {@code e2e/src}: no
 * reference to package {@code dev.tuning.e2e}, and no use of any class declared under {@code
 * e2e/src} (classes there may share a package with {@code src/test/java}, where no import shows).
 */
class LayeringTest {

  static final Path OPERATOR_TESTS = Path.of("src", "test", "java");
  static final List<Path> E2E_SOURCES =
      List.of(Path.of("e2e", "src", "main", "java"), Path.of("e2e", "src", "test", "java"));
  static final String E2E_PACKAGE = "dev.tuning.e2e";

  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;");

  @Test
  void shouldKeepTheOperatorTestsFreeOfTheE2eSourceSet() {
    Map<String, Set<String>> e2eTypes = typesByPackage(E2E_SOURCES);
    List<String> violations = new ArrayList<>();
    for (Path file : javaFiles(OPERATOR_TESTS)) {
      violations.addAll(violations(file, e2eTypes));
    }

    assertThat(violations)
        .as("src/test/java uses e2e/src; move the test to e2e/src/test/java (same package)")
        .isEmpty();
  }

  @Test
  void shouldFindTheE2eSourceSet() {
    // so that the check above cannot pass because it looked in the wrong place
    assertThat(typesByPackage(E2E_SOURCES).get(E2E_PACKAGE + ".emulator"))
        .contains("OpenAiEmulator", "VertexEmulator");
    assertThat(javaFiles(OPERATOR_TESTS)).contains(OPERATOR_TESTS.resolve(sourcePath()));
  }

  /** What in {@code file} refers to the e2e source set. */
  static List<String> violations(Path file, Map<String, Set<String>> e2eTypes) {
    String code = withoutComments(read(file));
    List<String> found = new ArrayList<>();
    Set<String> visiblePackages = new HashSet<>();
    Matcher pkg = PACKAGE.matcher(code);
    if (pkg.find()) {
      visiblePackages.add(pkg.group(1));
    }
    Matcher imports = IMPORT.matcher(code);
    while (imports.find()) {
      String name = imports.group(2);
      boolean wildcard = imports.group(3) != null;
      if (name.equals(E2E_PACKAGE) || name.startsWith(E2E_PACKAGE + ".")) {
        found.add(file + ": imports " + name);
      } else if (isE2eType(name, e2eTypes)) {
        found.add(file + ": imports " + name + " (declared in e2e/src)");
      } else if (wildcard && imports.group(1) == null) {
        visiblePackages.add(name);
      }
    }
    String body = IMPORT.matcher(PACKAGE.matcher(code).replaceAll("")).replaceAll("");
    if (body.contains(E2E_PACKAGE + ".")) {
      found.add(file + ": names " + E2E_PACKAGE);
    }
    for (String visible : visiblePackages) {
      for (String type : e2eTypes.getOrDefault(visible, Set.of())) {
        if (Pattern.compile("\\b" + type + "\\b").matcher(body).find()) {
          found.add(file + ": uses " + visible + "." + type + " (declared in e2e/src)");
        }
      }
    }
    return found;
  }

  /** Whether {@code name} is a type declared in e2e/src, or a member or nested type of one. */
  private static boolean isE2eType(String name, Map<String, Set<String>> e2eTypes) {
    for (var entry : e2eTypes.entrySet()) {
      for (String type : entry.getValue()) {
        String qualified = entry.getKey() + "." + type;
        if (name.equals(qualified) || name.startsWith(qualified + ".")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The top-level types (one per file, named like it) under the roots, by package. */
  static Map<String, Set<String>> typesByPackage(List<Path> roots) {
    Map<String, Set<String>> types = new HashMap<>();
    for (Path root : roots) {
      for (Path file : javaFiles(root)) {
        String name = file.getFileName().toString().replace(".java", "");
        if (name.equals("package-info")) {
          continue;
        }
        String pkg =
            root.relativize(file.getParent())
                .toString()
                .replace(file.getFileSystem().getSeparator(), ".");
        types.computeIfAbsent(pkg, k -> new HashSet<>()).add(name);
      }
    }
    return types;
  }

  static List<Path> javaFiles(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path sourcePath() {
    return Path.of(LayeringTest.class.getName().replace('.', '/') + ".java");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Java source without its comments; string and character literals (text blocks too) are kept, so
   * a {@code //} inside a URL is not mistaken for a comment.
   */
  static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        while (end > 0 && escaped(source, end)) {
          end = source.indexOf("\"\"\"", end + 1);
        }
        end = end < 0 ? n : end + 3;
        out.append(source, i, end);
        i = end;
      } else if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, n);
        out.append(source, i, end);
        i = end;
      } else if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Whether the character at {@code at} follows an odd number of backslashes. */
  private static boolean escaped(String source, int at) {
    int backslashes = 0;
    for (int j = at - 1; j >= 0 && source.charAt(j) == '\\'; j--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }
}
