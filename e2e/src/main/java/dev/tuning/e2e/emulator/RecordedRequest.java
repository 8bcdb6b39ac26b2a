package dev.tuning.e2e.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request as an emulator received it. Credential headers ({@code Authorization}, {@code
 * api-key}) are kept only as {@value #REDACTED}, so a log of requests never holds a secret.
 *
 * @param at emulator clock time of arrival
 * @param method HTTP method
 * @param path raw path, e.g. {@code /v1/fine_tuning/jobs}
 * @param query raw query string, "" when none
 * @param headers header names in lower case, with their values (credentials redacted)
 * @param body request body as UTF-8 text, "" when none
 */
public record RecordedRequest(
    Instant at,
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    String body) {

  /** What replaces the value of a credential header. */
  public static final String REDACTED = "<present>";

  /** The first value of a header (name case-insensitive), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
