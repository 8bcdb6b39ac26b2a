package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForgettingItemStoreTest {

  private final List<String> forgotten = new ArrayList<>();
  private final ForgettingItemStore<TuningJob> store = new ForgettingItemStore<>(forgotten::add);

  @Test
  void shouldForgetAResourceTheInformerRemoves() {
    TuningJob job = job("a", "uid-1");
    store.put(store.getKey(job), job);
    store.put(store.getKey(job), job(job.getMetadata().getName(), "uid-1"));

    assertThat(forgotten).as("an update of the same resource is not a removal").isEmpty();
    assertThat(store.remove(store.getKey(job))).isNotNull();
    assertThat(forgotten).containsExactly("uid-1");
    assertThat(store.remove(store.getKey(job))).isNull();
    assertThat(forgotten).containsExactly("uid-1");
    assertThat(store.size()).isZero();
  }

  @Test
  void shouldForgetTheOldResourceWhenANewOneTakesItsName() {
    store.put("ml/a", job("a", "uid-old"));
    store.put("ml/a", job("a", "uid-new"));

    assertThat(forgotten).containsExactly("uid-old");
    assertThat(store.get("ml/a").getMetadata().getUid()).isEqualTo("uid-new");
    assertThat(store.keySet()).containsExactly("ml/a");
  }

  /** The cache keeps what the reconciler reads, not the API server's or kubectl's bookkeeping. */
  @Test
  void shouldDropManagedFieldsAndTheLastAppliedCopy() {
    TuningJob job = job("a", "uid-1");
    job.getMetadata()
        .setManagedFields(
            List.of(
                new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withOperation("Apply")
                    .build()));
    job.getMetadata()
        .setAnnotations(
            java.util.Map.of(
                ForgettingItemStore.LAST_APPLIED, "{\"spec\":{}}",
                TuningJob.CANCEL_ANNOTATION, "true"));

    store.put("ml/a", job);

    TuningJob cached = store.get("ml/a");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations())
        .containsOnlyKeys(TuningJob.CANCEL_ANNOTATION)
        .containsEntry(TuningJob.CANCEL_ANNOTATION, "true");
  }

  private static TuningJob job(String name, String uid) {
    TuningJob job = TuningJobs.openAi("ml", name);
    job.getMetadata().setUid(uid);
    return job;
  }
}
