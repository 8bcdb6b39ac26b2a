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
 * <p>A scope whose list failed keeps its last answer (an absent entry would read as "gone" and
 * cause a read per job); the reconciler uses a listed view only while it is fresh. Scopes of
 * providers without a list are left to per-job polling.
 */
final class BatchPoller implements PollingEventSource.GenericResourceFetcher<ListedJob> {

  private static final Logger log = LoggerFactory.getLogger(BatchPoller.class);

  /** A job a TuningJob follows, with the context to list it with (refreshed each reconcile). */
  record Tracked(ResourceID resource, TuningProvider provider, JobContext ctx, String jobId) {
    String scope() {
      return provider.id() + "|" + provider.rateScope(ctx);
    }
  }

  private final Map<String, Tracked> byUid = new ConcurrentHashMap<>();
  private final Map<String, Map<ResourceID, Set<ListedJob>>> lastByScope =
      new ConcurrentHashMap<>();
  private final Clock clock;

  /** Jobs just created or adopted, by TuningJob UID, until a list of their scope is tried. */
  private final Map<String, Instant> awaitingList = new ConcurrentHashMap<>();

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
    // Before the jobs are grouped: a job tracked after this is not in these lists.
    Instant started = clock.instant();
    Map<String, List<Tracked>> byScope =
        byUid.values().stream()
            .collect(
                Collectors.groupingBy(Tracked::scope, LinkedHashMap::new, Collectors.toList()));
    lastByScope.keySet().retainAll(byScope.keySet());
    Map<ResourceID, Set<ListedJob>> result = new HashMap<>();
    for (var entry : byScope.entrySet()) {
      result.putAll(fetch(entry.getKey(), entry.getValue(), started));
    }
    return result;
  }

  private Map<ResourceID, Set<ListedJob>> fetch(String scope, List<Tracked> group, Instant polled) {
    Tracked any = group.get(0);
    Map<String, Tracked> byJob = new HashMap<>();
    group.forEach(t -> byJob.putIfAbsent(t.jobId(), t));
    // When the list began: it shows nothing older, and maybe nothing newer.
    Instant started = clock.instant();
    for (Tracked t : group) {
      // Tried: shown or not, the jobs in it no longer wait for a list.
      awaitingList.computeIfPresent(
          t.ctx().resourceUid(), (uid, at) -> at.isBefore(polled) ? null : at);
    }
    try {
      Optional<List<ProviderJob>> listed =
          any.provider().listTracked(any.ctx(), byJob.keySet(), PageGate.OPEN);
      if (listed.isEmpty()) {
        return Map.of();
      }
      Map<ResourceID, Set<ListedJob>> entries = new HashMap<>();
      for (ProviderJob job : listed.get()) {
        Tracked t = byJob.get(job.id());
        if (t != null) {
          entries.put(t.resource(), Set.of(new ListedJob(job, started)));
        }
      }
      lastByScope.put(scope, entries);
      return entries;
    } catch (Exception e) {
      log.atDebug().addKeyValue("provider", any.provider().id()).log("batched list failed: {}", e);
      return lastByScope.getOrDefault(scope, Map.of());
    }
  }
}
