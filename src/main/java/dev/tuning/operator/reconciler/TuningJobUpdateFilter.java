package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a TuningJob start a reconcile: a spec change (new generation), a change of the
 * operator's annotations ({@code tuning.dev/cancel-requested}, {@code tuning.dev/job-id}, {@code
 * tuning.dev/reconcile-requested-at}), finalizer changes and deletion. Not the operator's own
 * status writes, which would otherwise cause a provider read after every status update; polling
 * covers the rest.
 */
public class TuningJobUpdateFilter implements OnUpdateFilter<TuningJob> {

  @Override
  public boolean accept(TuningJob updated, TuningJob old) {
    var n = updated.getMetadata();
    var o = old.getMetadata();
    return !Objects.equals(n.getGeneration(), o.getGeneration())
        || !Objects.equals(
            annotation(n.getAnnotations(), TuningJob.CANCEL_ANNOTATION),
            annotation(o.getAnnotations(), TuningJob.CANCEL_ANNOTATION))
        || !Objects.equals(
            annotation(n.getAnnotations(), TuningJob.JOB_ID_ANNOTATION),
            annotation(o.getAnnotations(), TuningJob.JOB_ID_ANNOTATION))
        || !Objects.equals(
            annotation(n.getAnnotations(), TuningJob.RECONCILE_REQUESTED_AT),
            annotation(o.getAnnotations(), TuningJob.RECONCILE_REQUESTED_AT))
        || !Objects.equals(n.getFinalizers(), o.getFinalizers())
        || (n.getDeletionTimestamp() != null && o.getDeletionTimestamp() == null);
  }

  private static String annotation(Map<String, String> annotations, String key) {
    return annotations == null ? null : annotations.get(key);
  }
}
