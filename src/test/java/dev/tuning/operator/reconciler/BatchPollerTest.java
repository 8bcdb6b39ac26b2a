package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TestClock;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ForwardingProvider;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.PageGate;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.fake.FakeTuningProvider;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The batched poller on its own: what it passes on, and when. */
class BatchPollerTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  private final FakeTuningProvider fake =
      new FakeTuningProvider("openai").holdRunning().lists(true);

  /** How many views were passed on when each page was asked for. */
  private final List<Integer> passedOnAtPage = new ArrayList<>();

  private final List<ResourceID> passedOn = new ArrayList<>();

  /** Fails the list at its n-th page (from 1), when set. */
  private int failAtPage;

  private final ForwardingProvider provider =
      new ForwardingProvider(fake) {
        @Override
        public Optional<List<ProviderJob>> listTracked(
            JobContext ctx, Set<String> jobIds, PageGate pages) throws ProviderException {
          return delegate.listTracked(
              ctx,
              jobIds,
              new PageGate() {
                @Override
                public void beforePage() throws ProviderException {
                  passedOnAtPage.add(passedOn.size());
                  if (passedOnAtPage.size() == failAtPage) {
                    throw new ProviderException(ErrorKind.TRANSIENT, "page failed");
                  }
                  pages.beforePage();
                }

                @Override
                public void seen(ProviderJob job) {
                  pages.seen(job);
                }
              });
        }
      };

  private final BatchPoller poller = new BatchPoller(clock);

  private List<String> track(int jobs, boolean asNew) throws ProviderException {
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      String uid = "uid-" + i;
      JobContext ctx =
          new JobContext(
              uid,
              "ml",
              "j-" + i,
              fake.prepare(TuningJobs.openAi("ml", "j-" + i).getSpec()),
              Credential.fromJobSecret(
                  "sk-one".getBytes(StandardCharsets.UTF_8), "ml/openai/apiKey"));
      String id = fake.create(ctx).id();
      var resource = new ResourceID("j-" + i, "ml");
      if (asNew) {
        poller.trackNew(uid, resource, provider, ctx, id);
      } else {
        poller.track(uid, resource, provider, ctx, id);
      }
      uids.add(uid);
    }
    return uids;
  }

  /**
   * A job's view is passed on when its page is read, not after the last page: ends found on the
   * first of ten pages used to wait two seconds at five calls a second for the tenth.
   */
  @Test
  void shouldPassEachViewOnAsItsPageIsRead() throws Exception {
    track(FakeTuningProvider.LIST_PAGE + 1, false);

    Map<ResourceID, Set<ListedJob>> all =
        poller.fetchResources((resource, listed) -> passedOn.add(resource));

    assertThat(passedOnAtPage)
        .as("views passed on before each page")
        .containsExactly(0, FakeTuningProvider.LIST_PAGE);
    assertThat(all).hasSize(FakeTuningProvider.LIST_PAGE + 1);
    assertThat(Set.copyOf(passedOn)).isEqualTo(all.keySet());
  }

  /**
   * A list that fails on a later page keeps what its earlier pages saw, over the last whole answer
   * (which is older), and the last answer for the rest.
   */
  @Test
  void shouldKeepWhatAFailedListSawBeforeItFailed() throws Exception {
    track(FakeTuningProvider.LIST_PAGE + 1, false);
    Map<ResourceID, Set<ListedJob>> first = poller.fetchResources((r, l) -> {});
    clock.advance(java.time.Duration.ofSeconds(60));

    failAtPage = 4; // the second list's second page
    Map<ResourceID, Set<ListedJob>> kept = poller.fetchResources((r, l) -> {});

    assertThat(kept).hasSize(first.size());
    Instant second = clock.instant();
    long newer =
        kept.values().stream().filter(v -> v.iterator().next().listedAt().equals(second)).count();
    assertThat(newer)
        .as("views the failed list's first page read")
        .isEqualTo(FakeTuningProvider.LIST_PAGE);
  }

  /**
   * Jobs just tracked wait for their scope's list until it was passed on, not merely begun: a
   * reconcile between the two found the job neither waiting nor listed and read it alone.
   */
  @Test
  void shouldKeepANewJobWaitingUntilItsListWasPassedOn() throws Exception {
    List<String> uids = track(2, true);
    Instant since = clock.instant().minusSeconds(60);
    clock.advance(java.time.Duration.ofMillis(1));

    poller.fetchResources((resource, listed) -> passedOn.add(resource));
    assertThat(passedOn).hasSize(2);
    assertThat(poller.awaitingList(uids.get(0), since))
        .as("listed, the answer not yet passed on as a whole")
        .isTrue();

    poller.listsPassedOn();
    assertThat(poller.awaitingList(uids.get(0), since)).isFalse();
    assertThat(poller.awaitingList(uids.get(1), since)).isFalse();
  }
}
