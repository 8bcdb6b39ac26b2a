package dev.tuning.operator.provider.bedrock;

import dev.tuning.e2e.emulator.BedrockEmulator;
import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults.Operation;
import dev.tuning.e2e.emulator.MutableClock;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.TuningProviderContract;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract on the real {@link BedrockProvider} (AWS SDK, SigV4) against the {@link
 * BedrockEmulator} on 127.0.0.1. Bedrock finds a job by its deterministic name with one read, so
 * the tag search never pages; a read that fails is still an error, never "no job".
 */
class BedrockProviderContractTest extends TuningProviderContract {

  private final MutableClock clock = new MutableClock();
  private final BedrockEmulator emulator =
      new BedrockEmulator(
          EmulatorConfig.defaults()
              .withClock(clock)
              .withValidating(Duration.ofSeconds(1))
              .withQueued(Duration.ofSeconds(1))
              .withRunning(Duration.ofSeconds(10)));
  private final BedrockProvider provider =
      new BedrockProvider(
          BedrockProvider.Settings.defaults()
              .withEndpoint(URI.create(emulator.baseUrl()))
              .withCallTimeout(Duration.ofSeconds(10)),
          Clock.systemUTC());

  @AfterEach
  void stopEmulator() {
    provider.close();
    emulator.close();
  }

  @Override
  protected TuningProvider provider() {
    return provider;
  }

  @Override
  protected JobContext context(String uid) {
    try {
      return new JobContext(
          uid,
          "ml",
          "support-bot",
          provider.prepare(BedrockProviderTest.spec()),
          BedrockProviderTest.keys());
    } catch (ProviderException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  protected void failNext(Call call, Failure failure) {
    Operation operation =
        switch (call) {
          case CREATE -> Operation.CREATE;
          case GET, FIND_BY_TAG -> Operation.GET;
          case CANCEL -> Operation.CANCEL;
        };
    Fault fault =
        switch (failure) {
          case UNAUTHENTICATED -> Fault.unauthenticated();
          case RATE_LIMITED -> Fault.rateLimit(RETRY_AFTER.toSeconds());
          case NOT_FOUND -> Fault.notFound();
          case SERVER_ERROR -> Fault.serverError(503);
        };
    emulator.faults().enqueue(operation, fault);
  }

  /** One read by name: there are no pages to make. */
  @Override
  protected void makeTagSearchPage() {}

  /** The one read of the search fails. */
  @Override
  protected void failTagSearchAfterItsFirstPage() {
    emulator.faults().enqueue(Operation.GET, Fault.serverError(503));
  }

  /** No listing is involved; the paging assertion does not apply. */
  @Override
  protected int listPagesRead() {
    return -1;
  }

  @Override
  protected void letJobsStartRunning() {
    clock.advance(Duration.ofSeconds(3));
  }

  @Override
  protected void letJobsFinish() {
    clock.advance(Duration.ofHours(1));
  }

  @Override
  protected boolean sendsRetryAfter() {
    return false;
  }
}
