package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.credentials.CredentialResolver;
import dev.tuning.operator.observability.JobMetrics;
import dev.tuning.operator.provider.ProviderRegistry;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;

/**
 * What the reconcile steps ({@link DecisionRunner}, {@link JobSync}, {@link JobCleanup}) share,
 * built once by {@link TuningJobReconciler}: one status writer, one backoff, one record of submit
 * attempts and one clock for all of them.
 */
record Collaborators(
    ProviderRegistry registry,
    CredentialResolver credentials,
    StatusFactory statusFactory,
    StatusWriter writer,
    RequeuePolicy requeue,
    TuningJobEvents events,
    JobMetrics metrics,
    SubmitAttempts attempts,
    BatchPoller poller,
    Clock clock) {

  /** Writes the status built from what this reconcile observed; returns the stored resource. */
  TuningJob write(TuningJob resource, Context<TuningJob> context, Observed observed) {
    return writer.write(resource, context, statusFactory.build(resource, observed));
  }
}
