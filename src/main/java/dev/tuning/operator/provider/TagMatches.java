package dev.tuning.operator.provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tag search and adoption policy shared by every provider ({@link TuningProvider#findByTag}).
 *
 * <p>The search pages through a provider's list until its last page. A lookup that could not see
 * everything (a repeated page cursor, more pages than the bound) is an error, never "no job": a
 * partial answer could lead to a duplicate create.
 *
 * <p>There should be at most one match; if a provider shows more (a duplicate made before this
 * operator's guarantees, or by hand), the one still active is adopted, so it stays managed and
 * cancellable, and among those the oldest, the one a create this operator recorded would have been.
 */
public final class TagMatches {

  /** One page of a provider's list: the jobs on it that carry the tag, and the next cursor. */
  public record Page(List<ProviderJob> matches, String next) {}

  /** Reads the page at {@code cursor} (null: the first), matching the tag client-side. */
  @FunctionalInterface
  public interface PageReader {
    Page read(String cursor) throws ProviderException;
  }

  private static final Logger log = LoggerFactory.getLogger(TagMatches.class);

  private TagMatches() {}

  /** Every match across all pages, then {@link #choose}; fails on an incomplete list. */
  public static Optional<ProviderJob> search(String provider, int maxPages, PageReader reader)
      throws ProviderException {
    List<ProviderJob> matches = new ArrayList<>();
    Set<String> cursors = new HashSet<>();
    String cursor = null;
    for (int page = 0; page < maxPages; page++) {
      Page p = reader.read(cursor);
      matches.addAll(p.matches());
      cursor = p.next();
      if (cursor == null || cursor.isEmpty()) {
        return choose(provider, matches);
      }
      if (!cursors.add(cursor)) {
        throw incomplete(provider, "the list repeated a page cursor");
      }
    }
    throw incomplete(provider, "the list did not end within " + maxPages + " pages");
  }

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

  /** The error for a list that could not be read whole. */
  public static ProviderException incomplete(String provider, String why) {
    return new ProviderException(
        ErrorKind.TRANSIENT,
        provider
            + " job list incomplete ("
            + why
            + "); cannot tell whether a job for this TuningJob exists, so none is created");
  }
}
