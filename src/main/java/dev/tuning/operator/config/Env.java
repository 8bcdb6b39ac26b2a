package dev.tuning.operator.config;

import dev.tuning.operator.provider.AllowList;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's environment variables, read the same way by the core ({@code OperatorConfig}) and
 * by each provider's settings: blank means unset, lists are comma-separated, durations use one
 * grammar. Errors name the variable, never its value (some hold secrets).
 */
public final class Env {

  private final Map<String, String> env;

  public Env(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The trimmed value, empty when unset or blank. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(env.get(key)).map(String::trim).filter(v -> !v.isEmpty());
  }

  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  public Duration duration(String key, Duration fallback) {
    try {
      return get(key).map(Env::parseDuration).orElse(fallback);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  public boolean bool(String key, boolean fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + ": expected true or false");
    };
  }

  public int integer(String key, int fallback) {
    Optional<String> v = get(key);
    try {
      return v.map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected a whole number", e);
    }
  }

  /** A comma-separated list; unset is empty. */
  public List<String> list(String key) {
    return get(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** A comma-separated list; unset is {@code fallback}. */
  public List<String> list(String key, List<String> fallback) {
    return get(key).isPresent() ? list(key) : fallback;
  }

  /** An allow-list: unset or empty allows none, {@code *} allows all. */
  public AllowList allowList(String key) {
    return new AllowList(list(key));
  }

  /**
   * Durations in Go syntax ("15s", "10m", "1h30m", "1.5s") or ISO-8601 ("PT15S"); the one grammar
   * of the operator ({@link dev.tuning.operator.text.DurationSyntax}).
   */
  public static Duration parseDuration(String value) {
    return dev.tuning.operator.text.DurationSyntax.parse(value);
  }
}
