package dev.tuning.operator.provider.vertex;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.e2e.emulator.Fault;
import dev.tuning.e2e.emulator.Faults.Operation;
import dev.tuning.e2e.emulator.MutableClock;
import dev.tuning.e2e.emulator.VertexEmulator;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.TuningProviderContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract on the real {@link VertexProvider} and the operator's HTTP client against
 * the {@link VertexEmulator} on 127.0.0.1. Jobs carry a service-account key that google-auth
 * exchanges at the emulator's token endpoint; the API accepts only tokens issued there. The
 * emulator's clock stands still until a test moves it.
 */
class VertexProviderContractTest extends TuningProviderContract {

  private final MutableClock clock = new MutableClock();
  private final VertexEmulator emulator =
      new VertexEmulator(
          EmulatorConfig.defaults()
              .withClock(clock)
              .withValidating(Duration.ofSeconds(1))
              .withQueued(Duration.ofSeconds(1))
              .withRunning(Duration.ofSeconds(10))
              .withCancelling(Duration.ofSeconds(1))
              .withValidKeys(Set.of("no-static-token-is-valid")));
  private final VertexProvider provider =
      new VertexProvider(
          HttpClients.shared(
              new SimpleMeterRegistry(),
              new HttpClients.Timeouts(
                  Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15))),
          VertexProvider.Settings.defaults().withEndpoint(emulator.baseUrl()),
          VertexTestSupport.loopbackSecretsOnly(),
          Clock.systemUTC());
  private final Credential key =
      Credential.fromJobSecret(
          VertexTestSupport.serviceAccountKey(emulator.tokenUri()).getBytes(StandardCharsets.UTF_8),
          "ml/gcp/key.json");

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
    return VertexTestSupport.ctx(uid, VertexTestSupport.spec(TuningMethod.SUPERVISED), key);
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
    switch (failure) {
      case UNAUTHENTICATED ->
          // the provider refreshes its token after a 401 and replays once: refuse both
          emulator.faults().enqueue(operation, Fault.unauthenticated(), Fault.unauthenticated());
      case RATE_LIMITED ->
          emulator.faults().enqueue(operation, Fault.rateLimit(RETRY_AFTER.toSeconds()));
      case NOT_FOUND -> emulator.faults().enqueue(operation, Fault.notFound());
      case SERVER_ERROR -> emulator.faults().enqueue(operation, Fault.serverError(503));
    }
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
    return emulator.count("GET", "/v1/projects/[^/]+/locations/[^/]+/tuningJobs");
  }

  @Override
  protected void letJobsStartRunning() {
    clock.advance(Duration.ofSeconds(3));
  }

  @Override
  protected void letJobsFinish() {
    clock.advance(Duration.ofHours(1));
  }
}
