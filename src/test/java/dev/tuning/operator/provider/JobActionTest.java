package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one answer to a refused cancel, pause or resume, for every provider. Before it existed,
 * OpenAI re-read the job after any 4xx but 401/403/404/429 and accepted a cancelling job, while
 * Vertex re-read only after a PERMANENT refusal and accepted only a finished job.
 */
class JobActionTest {

  private static ProviderJob job(ProviderJobState state) {
    return ProviderJob.builder("job-1", state).rawState(state.name()).build();
  }

  private static JobAction.Call refuse(ErrorKind kind) {
    return () -> {
      throw new ProviderException(kind, "refused");
    };
  }

  @Test
  void shouldAcceptARefusedCancelWhenTheJobIsAlreadyCancellingOrOver() throws Exception {
    for (ProviderJobState state :
        new ProviderJobState[] {
          ProviderJobState.CANCELLING, ProviderJobState.CANCELLED, ProviderJobState.SUCCEEDED
        }) {
      ProviderJob answer =
          JobAction.CANCEL.perform("p", "job-1", refuse(ErrorKind.PERMANENT), () -> job(state));
      assertThat(answer.state()).isEqualTo(state);
    }
  }

  @Test
  void shouldKeepTheRefusalWhenTheJobIsNotWhereTheRequestWantedIt() {
    assertThatThrownBy(
            () ->
                JobAction.PAUSE.perform(
                    "p", "job-1", refuse(ErrorKind.PERMANENT), () -> job(ProviderJobState.RUNNING)))
        .isInstanceOf(ProviderException.class)
        .hasMessage("refused");
    assertThatThrownBy(
            () ->
                JobAction.RESUME.perform(
                    "p", "job-1", refuse(ErrorKind.PERMANENT), () -> job(ProviderJobState.PAUSED)))
        .hasMessage("refused");
  }

  /** A 5xx may hide a cancel that went through: the state decides, not the error. */
  @Test
  void shouldReReadAfterATransientFailure() throws Exception {
    ProviderJob answer =
        JobAction.CANCEL.perform(
            "p", "job-1", refuse(ErrorKind.TRANSIENT), () -> job(ProviderJobState.CANCELLING));
    assertThat(answer.state()).isEqualTo(ProviderJobState.CANCELLING);
  }

  @Test
  void shouldNeverAnswerAuthRateLimitOrNotFoundWithARead() {
    AtomicInteger reads = new AtomicInteger();
    for (ErrorKind kind :
        new ErrorKind[] {
          ErrorKind.AUTHENTICATION,
          ErrorKind.CREDENTIALS_REJECTED,
          ErrorKind.RATE_LIMITED,
          ErrorKind.QUOTA,
          ErrorKind.NOT_FOUND
        }) {
      assertThatThrownBy(
              () ->
                  JobAction.CANCEL.perform(
                      "p",
                      "job-1",
                      refuse(kind),
                      () -> {
                        reads.incrementAndGet();
                        return job(ProviderJobState.CANCELLED);
                      }))
          .isInstanceOf(ProviderException.class)
          .satisfies(e -> assertThat(((ProviderException) e).kind()).isEqualTo(kind));
    }
    assertThat(reads).hasValue(0);
  }

  @Test
  void shouldKeepTheRefusalWithTheFailedReReadSuppressed() {
    assertThatThrownBy(
            () ->
                JobAction.CANCEL.perform(
                    "p", "job-1", refuse(ErrorKind.PERMANENT), refuse(ErrorKind.TRANSIENT)))
        .hasMessage("refused")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
  }
}
