package dev.tuning.operator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Provider knowledge stays in the provider's package: outside {@code provider/<name>} and the CRD
 * classes, no main code names a provider's spec block, its type constant or its classes. The one
 * exception is the registry line in {@code Providers.java}. A third provider then cannot silently
 * get another provider's credentials or defaults through an {@code if openai / else} branch.
 */
class ProviderBoundaryTest {

  private static final Path MAIN = Path.of("src", "main", "java", "dev", "tuning", "operator");

  /** What only a provider's own package (and the CRD model) may mention. */
  private static final Pattern PROVIDER_KNOWLEDGE =
      Pattern.compile(
          "getOpenai\\(|getVertex\\(|getBedrock\\(|ProviderType\\.(OPENAI|VERTEX|BEDROCK)"
              + "|import dev\\.tuning\\.operator\\.provider\\.(openai|vertex|bedrock)\\."
              + "|import dev\\.tuning\\.operator\\.api\\.v1alpha1\\."
              + "(OpenAiSpec|VertexSpec|BedrockSpec)");

  @Test
  void coreCodeAsksTheProviderInsteadOfNamingOne() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Path rel = MAIN.relativize(f);
        if (rel.startsWith(Path.of("provider", "openai"))
            || rel.startsWith(Path.of("provider", "vertex"))
            || rel.startsWith(Path.of("provider", "bedrock"))
            || rel.startsWith(Path.of("api"))
            || rel.equals(Path.of("Providers.java"))) {
          continue;
        }
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (PROVIDER_KNOWLEDGE.matcher(lines.get(i)).find()) {
            offenders.add(rel + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(offenders).as("provider knowledge outside provider/<name>").isEmpty();
  }
}
