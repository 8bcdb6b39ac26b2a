package dev.tuning.operator.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTextTest {

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void shouldRedactTheGivenSecretEvenWhenItIsNotKeyShaped() {
    assertThat(SafeText.sanitize("key sk-abcdef123456 and secret-xyz\n", "secret-xyz"))
        .isEqualTo("key [redacted] and [redacted]");
    assertThat(SafeText.sanitize("plain-secret-9 leaked", "plain-secret-9"))
        .isEqualTo("[redacted] leaked");
    assertThat(SafeText.sanitize(null, "k")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sk-proj-abcdef123456",
        "sk-abc***wxyz",
        "sess-abcdefghij",
        "org-sk-abcdefgh",
        "Bearer abc.def",
        "bearer\tya29.x",
        "ya29.a0AfH6SMB-token_value",
        "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"
      })
  void shouldRedactCredentialShapedText(String secret) {
    assertThat(SafeText.sanitize("before " + secret)).isEqualTo("before [redacted]");
  }

  @Test
  void shouldTurnControlCharactersIntoSpaces() {
    assertThat(SafeText.sanitize(" a\tb\nc\r\u0000d\u001b[31me\u0085f\u2028g "))
        .isEqualTo("a b c  d [31me f g");
  }

  @Test
  void shouldKeepShortTextAsItIs() {
    String exact = "a".repeat(SafeText.MAX_BYTES);
    assertThat(SafeText.sanitize(exact)).isSameAs(exact);
  }

  @Test
  void shouldCutAsciiAtTheByteLimitWithAnEllipsis() {
    String cut = SafeText.sanitize("a".repeat(SafeText.MAX_BYTES + 1));

    assertThat(bytes(cut)).isEqualTo(SafeText.MAX_BYTES);
    assertThat(cut).endsWith("a…").hasSize(SafeText.MAX_BYTES - 2);
  }

  @Test
  void shouldCutMultiByteTextWithinTheLimitWithoutSplittingCharacters() {
    for (String unit : new String[] {"é", "日", "😀", "a日😀"}) {
      String cut = SafeText.sanitize(unit.repeat(2000));

      assertThat(bytes(cut)).isLessThanOrEqualTo(SafeText.MAX_BYTES).isGreaterThan(1016);
      assertThat(cut).endsWith("…");
      String body = cut.substring(0, cut.length() - 1);
      assertThat(body.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF)).isEmpty();
      assertThat(unit.repeat(2000)).startsWith(body);
    }
  }

  @Test
  void shouldClipToCharactersForSchemaFields() {
    assertThat(SafeText.clip("abcdef", 6)).isEqualTo("abcdef");
    assertThat(SafeText.clip("abcdefg", 6)).isEqualTo("abcde…");
    assertThat(SafeText.clip("abcd😀fg", 6)).isEqualTo("abcd…");
    assertThat(SafeText.clip(null, 6)).isNull();
  }
}
