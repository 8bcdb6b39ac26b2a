package dev.tuning.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the Dockerfile's properties are checked as text, and the files it
 * copies are checked to exist after the build (failsafe runs after package).
 */
class DockerfileIT {

  private final List<String> lines = read();

  private static List<String> read() {
    try {
      return Files.readAllLines(Path.of("Dockerfile"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> instructions(String keyword) {
    return lines.stream().map(String::trim).filter(l -> l.startsWith(keyword + " ")).toList();
  }

  @Test
  void isMultiStageWithADependencyCacheLayerBeforeTheSources() {
    List<String> froms = instructions("FROM");
    assertThat(froms).hasSizeGreaterThanOrEqualTo(3);
    assertThat(froms.get(0)).contains(" AS deps");
    assertThat(froms.get(1)).contains("FROM deps AS build");
    String text = String.join("\n", lines);
    assertThat(text.indexOf("dependency:go-offline")).isLessThan(text.indexOf("COPY src src"));
    assertThat(text.indexOf("COPY pom.xml .")).isLessThan(text.indexOf("dependency:go-offline"));
  }

  @Test
  void runsASlimJreAsNonRootWithContainerAwareMemory() {
    List<String> froms = instructions("FROM");
    assertThat(froms.get(froms.size() - 1)).contains("jre").doesNotContain(" AS ");
    List<String> users = instructions("USER");
    assertThat(users).isNotEmpty();
    Matcher uid = Pattern.compile("USER (\\d+)(:\\d+)?").matcher(users.get(users.size() - 1));
    assertThat(uid.matches()).isTrue();
    assertThat(Integer.parseInt(uid.group(1))).isPositive();
    assertThat(String.join("\n", lines))
        .contains("-XX:MaxRAMPercentage=")
        .contains(
            "ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=/app/tuning-operator.jsa\", \"-jar\","
                + " \"/app/tuning-operator.jar\"]");
  }

  @Test
  void carriesOciLabels() {
    String text = String.join("\n", lines);
    for (String label : List.of("title", "description", "version", "licenses")) {
      assertThat(text).contains("org.opencontainers.image." + label + "=");
    }
  }

  @Test
  void everyCopiedFileExistsAfterTheBuild() {
    for (String copy : instructions("COPY")) {
      String[] parts = copy.split("\\s+");
      if (copy.contains("--from=build")) {
        String source = parts[2].replace("/build/", "");
        assertThat(Path.of(source)).as(copy).exists();
      } else {
        assertThat(Path.of(parts[1])).as(copy).exists();
      }
    }
  }

  /**
   * The image's class-data-sharing archive: the Dockerfile's training start, run here on the built
   * jar (the same command as e2e/bin/cds-archive.sh), writes an archive that a JVM then maps with
   * -Xshare:on (which fails rather than run without it).
   */
  @Test
  void trainsAClassDataSharingArchiveTheJvmAccepts() throws Exception {
    String text = String.join("\n", lines).replace("\\\n", " ");
    String training =
        text.lines()
            .map(String::trim)
            .filter(l -> l.startsWith("RUN ") && l.contains("ArchiveClassesAtExit"))
            .findFirst()
            .orElseThrow()
            .substring(4);
    Path jar = Path.of("target", "tuning-operator.jar").toAbsolutePath();
    Path archive = Path.of("target", "dockerfile-it.jsa").toAbsolutePath();
    Files.deleteIfExists(archive);
    String command =
        training
            .replace("/app/tuning-operator.jsa", archive.toString())
            .replace("/app/tuning-operator.jar", jar.toString());
    Process train = new ProcessBuilder("bash", "-c", command).inheritIO().start();
    assertThat(train.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(train.exitValue()).as(command).isZero();

    Process use =
        new ProcessBuilder(
                "java",
                "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive,
                "-jar",
                jar.toString(),
                "no-such-command")
            .redirectErrorStream(true)
            .start();
    String out = new String(use.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(use.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("the JVM mapped the archive and ran the jar").contains("unknown command");
  }
}
