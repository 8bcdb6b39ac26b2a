package dev.tuning.operator.provider;

import dev.tuning.operator.http.WireMark;
import dev.tuning.operator.provider.RateBudget.Priority;
import dev.tuning.operator.provider.RateBudget.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A provider whose every call counts against its credential's {@link RateBudget}. A call over the
 * budget is not sent: it fails as {@link ErrorKind#RATE_LIMITED} with the wait, which the
 * reconciler already honours (and which says nothing was sent, so a create is not in doubt). A rate
 * limit the provider answers pauses the whole scope for every job on it.
 *
 * <p>Creates, cancels, pauses, resumes and the pages of the batched lists are {@link
 * Priority#URGENT}; reads of single jobs are routine. A list stands for every job of its scope:
 * when lists starved behind single reads, their jobs fell back to a read each and the reads starved
 * the lists further.
 */
public final class BudgetedProvider extends ForwardingProvider {

  /** The provider code of a call the budget did not let out. */
  public static final String BUDGET = "RateBudget";

  /** A refused call comes back no sooner than this: a tight budget must not mean a busy loop. */
  static final Duration MIN_WAIT = Duration.ofSeconds(5);

  /** How long a scope pauses after a 429 that did not say how long. */
  static final Duration DEFAULT_PAUSE = Duration.ofSeconds(10);

  /**
   * The longest a list waits for the budget, all its pages together, before it fails: the lists of
   * every credential are read in turn on one polling thread, so one tenant's long list must not
   * hold the others' back (its jobs are then read alone).
   */
  static final Duration MAX_LIST_WAIT = Duration.ofSeconds(5);

  @FunctionalInterface
  private interface Call<T> {
    T run() throws ProviderException;
  }

  /** How a page waits for the budget (the budget's clock decides how long). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** The longest a create whose call was taken waits for room in the window when it is sent. */
  static final Duration MAX_SEND_WAIT = Duration.ofSeconds(5);

  /** What a create's wait for room leaves of the time it has to be sent. */
  static final Duration SEND_MARGIN = Duration.ofMillis(500);

  private final RateBudget budget;
  private final Sleeper sleeper;

  public BudgetedProvider(TuningProvider delegate, RateBudget budget) {
    this(delegate, budget, d -> Thread.sleep(Math.max(1, d.toMillis())));
  }

  public BudgetedProvider(TuningProvider delegate, RateBudget budget, Sleeper sleeper) {
    super(delegate);
    this.budget = budget;
    this.sleeper = sleeper;
  }

  private <T> T call(JobContext ctx, Priority priority, Call<T> call) throws ProviderException {
    Flight flight = new Flight(scope(ctx));
    Duration wait = budget.acquire(flight.scope, priority);
    if (!wait.isZero()) {
      throw refused(wait);
    }
    flight.took();
    return sent(flight, call);
  }

  /**
   * Calls taken from a scope's window, in flight until they land: each then counts from when its
   * request went on the wire ({@link WireMark}), or when it was answered if no request was marked.
   * Used by one thread.
   */
  private final class Flight {
    final Scope scope;
    private int taken;
    private Instant wire;

    Flight(Scope scope) {
      this.scope = scope;
    }

    void took() {
      taken++;
    }

    void onWire() {
      wire = budget.now();
    }

    /** The calls taken are done: they land at their mark. */
    void land() {
      Instant at = wire != null ? wire : budget.now();
      for (; taken > 0; taken--) {
        budget.landed(scope, at);
      }
      wire = null;
    }
  }

  /**
   * Calls the budget let out: each lands when done, at the time it was sent; a rate limit met
   * pauses the whole scope.
   */
  private <T> T sent(Flight flight, Call<T> call) throws ProviderException {
    try (var marks = WireMark.listen(flight::onWire)) {
      return call.run();
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.RATE_LIMITED && !e.providerCode().orElse("").equals(BUDGET)) {
        budget.pause(flight.scope, e.retryAfter().orElse(DEFAULT_PAUSE));
      }
      throw e;
    } finally {
      flight.land();
    }
  }

  private Scope scope(JobContext ctx) {
    return new Scope(delegate.id(), delegate.rateScope(ctx));
  }

  /** A call the budget did not let out. */
  private ProviderException refused(Duration wait) {
    // The message stays the same however long the wait, so a refusal changes no status.
    return new ProviderException(
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

  /**
   * Admits the create before its intent is written ({@link RateBudget#admit}): a create held back
   * writes and sends nothing, and owes no lookup; the wait is its turn among the creates held back.
   */
  @Override
  public Duration createDelay(JobContext ctx) {
    return budget.admit(scope(ctx), ctx.resourceUid());
  }

  /**
   * A create takes its call from the window when it is sent. An admitted create whose window has no
   * room waits for it on this thread, up to {@link #MAX_SEND_WAIT} and never past the create's send
   * deadline; then it is refused, nothing sent (this process then knows no job came of it, so the
   * next attempt owes no lookup). A create not admitted is refused at once when the window is full.
   */
  @Override
  public ProviderJob create(JobContext ctx) throws ProviderException {
    Flight flight = new Flight(scope(ctx));
    boolean admitted = budget.release(flight.scope, ctx.resourceUid());
    if (!admitted) {
      return call(ctx, Priority.URGENT, () -> delegate.create(ctx));
    }
    Duration limit = MAX_SEND_WAIT;
    if (ctx.sendBy() != null) {
      Duration left = Duration.between(budget.now(), ctx.sendBy()).minus(SEND_MARGIN);
      limit = left.compareTo(limit) < 0 ? left : limit;
    }
    awaitRoom(flight, limit, new Duration[] {Duration.ZERO});
    return sent(flight, () -> delegate.create(ctx));
  }

  /**
   * Takes an urgent call from the scope's window, waiting on this thread for room; refused, nothing
   * taken, when that would make the wait longer than {@code limit} in all ({@code waited[0]}: what
   * was waited before, added to).
   */
  private void awaitRoom(Flight flight, Duration limit, Duration[] waited)
      throws ProviderException {
    Scope scope = flight.scope;
    Duration wait = budget.acquire(scope, Priority.URGENT);
    while (!wait.isZero()) {
      if (waited[0].plus(wait).compareTo(limit) > 0) {
        throw refused(wait);
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw refused(wait);
      }
      waited[0] = waited[0].plus(wait);
      wait = budget.acquire(scope, Priority.URGENT);
    }
    flight.took();
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
  public Optional<java.util.List<ProviderJob>> listActive(JobContext ctx, PageGate pages)
      throws ProviderException {
    return paged(ctx, pages, gate -> delegate.listActive(ctx, gate));
  }

  @Override
  public Optional<java.util.List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds, PageGate pages) throws ProviderException {
    return paged(ctx, pages, gate -> delegate.listTracked(ctx, jobIds, gate));
  }

  @FunctionalInterface
  private interface PagedCall<T> {
    T run(PageGate gate) throws ProviderException;
  }

  /**
   * A list whose every page is a call on the budget, before single reads (they wait while it is
   * read: {@link RateBudget#listStarted}). A list is polling's one call per interval, run on the
   * poller's own thread, so a page waits its turn (up to {@link #MAX_LIST_WAIT} for the whole list)
   * rather than failing the pages already read; a paused scope fails it at once.
   */
  private <T> T paged(JobContext ctx, PageGate outer, PagedCall<T> call) throws ProviderException {
    Flight flight = new Flight(scope(ctx));
    Duration[] waited = {Duration.ZERO};
    PageGate gate =
        new PageGate() {
          @Override
          public void beforePage() throws ProviderException {
            flight.land(); // the page before
            outer.beforePage();
            awaitRoom(flight, MAX_LIST_WAIT, waited);
          }

          @Override
          public void seen(ProviderJob job) {
            outer.seen(job);
          }
        };
    budget.listStarted(flight.scope);
    try {
      return sent(flight, () -> call.run(gate));
    } finally {
      budget.listEnded(flight.scope);
    }
  }
}
