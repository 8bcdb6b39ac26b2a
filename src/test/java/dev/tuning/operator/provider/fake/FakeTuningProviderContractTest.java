package dev.tuning.operator.provider.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.TuningProviderContract;
import org.junit.jupiter.api.Test;

/**
 * The provider contract on the test fake the reconciler tests use: what those tests take for
 * granted of a provider holds for the real ones too. The fake has no pages and no clock: its jobs
 * move one state per read.
 */
class FakeTuningProviderContractTest extends TuningProviderContract {

  private final FakeTuningProvider fake = new FakeTuningProvider("fake");

  @Override
  protected TuningProvider provider() {
    return fake;
  }

  @Override
  protected JobContext context(String uid) {
    return new JobContext(
        uid,
        "ml",
        "contract",
        fake.prepare(TuningJobs.openAi("ml", "contract").getSpec()),
        Credential.ambient());
  }

  @Override
  protected void failNext(Call call, Failure failure) {
    String operation =
        switch (call) {
          case CREATE -> "create";
          case GET -> "get";
          case FIND_BY_TAG -> "findByTag";
          case CANCEL -> "cancel";
        };
    switch (failure) {
      case UNAUTHENTICATED -> fake.failNext(operation, ErrorKind.AUTHENTICATION, "401");
      case RATE_LIMITED -> fake.failNext(operation, ErrorKind.RATE_LIMITED, "429", RETRY_AFTER);
      case NOT_FOUND -> fake.failNext(operation, ErrorKind.NOT_FOUND, "404");
      case SERVER_ERROR -> fake.failNext(operation, ErrorKind.TRANSIENT, "503");
    }
  }

  @Override
  protected void makeTagSearchPage() {
    // no pages: every search sees every job
  }

  @Override
  protected void failTagSearchAfterItsFirstPage() {
    fake.failNext("findByTag", ErrorKind.TRANSIENT, "the second page failed");
  }

  @Override
  protected int listPagesRead() {
    return -1;
  }

  @Override
  protected void letJobsStartRunning() {
    // each read moves a job one state on
  }

  @Override
  protected void letJobsFinish() {
    // each read moves a job one state on
  }

  @Test
  void shouldRefusePauseAndResumeWhenToldItCannotPause() throws ProviderException {
    fake.supportsPause(false);
    JobContext ctx = context("uid-1");
    String jobId = fake.create(ctx).id();

    assertThat(catchThrowableOfType(ProviderException.class, () -> fake.pause(ctx, jobId)).kind())
        .isEqualTo(ErrorKind.PERMANENT);
    assertThat(catchThrowableOfType(ProviderException.class, () -> fake.resume(ctx, jobId)).kind())
        .isEqualTo(ErrorKind.PERMANENT);
  }

  @Test
  void shouldReportTheProgressATestSetWithoutMovingTheJob() throws ProviderException {
    JobContext ctx = context("uid-1");
    String jobId = fake.create(ctx).id();
    var progress = new ProviderJob.Progress(40L, 0.5, 0.6);

    assertThat(fake.progress(ctx, jobId)).isEmpty();
    fake.reportProgress(jobId, progress);

    assertThat(fake.progress(ctx, jobId)).contains(progress);
    assertThat(fake.stateOf(jobId)).contains(ProviderJobState.QUEUED);
    assertThat(fake.count("progress")).isEqualTo(2);
    assertThat(
            catchThrowableOfType(ProviderException.class, () -> fake.progress(ctx, "gone")).kind())
        .isEqualTo(ErrorKind.NOT_FOUND);
  }
}
