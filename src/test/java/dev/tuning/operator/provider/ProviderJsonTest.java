package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProviderJsonTest {

  record Wire(@JsonProperty("id") String id, @JsonProperty("count") int count) {}

  @Test
  void shouldReadProviderJsonLeniently() throws Exception {
    Wire w = ProviderJson.MAPPER.readValue("{\"id\":\"a\",\"count\":null,\"new\":[1]}", Wire.class);

    assertThat(w).isEqualTo(new Wire("a", 0));
  }

  /** One configuration: main code builds no ObjectMapper of its own (Fabric8 keeps its own). */
  @Test
  void shouldBeTheOnlyObjectMapperInMainCode() throws IOException {
    Pattern builds =
        Pattern.compile(
            "new (Object|Json)Mapper\\(|JsonMapper\\.builder\\("
                + "|\\.configure\\((Deserialization|Serialization|Mapper)Feature");
    Path main = Path.of("src", "main", "java");
    Path self = main.resolve(Path.of("dev", "tuning", "operator", "provider", "ProviderJson.java"));
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(main)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java") && !p.equals(self))
              .filter(p -> builds.matcher(read(p)).find())
              .toList();
    }

    assertThat(offenders).isEmpty();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
