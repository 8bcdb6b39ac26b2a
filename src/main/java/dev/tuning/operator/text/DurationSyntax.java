package dev.tuning.operator.text;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one duration grammar: Go's {@code time.ParseDuration} syntax (the operator's configuration,
 * OpenAI's {@code x-ratelimit-reset-*} headers) and ISO-8601 (Java's own {@code PT15S}).
 *
 * <p>Go syntax: an optional sign, then one or more decimal numbers each with an optional fraction
 * and a unit, such as {@code 300ms}, {@code 1.5h}, {@code 6m0s} or {@code 1h2m3.5s}; units are
 * {@code ns}, {@code us} ({@code µs}, {@code μs}), {@code ms}, {@code s}, {@code m}, {@code h},
 * case sensitive as in Go; a lone {@code 0} needs no unit. As in Go, precision is the nanosecond
 * (finer fractions are dropped) and the total must fit 2<sup>63</sup>-1 nanoseconds. ISO-8601 is
 * whatever {@link Duration#parse} reads, in either case.
 *
 * <p>Negative durations parse in neither caller's favour (a negative poll interval, a reset in the
 * past), so they are refused.
 */
public final class DurationSyntax {

  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private DurationSyntax() {}

  /**
   * The duration {@code value} stands for.
   *
   * @throws IllegalArgumentException if it is not Go or ISO-8601 duration syntax, is negative, or
   *     is too long
   */
  public static Duration parse(String value) {
    if (value == null) {
      throw invalid(value, "no value");
    }
    String v = value.strip();
    int start = v.startsWith("-") || v.startsWith("+") ? 1 : 0;
    Duration d =
        v.length() > start && (v.charAt(start) == 'P' || v.charAt(start) == 'p')
            ? iso(value, v)
            : go(value, v.substring(start), v.startsWith("-"));
    if (d.isNegative()) {
      throw invalid(value, "negative durations are not allowed");
    }
    return d;
  }

  /** {@link #parse}, or empty when {@code value} is null, blank or invalid. */
  public static Optional<Duration> tryParse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(value));
    } catch (IllegalArgumentException invalid) {
      return Optional.empty();
    }
  }

  private static Duration iso(String original, String v) {
    try {
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw invalid(original, "not an ISO-8601 duration");
    }
  }

  /** Go's grammar, after the sign: {@code "0"} or {@code ([0-9]*(\.[0-9]*)?unit)+}. */
  private static Duration go(String original, String s, boolean negative) {
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(original, "empty");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      int digits = 0;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
          digits++;
        }
      }
      if (digits == 0) {
        throw invalid(original, "expected a number at '" + s.substring(numberStart) + "'");
      }
      BigDecimal number = new BigDecimal(s.substring(numberStart, i));
      int unitStart = i;
      while (i < s.length() && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long unit = unitNanos(s.substring(unitStart, i));
      if (unit == 0) {
        throw invalid(
            original,
            unitStart == i
                ? "missing unit after " + number.toPlainString()
                : "unknown unit '" + s.substring(unitStart, i) + "'");
      }
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(unit)));
    }
    BigInteger whole = nanos.toBigInteger();
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw invalid(original, "too long");
    }
    Duration d = Duration.ofNanos(whole.longValueExact());
    return negative ? d.negated() : d;
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 0L;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String value, String why) {
    return new IllegalArgumentException(
        "invalid duration '"
            + value
            + "' ("
            + why
            + "): use Go syntax such as 500ms, 15s, 10m, 1h or 1h2m3.5s, or ISO-8601 such as PT15S");
  }
}
