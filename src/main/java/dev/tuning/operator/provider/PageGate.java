package dev.tuning.operator.provider;

/**
 * Asked by a provider before each request of a multi-page list ({@link TuningProvider#listActive},
 * {@link TuningProvider#listTracked}), so every page counts against the credential's {@link
 * RateBudget}, not just the first: a list of 1,000 jobs is ten requests. It returns when the page
 * may be fetched, or throws (nothing is sent, the list fails as a whole).
 */
@FunctionalInterface
public interface PageGate {

  /** Lets every page go: for callers outside any budget (tests, tools). */
  PageGate OPEN = () -> {};

  /** Returns when the next page may be requested; throws when it may not be, now or soon. */
  void beforePage() throws ProviderException;
}
