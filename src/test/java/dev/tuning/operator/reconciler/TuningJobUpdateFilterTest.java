package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuningJobUpdateFilterTest {

  private final TuningJobUpdateFilter filter = new TuningJobUpdateFilter();

  private static TuningJob job() {
    TuningJob j = TuningJobs.openAi("ns", "j");
    j.getMetadata().setGeneration(1L);
    return j;
  }

  @Test
  void shouldIgnoreStatusOnlyUpdates() {
    TuningJob old = job();
    TuningJob updated = job();
    updated.setStatus(new TuningJobStatus());
    updated.getMetadata().setResourceVersion("2");
    assertThat(filter.accept(updated, old)).isFalse();
  }

  @Test
  void shouldAcceptSpecAnnotationFinalizerAndDeletionChanges() {
    TuningJob spec = job();
    spec.getMetadata().setGeneration(2L);
    assertThat(filter.accept(spec, job())).isTrue();

    TuningJob cancel = job();
    cancel.getMetadata().setAnnotations(Map.of(TuningJob.CANCEL_ANNOTATION, "true"));
    assertThat(filter.accept(cancel, job())).isTrue();

    TuningJob adopt = job();
    adopt.getMetadata().setAnnotations(Map.of(TuningJob.JOB_ID_ANNOTATION, "ftjob-1"));
    assertThat(filter.accept(adopt, job())).isTrue();

    TuningJob other = job();
    other.getMetadata().setAnnotations(Map.of("unrelated", "x"));
    assertThat(filter.accept(other, job())).isFalse();

    TuningJob finalized = job();
    finalized.getMetadata().setFinalizers(List.of(TuningJobReconciler.FINALIZER));
    assertThat(filter.accept(finalized, job())).isTrue();

    TuningJob deleted = job();
    deleted.getMetadata().setDeletionTimestamp("2026-11-23T10:00:00Z");
    assertThat(filter.accept(deleted, job())).isTrue();
  }
}
