package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.provider.ErrorKind;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequeuePolicyTest {

  private final RequeuePolicy policy =
      new RequeuePolicy(RequeuePolicy.Intervals.defaults(), new Random(1));

  @Test
  void shouldPollByPhaseWithJitterAndNeverPollTerminalPhases() {
    assertThat(policy.forPhase(Phase.Running).orElseThrow())
        .isBetween(Duration.ofSeconds(54), Duration.ofSeconds(66));
    assertThat(policy.forPhase(Phase.Queued).orElseThrow())
        .isBetween(Duration.ofMillis(13_500), Duration.ofMillis(16_500));
    assertThat(policy.forPhase(Phase.Cancelling).orElseThrow())
        .isBetween(Duration.ofSeconds(9), Duration.ofSeconds(11));
    assertThat(policy.forPhase(Phase.Succeeded)).isEmpty();
    assertThat(policy.forPhase(Phase.Failed)).isEmpty();
    assertThat(policy.forPhase(Phase.Cancelled)).isEmpty();
  }

  @Test
  void shouldBackOffExponentiallyUpToTheCapAndResetOnSuccess() {
    Duration first = policy.afterError("u", ErrorKind.TRANSIENT, Optional.empty());
    Duration second = policy.afterError("u", ErrorKind.TRANSIENT, Optional.empty());
    Duration third = policy.afterError("u", ErrorKind.TRANSIENT, Optional.empty());
    assertThat(first).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_500));
    assertThat(second).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
    assertThat(third).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(22));
    for (int i = 0; i < 20; i++) {
      policy.afterError("u", ErrorKind.TRANSIENT, Optional.empty());
    }
    assertThat(policy.afterError("u", ErrorKind.TRANSIENT, Optional.empty()))
        .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(6));
    policy.reset("u");
    assertThat(policy.afterError("u", ErrorKind.TRANSIENT, Optional.empty()))
        .isLessThan(Duration.ofMillis(5_500));
  }

  @Test
  void shouldHonourRetryAfterAndNeverShortenIt() {
    Duration d =
        policy.afterError("r", ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(42)));
    assertThat(d).isBetween(Duration.ofSeconds(42), Duration.ofMillis(46_200));
  }

  @Test
  void shouldCapARetryAfterThatWouldParkAJobForYears() {
    Duration years = Duration.ofSeconds(99_999_999);
    assertThat(policy.afterError("r", ErrorKind.RATE_LIMITED, Optional.of(years)))
        .isLessThanOrEqualTo(Duration.ofMinutes(66));
    assertThat(policy.afterError("t", ErrorKind.TRANSIENT, Optional.of(years)))
        .isLessThanOrEqualTo(Duration.ofMinutes(66));
    assertThat(policy.afterError("q", ErrorKind.QUOTA, Optional.of(years)))
        .isLessThanOrEqualTo(Duration.ofHours(27));
  }

  @Test
  void shouldWaitHoursForQuotaAndMinutesForAuthentication() {
    assertThat(policy.afterError("q", ErrorKind.QUOTA, Optional.empty()))
        .isGreaterThanOrEqualTo(Duration.ofHours(1));
    assertThat(policy.afterError("q2", ErrorKind.QUOTA, Optional.of(Duration.ofHours(3))))
        .isGreaterThanOrEqualTo(Duration.ofHours(3));
    assertThat(policy.afterError("a", ErrorKind.AUTHENTICATION, Optional.empty()))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void shouldClassifyEveryErrorKindIntoASyncedReason() {
    assertThat(Reason.forError(ErrorKind.TRANSIENT).value()).isEqualTo("ProviderUnavailable");
    assertThat(Reason.forError(ErrorKind.RATE_LIMITED).value()).isEqualTo("RateLimited");
    assertThat(Reason.forError(ErrorKind.QUOTA).value()).isEqualTo("QuotaExceeded");
    assertThat(Reason.forError(ErrorKind.AUTHENTICATION).value()).isEqualTo("AuthenticationFailed");
    assertThat(Reason.forError(ErrorKind.PERMANENT).value()).isEqualTo("ProviderRejected");
    assertThat(Reason.forError(ErrorKind.NOT_FOUND).value()).isEqualTo("JobNotFound");
  }
}
