package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.provider.ErrorKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReasonTest {

  @Test
  void shouldBeOneClosedSetOfDistinctCamelCaseValues() {
    assertThat(Arrays.stream(Reason.values()).map(Reason::value))
        .allMatch(v -> v.matches("[A-Z][A-Za-z]+"))
        .doesNotHaveDuplicates();
    for (Reason r : Reason.values()) {
      assertThat(Reason.fromValue(r.value())).contains(r);
    }
    assertThat(Reason.fromValue("Exploded")).isEmpty();
  }

  /** Users see the same Event reasons as before: a phase change is named after the new phase. */
  @ParameterizedTest
  @EnumSource(Phase.class)
  void shouldNamePhaseChangeEventsAfterThePhase(Phase phase) {
    assertThat(Reason.forPhase(phase).value()).isEqualTo(phase.name());
  }

  /** Every reason the operator wrote before the enum, spelled as it was. */
  @Test
  void shouldKeepEveryReasonUsersAlreadySee() {
    assertThat(Arrays.stream(Reason.values()).map(Reason::value))
        .containsExactlyInAnyOrder(
            "NotSubmitted",
            "Submitting",
            "Held",
            "JobCreated",
            "JobAdopted",
            "NotStarted",
            "JobRunning",
            "JobPaused",
            "JobCancelling",
            "JobSucceeded",
            "JobFailed",
            "JobCancelled",
            "JobNotFound",
            "InProgress",
            "NoFailure",
            "NotSuspended",
            "NotSupported",
            "Synced",
            "RateLimited",
            "QuotaExceeded",
            "ProviderUnavailable",
            "AuthenticationFailed",
            "CredentialsMissing",
            "CredentialsRejected",
            "JobNotOwned",
            "ProviderRejected",
            "InvalidSpec",
            "ReconcileError",
            "CancelRequested",
            "CancelTimedOut",
            "Orphaned",
            "PauseRequested",
            "ResumeRequested",
            "DeadlineExceeded",
            "TTLExpired",
            "SyncRequested",
            "Pending",
            "Queued",
            "Running",
            "Suspended",
            "Cancelling",
            "Succeeded",
            "Failed",
            "Cancelled");
  }

  @ParameterizedTest
  @EnumSource(ErrorKind.class)
  void shouldGiveEveryErrorKindASyncedReason(ErrorKind kind) {
    assertThat(Reason.forError(kind)).isNotNull();
  }
}
