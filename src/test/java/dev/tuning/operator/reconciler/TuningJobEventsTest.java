package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class TuningJobEventsTest {

  KubernetesClient client;

  /**
   * A reconcile does not wait for its Event: the write runs on the recorder's own thread. When a
   * list found 260 jobs ended, each reconcile wrote its Event before its status could be written,
   * and the last status came 3.5 s after the list.
   */
  @Test
  void shouldNotHoldTheCallerWhileItsEventIsWritten() {
    List<Runnable> writes = new ArrayList<>();
    var events = new TuningJobEvents(client, Clock.systemUTC(), "test", writes::add);
    var job = TuningJobs.openAi("ml", "support-bot");
    job.getMetadata().setUid("uid-1");

    events.normal(job, Reason.PHASE_SUCCEEDED, "Phase Running -> Succeeded");

    assertThat(client.v1().events().inNamespace("ml").list().getItems()).isEmpty();
    assertThat(writes).hasSize(1);
    writes.get(0).run();
    assertThat(client.v1().events().inNamespace("ml").list().getItems())
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).isEqualTo("Succeeded"));
  }

  /** Stopping writes every Event still queued, in the order recorded. */
  @Test
  void shouldWriteTheQueuedEventsWhenClosed() {
    var job = TuningJobs.openAi("ml", "support-bot");
    job.getMetadata().setUid("uid-1");
    try (var events = new TuningJobEvents(client, Clock.systemUTC(), "test")) {
      for (int i = 0; i < 50; i++) {
        events.normal(job, Reason.PHASE_RUNNING, "event " + i);
      }
    }
    assertThat(client.v1().events().inNamespace("ml").list().getItems()).hasSize(50);
  }

  /** A DNS-1123 subdomain, the format of Event names. */
  private static final String SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  @Test
  void shouldKeepEventNamesOfTheLongestResourceNamesWithinTheLimit() {
    String longest = "a".repeat(250) + ".b-c";
    String suffix = "18d0c4a2f3b" + "1f";

    String name = TuningJobEvents.eventName(longest, suffix);

    assertThat(name).hasSizeLessThanOrEqualTo(253).endsWith("." + suffix).matches(SUBDOMAIN);
  }

  @Test
  void shouldNeverLeaveADotOrDashBeforeTheSuffix() {
    // The cut (253 - 1 - 5 = 247 characters) falls right after ".-".
    String name = TuningJobEvents.eventName("x".repeat(245) + ".-" + "y".repeat(6), "abc12");

    assertThat(name).isEqualTo("x".repeat(245) + ".abc12").matches(SUBDOMAIN);
  }

  @Test
  void shouldKeepShortNamesWhole() {
    assertThat(TuningJobEvents.eventName("support-bot", "1f")).isEqualTo("support-bot.1f");
  }
}
