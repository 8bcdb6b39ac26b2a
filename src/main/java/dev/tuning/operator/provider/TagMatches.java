package dev.tuning.operator.provider;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one adoption policy for jobs found by the TuningJob's tag, shared by every provider. There
 * should be at most one; if a provider shows more (a duplicate made before this operator's
 * guarantees, or by hand), adopt the one still active, so it stays managed and cancellable, and
 * among those the oldest, the one a create this operator recorded would have been.
 */
public final class TagMatches {

  private static final Logger log = LoggerFactory.getLogger(TagMatches.class);

  private TagMatches() {}

  public static Optional<ProviderJob> choose(String provider, List<ProviderJob> matches) {
    if (matches.size() > 1) {
      log.atWarn()
          .addKeyValue("provider", provider)
          .addKeyValue("operation", "list")
          .log(
              "{} jobs carry this TuningJob's tag ({}); adopting the oldest active one",
              matches.size(),
              matches.stream().map(ProviderJob::id).toList());
    }
    return matches.stream()
        .min(
            Comparator.comparing((ProviderJob j) -> j.state().isTerminal())
                .thenComparing(j -> j.createTime() == null ? Instant.MAX : j.createTime()));
  }
}
