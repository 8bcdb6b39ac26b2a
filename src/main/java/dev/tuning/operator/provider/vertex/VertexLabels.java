package dev.tuning.operator.provider.vertex;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The Vertex AI label rule, kept in one place: the CRD's CEL rule ({@code TuningJobSpec}), the
 * create-body mapper and the e2e emulator all use these constants.
 *
 * <p>The sources disagree, so the rule is the intersection of what they allow: a label that passes
 * here passes under every reading.
 *
 * <ul>
 *   <li>The {@code TuningJob.labels} proto comment: keys and values up to 64 Unicode code points,
 *       lowercase letters, digits, {@code _} and {@code -}, international characters allowed.
 *   <li>The general Google Cloud label rules that comment links to: keys 1 to 63 characters and
 *       starting with a lowercase letter or an international character, values 0 to 63, the same
 *       characters, at most 64 labels per resource.
 *   <li>Several Google Cloud API references (Secret Manager, Cloud Composer, Healthcare) state it
 *       as the regular expressions {@code [\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}} for keys and
 *       {@code [\p{Ll}\p{Lo}\p{N}_-]{0,63}} for values, each at most 128 bytes in UTF-8.
 * </ul>
 *
 * <p>So: at most {@value #MAX_LENGTH} code points and {@value #MAX_BYTES} UTF-8 bytes; Unicode
 * lowercase ({@code Ll}) and caseless ({@code Lo}, e.g. CJK) letters, Unicode digits ({@code N}),
 * {@code _} and {@code -}; a key starts with a letter. Uppercase letters, {@code .} and spaces are
 * refused.
 *
 * <p>The patterns are read the same by {@link java.util.regex} and by RE2, which the API server's
 * CEL {@code matches} uses: both support {@code \p{..}} general categories inside a class, count
 * code points in {@code {m,n}}, and anchor {@code ^...$} to the whole string. (The Unicode versions
 * differ, Java 17 has 13.0 and Go newer ones, which matters only for letters added since.)
 */
public final class VertexLabels {

  /** Maximum length of a key or value, in Unicode code points. */
  public static final int MAX_LENGTH = 63;

  /** Maximum length of a key or value, in UTF-8 bytes. */
  public static final int MAX_BYTES = 128;

  /** Labels per resource, the operator's own tag included. */
  public static final int MAX_LABELS = 64;

  /** A key: a lowercase or caseless letter, then up to 62 letters, digits, '_' or '-'. */
  public static final String KEY_PATTERN = "^[\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}$";

  /** A value: up to 63 lowercase or caseless letters, digits, '_' or '-'; may be empty. */
  public static final String VALUE_PATTERN = "^[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}$";

  /** The rule in words, for error messages. */
  public static final String RULE =
      "keys start with a lowercase letter; keys and values hold only lowercase letters"
          + " (international ones too), digits, '_' and '-', at most 63 characters and 128 bytes";

  private static final Pattern KEY = Pattern.compile(KEY_PATTERN);
  private static final Pattern VALUE = Pattern.compile(VALUE_PATTERN);

  private VertexLabels() {}

  /** Whether Vertex AI accepts {@code key} as a label key; {@code null} is not a key. */
  public static boolean isValidKey(String key) {
    return key != null && KEY.matcher(key).matches() && utf8Length(key) <= MAX_BYTES;
  }

  /** Whether Vertex AI accepts {@code value} as a label value; {@code null} is not a value. */
  public static boolean isValidValue(String value) {
    return value != null && VALUE.matcher(value).matches() && utf8Length(value) <= MAX_BYTES;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
