package dev.tuning.operator;

import static org.awaitility.Awaitility.await;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/** What reconciler tests do with TuningJobs in one namespace: apply, edit, wait, read status. */
public abstract class TuningJobTestSupport {

  protected static final Duration WAIT = Duration.ofSeconds(45);

  protected abstract KubernetesClient client();

  protected abstract String namespace();

  protected NonNamespaceOperation<TuningJob, KubernetesResourceList<TuningJob>, Resource<TuningJob>>
      tuningJobs() {
    return client().resources(TuningJob.class).inNamespace(namespace());
  }

  protected void apply(TuningJob job) {
    tuningJobs().resource(job).create();
  }

  protected void setSuspend(String name, boolean value) {
    tuningJobs()
        .withName(name)
        .edit(
            j -> {
              j.getSpec().setSuspend(value);
              return j;
            });
  }

  protected void annotateCancel(String name) {
    tuningJobs()
        .withName(name)
        .edit(
            j -> {
              var annotations =
                  j.getMetadata().getAnnotations() == null
                      ? new HashMap<String, String>()
                      : new HashMap<>(j.getMetadata().getAnnotations());
              annotations.put(TuningJob.CANCEL_ANNOTATION, "true");
              j.getMetadata().setAnnotations(annotations);
              return j;
            });
  }

  protected Optional<TuningJob> get(String name) {
    return Optional.ofNullable(tuningJobs().withName(name).get());
  }

  protected Phase phaseOf(String name) {
    return get(name).map(j -> j.getStatus() == null ? null : j.getStatus().getPhase()).orElse(null);
  }

  protected TuningJob awaitPhase(String name, Phase phase) {
    await().atMost(WAIT).until(() -> phaseOf(name) == phase);
    return get(name).orElseThrow();
  }

  protected static Condition condition(TuningJob job, String type) {
    return job.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  protected static String reason(TuningJob job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return "";
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(Condition::getReason)
        .findFirst()
        .orElse("");
  }

  protected List<Event> events(String name) {
    return client().v1().events().inNamespace(namespace()).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /**
   * Waits until the resource's Events include {@code reasons}: an Event follows the status write it
   * reports, so a test that has just seen a phase must not race it.
   */
  protected void awaitEventReasons(String name, String... reasons) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> org.assertj.core.api.Assertions.assertThat(eventReasons(name)).contains(reasons));
  }

  /** Waits until the resource's Events satisfy {@code assertion}. */
  protected void awaitEvents(String name, java.util.function.Consumer<List<Event>> assertion) {
    await().atMost(WAIT).untilAsserted(() -> assertion.accept(events(name)));
  }

  protected List<String> eventReasons(String name) {
    return events(name).stream().map(Event::getReason).toList();
  }
}
