package dev.tuning.operator.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VertexLabelsTest {

  /** The CRD users install; CrdDriftTest keeps it equal to what the model generates. */
  static final Path COMMITTED_CRD = Path.of("crds", "tuningjobs.tuning.dev.yaml");

  @ParameterizedTest
  @ValueSource(strings = {"team", "t", "t9", "a_b-c", "équipe", "日本", "ßtraße", "𐐨key"})
  void shouldAcceptLowercaseAndInternationalKeys(String key) {
    assertThat(VertexLabels.isValidKey(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Team", "tEam", "9team", "_team", "-team", "a.b", "a b", "a/b", "ü!"})
  void shouldRefuseKeysThatAreEmptyUppercaseOrStartWithoutALetter(String key) {
    assertThat(VertexLabels.isValidKey(key)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "support", "9", "_", "-", "café_1", "東京", "v1-2_3"})
  void shouldAcceptLowercaseInternationalAndEmptyValues(String value) {
    assertThat(VertexLabels.isValidValue(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Support", "É", "a.b", "a b", "a:b", "a/b", "a\n"})
  void shouldRefuseUppercaseAndPunctuationInValues(String value) {
    assertThat(VertexLabels.isValidValue(value)).isFalse();
  }

  @Test
  void shouldRefuseNull() {
    assertThat(VertexLabels.isValidKey(null)).isFalse();
    assertThat(VertexLabels.isValidValue(null)).isFalse();
  }

  @Test
  void shouldAllowSixtyThreeCodePointsButNotSixtyFour() {
    assertThat(VertexLabels.MAX_LENGTH).isEqualTo(63);
    assertThat(VertexLabels.isValidKey("k".repeat(63))).isTrue();
    assertThat(VertexLabels.isValidKey("k".repeat(64))).isFalse();
    assertThat(VertexLabels.isValidValue("v".repeat(63))).isTrue();
    assertThat(VertexLabels.isValidValue("v".repeat(64))).isFalse();
    // code points, not chars or bytes: 63 two-byte letters are 126 bytes
    assertThat(VertexLabels.isValidValue("é".repeat(63))).isTrue();
    assertThat(VertexLabels.isValidValue("é".repeat(64))).isFalse();
  }

  @Test
  void shouldAllowAtMost128Utf8Bytes() {
    assertThat(VertexLabels.isValidValue("日".repeat(42))).as("126 bytes").isTrue();
    assertThat(VertexLabels.isValidValue("日".repeat(43))).as("129 bytes").isFalse();
    assertThat(VertexLabels.isValidKey("日".repeat(42))).isTrue();
    assertThat(VertexLabels.isValidKey("日".repeat(43))).isFalse();
    // a supplementary letter is one code point (two Java chars) and four bytes
    assertThat(VertexLabels.isValidValue("𐐨".repeat(32))).as("128 bytes").isTrue();
    assertThat(VertexLabels.isValidValue("𐐨".repeat(33))).as("132 bytes").isFalse();
  }

  @Test
  void shouldAcceptTheOperatorsOwnTag() {
    assertThat(VertexLabels.isValidKey("tuningjob-uid")).isTrue();
    assertThat(VertexLabels.isValidValue("6f1c2c0e-3b1a-4c8e-9d2f-0a1b2c3d4e5f")).isTrue();
  }

  /**
   * The CRD the API server enforces uses exactly these patterns and limits, so they cannot drift.
   */
  @Test
  void shouldBeTheRuleTheCommittedCrdEnforces() throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(Files.readString(COMMITTED_CRD), CustomResourceDefinition.class);
    List<ValidationRule> rules =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec")
            .getXKubernetesValidations();
    ValidationRule vertex =
        rules.stream()
            .filter(r -> r.getMessage().startsWith("labels with provider vertex"))
            .findFirst()
            .orElseThrow();

    Matcher literals = Pattern.compile("matches\\(r'([^']*)'\\)").matcher(vertex.getRule());
    List<String> patterns = literals.results().map(m -> m.group(1)).toList();
    assertThat(patterns).containsExactly(VertexLabels.KEY_PATTERN, VertexLabels.VALUE_PATTERN);
    assertThat(vertex.getRule())
        .contains("size(bytes(k)) <= " + VertexLabels.MAX_BYTES)
        .contains("size(bytes(self.labels[k])) <= " + VertexLabels.MAX_BYTES);
    assertThat(vertex.getMessage()).endsWith(VertexLabels.RULE);
    assertThat(vertex.getFieldPath()).isEqualTo(".labels");
  }
}
