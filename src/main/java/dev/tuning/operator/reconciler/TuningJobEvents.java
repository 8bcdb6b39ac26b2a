package dev.tuning.operator.reconciler;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events (core/v1) on TuningJobs, as {@code kubectl describe} shows them. Best
 * effort: a failed Event write is logged, never fails a reconcile. Every reason is a {@link
 * Reason}; messages are built by the reconciler from sanitized text only.
 *
 * <p>Events are written in order on one thread of their own, as client-go's recorder does, so a
 * reconcile's status write does not wait for its Event: when a list found 260 jobs ended, each
 * reconcile wrote an Event and then its status, and the statuses queued behind the Events on the
 * API server (two writes per end, 3.5 s for the last status). At most {@link #MAX_QUEUED} wait;
 * more are dropped (logged), never blocking a reconcile. {@link #close} writes what is queued, for
 * up to {@link #FLUSH}.
 */
public class TuningJobEvents implements AutoCloseable {

  /** Events waiting to be written before new ones are dropped. */
  static final int MAX_QUEUED = 1_000;

  /** How long {@link #close} waits for the queued Events. */
  static final Duration FLUSH = Duration.ofSeconds(5);

  public static final String COMPONENT = "tuning-operator";
  private static final Logger log = LoggerFactory.getLogger(TuningJobEvents.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final int MAX_NAME = 253;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Executor writer;

  public TuningJobEvents(KubernetesClient client, Clock clock, String instance) {
    this(client, clock, instance, newWriter());
  }

  /**
   * @param writer where the Event writes run, in order
   */
  TuningJobEvents(KubernetesClient client, Clock clock, String instance, Executor writer) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.writer = writer;
  }

  private static ExecutorService newWriter() {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(MAX_QUEUED),
        r -> {
          Thread t = new Thread(r, "tuning-events");
          t.setDaemon(true);
          return t;
        });
  }

  /** Writes the Events queued (up to {@link #FLUSH}) and stops the writer. */
  @Override
  public void close() {
    if (writer instanceof ExecutorService service) {
      service.shutdown();
      try {
        if (!service.awaitTermination(FLUSH.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("{} Events not written at shutdown", service.shutdownNow().size());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        service.shutdownNow();
      }
    }
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
      writer.execute(() -> write(event));
    } catch (RejectedExecutionException e) {
      log.debug(
          "Event {} on {} dropped: {} Events waiting, or stopping",
          reason.value(),
          meta.getName(),
          MAX_QUEUED);
    }
  }

  private void write(io.fabric8.kubernetes.api.model.Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (RuntimeException e) {
      log.debug(
          "Could not record Event {} on {}: {}",
          event.getReason(),
          event.getInvolvedObject().getName(),
          e.getMessage());
    }
  }
}
