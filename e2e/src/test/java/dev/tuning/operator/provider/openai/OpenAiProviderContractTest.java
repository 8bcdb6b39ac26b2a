package dev.tuning.operator.provider.openai;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults.Operation;
import dev.tuning.e2e.emulator.MutableClock;
import dev.tuning.e2e.emulator.OpenAiEmulator;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.TuningProviderContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract on the real {@link OpenAiProvider} and the operator's HTTP client against
 * the {@link OpenAiEmulator} on 127.0.0.1, which accepts only the fixtures' key. The emulator's
 * clock stands still until a test moves it.
 */
class OpenAiProviderContractTest extends TuningProviderContract {

  private final MutableClock clock = new MutableClock();
  private final OpenAiEmulator emulator =
      new OpenAiEmulator(
          EmulatorConfig.defaults()
              .withClock(clock)
              .withValidating(Duration.ofSeconds(1))
              .withQueued(Duration.ofSeconds(1))
              .withRunning(Duration.ofSeconds(10))
              .withValidKeys(Set.of(OpenAiFixtures.SENTINEL_KEY)));
  private final OpenAiProvider provider =
      new OpenAiProvider(
          HttpClients.shared(
              new SimpleMeterRegistry(),
              new HttpClients.Timeouts(
                  Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15))),
          OpenAiProvider.Settings.defaults().withDefaultBaseUrl(URI.create(emulator.baseUrl())),
          Clock.systemUTC());

  @AfterEach
  void stopEmulator() {
    emulator.close();
  }

  @Override
  protected TuningProvider provider() {
    return provider;
  }

  @Override
  protected JobContext context(String uid) {
    return OpenAiFixtures.ctx(uid, OpenAiFixtures.spec(), OpenAiFixtures.jobSecret());
  }

  @Override
  protected void failNext(Call call, Failure failure) {
    Operation operation =
        switch (call) {
          case CREATE -> Operation.CREATE;
          case GET -> Operation.GET;
          case FIND_BY_TAG -> Operation.LIST;
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

  @Override
  protected void makeTagSearchPage() {
    emulator.faults().limitListPages(2).ignoreListFilters(true);
  }

  @Override
  protected void failTagSearchAfterItsFirstPage() {
    emulator.faults().enqueue(Operation.LIST, Fault.delay(Duration.ZERO), Fault.serverError(503));
  }

  @Override
  protected int listPagesRead() {
    return emulator.count("GET", "/v1/fine_tuning/jobs");
  }

  @Override
  protected void letJobsStartRunning() {
    clock.advance(Duration.ofSeconds(3));
  }

  @Override
  protected boolean reportsProgress() {
    return true;
  }

  /** Half the 10 s of running: the first of the three epochs' checkpoints exists, still running. */
  @Override
  protected void letTrainingProgress() {
    clock.advance(Duration.ofSeconds(5));
  }

  @Override
  protected void letJobsFinish() {
    clock.advance(Duration.ofHours(1));
  }
}
