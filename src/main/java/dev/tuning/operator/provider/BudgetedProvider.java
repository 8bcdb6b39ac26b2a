package dev.tuning.operator.provider;

import dev.tuning.operator.provider.RateBudget.Priority;
import dev.tuning.operator.provider.RateBudget.Scope;
import java.time.Duration;
import java.util.Optional;

/**
 * A provider whose every call counts against its credential's {@link RateBudget}. A call over the
 * budget is not sent: it fails as {@link ErrorKind#RATE_LIMITED} with the wait, which the
 * reconciler already honours (and which says nothing was sent, so a create is not in doubt). A rate
 * limit the provider answers pauses the whole scope for every job on it.
 *
 * <p>Creates, cancels, pauses and resumes are {@link Priority#URGENT}; reads are routine.
 */
public final class BudgetedProvider extends ForwardingProvider {

  /** The provider code of a call the budget did not let out. */
  public static final String BUDGET = "RateBudget";

  /** A refused call comes back no sooner than this: a tight budget must not mean a busy loop. */
  static final Duration MIN_WAIT = Duration.ofSeconds(5);

  /** How long a scope pauses after a 429 that did not say how long. */
  static final Duration DEFAULT_PAUSE = Duration.ofSeconds(10);

  @FunctionalInterface
  private interface Call<T> {
    T run() throws ProviderException;
  }

  private final RateBudget budget;

  public BudgetedProvider(TuningProvider delegate, RateBudget budget) {
    super(delegate);
    this.budget = budget;
  }

  private <T> T call(JobContext ctx, Priority priority, Call<T> call) throws ProviderException {
    Scope scope = new Scope(delegate.id(), delegate.rateScope(ctx));
    Duration wait = budget.acquire(scope, priority);
    if (!wait.isZero()) {
      // The message stays the same however long the wait, so a refusal changes no status.
      throw new ProviderException(
          ErrorKind.RATE_LIMITED,
          delegate.id()
              + ": this credential's calls are paused or over the operator's rate budget; nothing"
              + " was sent",
          BUDGET,
          null,
          wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait,
          null,
          null);
    }
    try {
      return call.run();
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.RATE_LIMITED) {
        budget.pause(scope, e.retryAfter().orElse(DEFAULT_PAUSE));
      }
      throw e;
    }
  }

  @Override
  public ProviderJob create(JobContext ctx) throws ProviderException {
    return call(ctx, Priority.URGENT, () -> delegate.create(ctx));
  }

  @Override
  public ProviderJob get(JobContext ctx, String jobId) throws ProviderException {
    return call(ctx, Priority.ROUTINE, () -> delegate.get(ctx, jobId));
  }

  @Override
  public Optional<ProviderJob> findByTag(JobContext ctx) throws ProviderException {
    return call(ctx, Priority.URGENT, () -> delegate.findByTag(ctx));
  }

  @Override
  public ProviderJob cancel(JobContext ctx, String jobId) throws ProviderException {
    return call(ctx, Priority.URGENT, () -> delegate.cancel(ctx, jobId));
  }

  @Override
  public ProviderJob pause(JobContext ctx, String jobId) throws ProviderException {
    return call(ctx, Priority.URGENT, () -> delegate.pause(ctx, jobId));
  }

  @Override
  public ProviderJob resume(JobContext ctx, String jobId) throws ProviderException {
    return call(ctx, Priority.URGENT, () -> delegate.resume(ctx, jobId));
  }

  @Override
  public Optional<ProviderJob.Progress> progress(JobContext ctx, String jobId)
      throws ProviderException {
    return call(ctx, Priority.ROUTINE, () -> delegate.progress(ctx, jobId));
  }

  @Override
  public Optional<java.util.List<ProviderJob>> listActive(JobContext ctx) throws ProviderException {
    return call(ctx, Priority.ROUTINE, () -> delegate.listActive(ctx));
  }

  @Override
  public Optional<java.util.List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds) throws ProviderException {
    return call(ctx, Priority.ROUTINE, () -> delegate.listTracked(ctx, jobIds));
  }
}
