package dev.tuning.operator.provider;

/**
 * Asked by a provider before each request of a multi-page list ({@link TuningProvider#listActive},
 * {@link TuningProvider#listTracked}), so every page counts against the credential's {@link
 * RateBudget}, not just the first: a list of 1,000 jobs is ten requests. It returns when the page
 * may be fetched, or throws (nothing is sent, the list fails as a whole). Told of each job asked
 * for as its page is read ({@link #seen}).
 */
@FunctionalInterface
public interface PageGate {

  /** Lets every page go: for callers outside any budget (tests, tools). */
  PageGate OPEN = () -> {};

  /** Returns when the next page may be requested; throws when it may not be, now or soon. */
  void beforePage() throws ProviderException;

  /**
   * {@link TuningProvider#listTracked} found {@code job}, one of those asked for, on the page just
   * read: batched polling passes its view on at once rather than after the last page (ten pages at
   * five calls a second take two seconds). A list that then fails still fails as a whole.
   */
  default void seen(ProviderJob job) {}
}
