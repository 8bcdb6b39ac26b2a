package dev.tuning.operator.provider.bedrock;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The deterministic names that make a second create impossible (docs/providers/bedrock.md section
 * 6): the job name holds the TuningJob's UID, so Bedrock refuses a second job under it, and it is
 * also how the job is found again after a crash.
 */
final class BedrockNames {

  /** The API model's jobName pattern, anchored; at most 63 characters. */
  static final Pattern JOB_NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9+\\-.])*$");

  /** The API model's customModelName pattern: no dots, no doubled '-' or '_'. */
  static final Pattern CUSTOM_MODEL_NAME = Pattern.compile("^([0-9a-zA-Z][_-]?){1,63}$");

  static final int MAX_NAME = 63;

  private BedrockNames() {}

  /**
   * {@code <namespace>-<name>} cut to 26 characters, then {@code -<uid>}: at most 63 characters,
   * unique by the UID, readable by the prefix.
   */
  static String jobName(String namespace, String name, String uid) {
    String prefix = (namespace + "-" + name).toLowerCase(Locale.ROOT);
    if (prefix.length() > 26) {
      prefix = prefix.substring(0, 26);
    }
    String jobName = prefix + "-" + uid;
    if (jobName.length() > MAX_NAME || !JOB_NAME.matcher(jobName).matches()) {
      // Kubernetes names and UIDs always fit; anything else falls back to the UID alone.
      return "tj-" + uid;
    }
    return jobName;
  }

  /**
   * The custom model's name: {@code tunedModelName} as written, else the TuningJob's name made to
   * fit the pattern plus the first 12 characters of the UID.
   */
  static String customModelName(String tunedModelName, String name, String uid) {
    if (tunedModelName != null && !tunedModelName.isBlank()) {
      return tunedModelName;
    }
    String base = name.replaceAll("[^0-9a-zA-Z]+", "-").replaceAll("^-+|-+$", "");
    if (base.length() > 50) {
      base = base.substring(0, 50).replaceAll("-+$", "");
    }
    String suffix = uid.replace("-", "");
    suffix = suffix.substring(0, Math.min(12, suffix.length()));
    return base.isEmpty() ? "tj-" + suffix : base + "-" + suffix;
  }
}
