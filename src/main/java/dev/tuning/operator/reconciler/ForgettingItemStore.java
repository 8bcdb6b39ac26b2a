package dev.tuning.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The informer's cache of TuningJobs, which tells the operator when a resource leaves its view.
 *
 * <p>The operator keeps per-resource memory (backoff, the last credential, submit attempts, metric
 * gauges). Normal deletion clears it in cleanup, but a resource can also vanish without cleanup:
 * its finalizer removed by hand, its labels moved out of the operator's selector, a relist after a
 * missed delete. Every one of those ends in the informer removing the object from this store (or
 * replacing it with a new object of the same name), so this is the one place that sees them all.
 * {@code onGone} receives the UID; it must be cheap and must not block.
 *
 * <p>It also keeps only what the reconciler reads: {@code metadata.managedFields} and kubectl's
 * {@code last-applied-configuration} annotation (a second copy of the spec) are dropped before an
 * object is stored, which is most of a small TuningJob's size in the cache (issue "Scale", memory).
 */
public final class ForgettingItemStore<R extends HasMetadata> implements ItemStore<R> {

  private final BasicItemStore<R> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final Consumer<String> onGone;

  public ForgettingItemStore(Consumer<String> onGone) {
    this.onGone = Objects.requireNonNull(onGone, "onGone");
  }

  @Override
  public String getKey(R obj) {
    return delegate.getKey(obj);
  }

  /** kubectl's copy of the last applied object: never read by the operator. */
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @Override
  public R put(String key, R obj) {
    slim(obj);
    R previous = delegate.put(key, obj);
    // Deleted and re-created under the same name between two observations: the old one is gone.
    if (previous != null && !Objects.equals(uid(previous), uid(obj))) {
      forget(previous);
    }
    return previous;
  }

  @Override
  public R remove(String key) {
    R removed = delegate.remove(key);
    if (removed != null) {
      forget(removed);
    }
    return removed;
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<R> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public R get(String key) {
    return delegate.get(key);
  }

  /** Drops what only the API server's bookkeeping and kubectl need. */
  static void slim(HasMetadata obj) {
    var meta = obj.getMetadata();
    if (meta == null) {
      return;
    }
    meta.setManagedFields(null);
    if (meta.getAnnotations() != null && meta.getAnnotations().containsKey(LAST_APPLIED)) {
      var annotations = new java.util.LinkedHashMap<>(meta.getAnnotations());
      annotations.remove(LAST_APPLIED);
      meta.setAnnotations(annotations);
    }
  }

  private void forget(R gone) {
    String uid = uid(gone);
    if (uid != null) {
      onGone.accept(uid);
    }
  }

  private static String uid(HasMetadata obj) {
    return obj.getMetadata() == null ? null : obj.getMetadata().getUid();
  }
}
