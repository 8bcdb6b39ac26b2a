package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events (core/v1) on TuningJobs, as {@code kubectl describe} shows them. Best
 * effort: a failed Event write is logged, never fails a reconcile. Every reason is a {@link
 * Reason}; messages are built by the reconciler from sanitized text only.
 */
public class TuningJobEvents {

  public static final String COMPONENT = "tuning-operator";
  private static final Logger log = LoggerFactory.getLogger(TuningJobEvents.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final int MAX_NAME = 253;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public TuningJobEvents(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void normal(TuningJob job, Reason reason, String message) {
    record(job, "Normal", reason, message);
  }

  public void warning(TuningJob job, Reason reason, String message) {
    record(job, "Warning", reason, message);
  }

  /**
   * {@code <resource>.<suffix>} within Kubernetes' 253-character name limit: a long resource name
   * (up to 253 itself) is shortened, and never left ending in '.' or '-'.
   */
  static String eventName(String resourceName, String suffix) {
    int room = MAX_NAME - suffix.length() - 1;
    String prefix = resourceName.length() <= room ? resourceName : resourceName.substring(0, room);
    prefix = prefix.replaceAll("[.-]+$", "");
    return prefix + "." + suffix;
  }

  private void record(TuningJob job, String type, Reason reason, String message) {
    var meta = job.getMetadata();
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String name =
        eventName(
            meta.getName(),
            Long.toHexString(clock.millis()) + Long.toHexString(SEQUENCE.incrementAndGet()));
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(job.getApiVersion())
                    .withKind(job.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason.value())
            .withMessage(StatusFactory.truncate(message))
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent("tuning.dev/" + COMPONENT)
            .withReportingInstance(instance)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (RuntimeException e) {
      log.debug(
          "Could not record Event {} on {}: {}", reason.value(), meta.getName(), e.getMessage());
    }
  }
}
