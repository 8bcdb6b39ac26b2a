package dev.tuning.operator.reconciler;

import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.PageGate;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.TuningProvider;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched polling: for each credential scope ({@link TuningProvider#rateScope}) one provider list
 * per interval ({@link TuningProvider#listTracked}) instead of one read per job, fanned out to the
 * TuningJobs that track those jobs. It is the fetcher of a JOSDK {@link PollingEventSource}: a job
 * whose listed view changed triggers its TuningJob's reconcile, which decides from that view; a job
 * the list no longer shows triggers one too, and is read alone.
 *
 * <p>A job's view is passed on as soon as its page is read ({@link PageGate#seen}), not after the
 * last page: a list of 1,000 jobs at five calls a second takes two seconds, and ends found on its
 * first page waited for the tenth. A scope whose list failed keeps its last answer, updated with
 * what the failed list saw (an absent entry would read as "gone" and cause a read per job); the
 * reconciler uses a listed view only while it is fresh. Scopes of providers without a list are left
 * to per-job polling.
 */
final class BatchPoller implements PollingEventSource.GenericResourceFetcher<ListedJob> {

  private static final Logger log = LoggerFactory.getLogger(BatchPoller.class);

  /** A job a TuningJob follows, with the context to list it with (refreshed each reconcile). */
  record Tracked(ResourceID resource, TuningProvider provider, JobContext ctx, String jobId) {
    String scope() {
      return provider.id() + "|" + provider.rateScope(ctx);
    }
  }

  /** Where a job's listed view goes as soon as its page was read. */
  @FunctionalInterface
  interface Publisher {
    void publish(ResourceID resource, Set<ListedJob> listed);
  }

  private final Map<String, Tracked> byUid = new ConcurrentHashMap<>();
  private final Map<String, Map<ResourceID, Set<ListedJob>>> lastByScope =
      new ConcurrentHashMap<>();
  private final Clock clock;

  /** Jobs just created or adopted, by TuningJob UID, until a list of their scope is tried. */
  private final Map<String, Instant> awaitingList = new ConcurrentHashMap<>();

  /** The jobs of the lists tried and not yet passed on, with when their list's poll began. */
  private final Map<String, Instant> tried = new HashMap<>();

  BatchPoller(Clock clock) {
    this.clock = clock;
  }

  /** Follows an active job (called on every observation, so the context stays current). */
  void track(String uid, ResourceID resource, TuningProvider provider, JobContext ctx, String id) {
    byUid.put(uid, new Tracked(resource, provider, ctx, id));
  }

  /**
   * Follows a job just created or adopted: the next list of its scope shows it, so until that list
   * was tried ({@link #awaitingList}) it need not be read alone.
   */
  void trackNew(
      String uid, ResourceID resource, TuningProvider provider, JobContext ctx, String id) {
    awaitingList.put(uid, clock.instant());
    track(uid, resource, provider, ctx, id);
  }

  /**
   * Whether the job was {@link #trackNew tracked new} after {@code since} and no list of its scope
   * was tried since it was (one that failed, or that the provider does not offer, ends the wait
   * too: the job is then read alone).
   */
  boolean awaitingList(String uid, Instant since) {
    Instant at = awaitingList.get(uid);
    return at != null && at.isAfter(since) && byUid.containsKey(uid);
  }

  /** Stops following a TuningJob's job (it ended, or the TuningJob is gone). */
  void untrack(String uid) {
    awaitingList.remove(uid);
    byUid.remove(uid);
  }

  int tracked() {
    return byUid.size();
  }

  @Override
  public Map<ResourceID, Set<ListedJob>> fetchResources() {
    Map<ResourceID, Set<ListedJob>> all = fetchResources((resource, listed) -> {});
    listsPassedOn();
    return all;
  }

  /**
   * Every scope's list, each job's view passed to {@code publisher} as its page is read; the answer
   * is every view, to be passed on as a whole before {@link #listsPassedOn}.
   */
  Map<ResourceID, Set<ListedJob>> fetchResources(Publisher publisher) {
    // Before the jobs are grouped: a job tracked after this is not in these lists.
    Instant started = clock.instant();
    Map<String, List<Tracked>> byScope =
        byUid.values().stream()
            .collect(
                Collectors.groupingBy(Tracked::scope, LinkedHashMap::new, Collectors.toList()));
    lastByScope.keySet().retainAll(byScope.keySet());
    Map<ResourceID, Set<ListedJob>> result = new HashMap<>();
    for (var entry : byScope.entrySet()) {
      result.putAll(fetch(entry.getKey(), entry.getValue(), started, publisher));
    }
    return result;
  }

  /**
   * The lists {@link #fetchResources(Publisher)} tried were passed on: the jobs in them no longer
   * wait for a list, shown or not (not before: a reconcile in between would read them alone).
   */
  void listsPassedOn() {
    Set<String> uids;
    synchronized (tried) {
      uids = Set.copyOf(tried.keySet());
      uids.forEach(
          uid ->
              awaitingList.computeIfPresent(uid, (u, at) -> at.isBefore(tried.get(u)) ? null : at));
      tried.clear();
    }
  }

  private Map<ResourceID, Set<ListedJob>> fetch(
      String scope, List<Tracked> group, Instant polled, Publisher publisher) {
    Tracked any = group.get(0);
    Map<String, Tracked> byJob = new HashMap<>();
    group.forEach(t -> byJob.putIfAbsent(t.jobId(), t));
    // When the list began: it shows nothing older, and maybe nothing newer.
    Instant started = clock.instant();
    synchronized (tried) {
      group.forEach(t -> tried.put(t.ctx().resourceUid(), polled));
    }
    Map<ResourceID, Set<ListedJob>> entries = new HashMap<>();
    PageGate gate =
        new PageGate() {
          @Override
          public void beforePage() {}

          @Override
          public void seen(ProviderJob job) {
            Tracked t = byJob.get(job.id());
            if (t != null) {
              Set<ListedJob> view = Set.of(new ListedJob(job, started));
              entries.put(t.resource(), view);
              publisher.publish(t.resource(), view);
            }
          }
        };
    try {
      Optional<List<ProviderJob>> listed =
          any.provider().listTracked(any.ctx(), byJob.keySet(), gate);
      if (listed.isEmpty()) {
        return Map.of();
      }
      for (ProviderJob job : listed.get()) {
        Tracked t = byJob.get(job.id());
        if (t != null && !entries.containsKey(t.resource())) { // a list that did not tell
          entries.put(t.resource(), Set.of(new ListedJob(job, started)));
        }
      }
      lastByScope.put(scope, entries);
      return entries;
    } catch (Exception e) {
      log.atDebug().addKeyValue("provider", any.provider().id()).log("batched list failed: {}", e);
      // What the failed list saw before it failed is newer than the last answer.
      Map<ResourceID, Set<ListedJob>> kept =
          new HashMap<>(lastByScope.getOrDefault(scope, Map.of()));
      kept.putAll(entries);
      lastByScope.put(scope, kept);
      return kept;
    }
  }
}
