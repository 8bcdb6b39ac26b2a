package dev.tuning.e2e.emulator;

import static dev.tuning.e2e.emulator.OpenAiErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Checks of single request parameters with OpenAI's generic error wording ({@code "Invalid 'x':
 * integer above maximum value. …"}) and codes such as {@code integer_above_max_value}.
 */
final class OpenAiParams {

  private OpenAiParams() {}

  static String requiredString(JsonNode root, String field) {
    if (!present(root, field)) {
      throw missing(field);
    }
    String v = optionalString(root, field);
    if (v.isEmpty()) {
      length(field, v, Integer.MAX_VALUE);
    }
    return v;
  }

  static String optionalString(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw typeError(field, "a string", v);
    }
    return v.asText();
  }

  static void length(String param, String v, int max) {
    if (v.isEmpty()) {
      throw invalid(
          "Invalid '"
              + param
              + "': empty string. Expected a string with minimum length 1, but got an empty"
              + " string instead.",
          param,
          "empty_string");
    }
    if (v.length() > max) {
      throw invalid(
          "Invalid '"
              + param
              + "': string too long. Expected a string with maximum length "
              + max
              + ", but got a string with length "
              + v.length()
              + " instead.",
          param,
          "string_above_max_length");
    }
  }

  static long integer(JsonNode v, String param, long min, long max, boolean auto) {
    if (!v.isIntegralNumber()) {
      throw typeError(param, auto ? "one of 'auto' or an integer" : "an integer", v);
    }
    long n = v.asLong();
    if (n < min || !v.canConvertToLong()) {
      throw invalid(
          "Invalid '"
              + param
              + "': integer below minimum value. Expected a value >= "
              + min
              + ", but got "
              + v.asText()
              + " instead.",
          param,
          "integer_below_min_value");
    }
    if (n > max) {
      throw invalid(
          "Invalid '"
              + param
              + "': integer above maximum value. Expected a value <= "
              + max
              + ", but got "
              + n
              + " instead.",
          param,
          "integer_above_max_value");
    }
    return n;
  }

  /** A number with exclusive minimum {@code min} and inclusive maximum {@code max}. */
  static double decimal(JsonNode v, String param, double min, double max) {
    if (!v.isNumber()) {
      throw typeError(param, "one of 'auto' or a number", v);
    }
    double d = v.asDouble();
    if (d <= min) {
      throw invalid(
          "Invalid '"
              + param
              + "': number below minimum value. Expected a value > "
              + min
              + ", but got "
              + v.asText()
              + " instead.",
          param,
          "decimal_below_min_value");
    }
    if (d > max) {
      throw invalid(
          "Invalid '"
              + param
              + "': number above maximum value. Expected a value <= "
              + max
              + ", but got "
              + v.asText()
              + " instead.",
          param,
          "decimal_above_max_value");
    }
    return d;
  }

  static JsonNode object(JsonNode v, String param) {
    if (v == null || !v.isObject()) {
      throw typeError(param, "an object", v);
    }
    return v;
  }

  static boolean present(JsonNode root, String field) {
    return root.has(field) && !root.get(field).isNull();
  }

  static ApiException missing(String param) {
    return invalid(
        "Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
  }

  static ApiException typeError(String param, String expected, JsonNode got) {
    String kind = got == null ? "null" : got.getNodeType().name().toLowerCase(Locale.ROOT);
    return invalid(
        "Invalid type for '"
            + param
            + "': expected "
            + expected
            + ", but got "
            + kind
            + " instead.",
        param,
        "invalid_type");
  }
}
