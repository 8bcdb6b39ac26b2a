package dev.tuning.operator.provider;

import java.util.List;
import java.util.Locale;

/**
 * Host allow-lists as the operator's settings give them: each entry an exact host name, or {@code
 * *.suffix} for any subdomain of the suffix (never the suffix itself). Used for OpenAI endpoint
 * hosts and for the hosts a Google credential document may name.
 */
public final class HostPatterns {

  private HostPatterns() {}

  /** The entries stripped and lower-cased, empty ones dropped; null reads as none. */
  public static List<String> normalize(List<String> patterns) {
    return patterns == null
        ? List.of()
        : patterns.stream()
            .map(h -> h.strip().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .toList();
  }

  /** Whether {@code host} is {@code pattern}, or a subdomain of a {@code *.suffix} pattern. */
  public static boolean matches(String pattern, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    String p = pattern.toLowerCase(Locale.ROOT);
    if (p.startsWith("*.")) {
      String suffix = p.substring(1);
      return h.endsWith(suffix) && h.length() > suffix.length();
    }
    return h.equals(p);
  }
}
