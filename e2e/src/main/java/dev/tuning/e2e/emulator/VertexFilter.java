package dev.tuning.e2e.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of AIP-160 list filters the emulator understands, joined by {@code AND}: {@code
 * labels.KEY="VALUE"} (quotes optional), {@code labels.KEY:*} (key present) and {@code
 * state="JOB_STATE_…"}. Anything else is a 400 INVALID_ARGUMENT, so a client never mistakes an
 * ignored filter for an empty result.
 */
final class VertexFilter {

  private interface Term {
    boolean test(VertexJob job, Instant now);
  }

  private static final Pattern LABEL_EQ =
      Pattern.compile("labels\\.([\\p{L}\\p{N}_-]+)\\s*=\\s*(?:\"([^\"]*)\"|([\\p{L}\\p{N}_-]+))");
  private static final Pattern LABEL_HAS =
      Pattern.compile("labels\\.([\\p{L}\\p{N}_-]+)\\s*:\\s*\\*");
  private static final Pattern STATE = Pattern.compile("state\\s*=\\s*\"?(JOB_STATE_[A-Z_]+)\"?");

  private final List<Term> terms;

  private VertexFilter(List<Term> terms) {
    this.terms = terms;
  }

  static VertexFilter parse(String filter) {
    List<Term> terms = new ArrayList<>();
    if (filter == null || filter.isBlank()) {
      return new VertexFilter(terms);
    }
    for (String raw : filter.trim().split("\\s+AND\\s+")) {
      String t = raw.trim();
      Matcher m;
      if ((m = LABEL_EQ.matcher(t)).matches()) {
        String key = m.group(1);
        String value = m.group(2) != null ? m.group(2) : m.group(3);
        terms.add((job, now) -> value.equals(job.request.labels().get(key)));
      } else if ((m = LABEL_HAS.matcher(t)).matches()) {
        String key = m.group(1);
        terms.add((job, now) -> job.request.labels().containsKey(key));
      } else if ((m = STATE.matcher(t)).matches()) {
        String state = m.group(1);
        terms.add((job, now) -> state.equals(job.state(now)));
      } else {
        throw VertexErrors.invalid(
            "filter",
            "Unsupported filter \""
                + filter
                + "\": the emulator supports labels.KEY=\"VALUE\", labels.KEY:* and"
                + " state=\"JOB_STATE_…\" joined by AND.");
      }
    }
    return new VertexFilter(terms);
  }

  boolean test(VertexJob job, Instant now) {
    return terms.stream().allMatch(t -> t.test(job, now));
  }
}
