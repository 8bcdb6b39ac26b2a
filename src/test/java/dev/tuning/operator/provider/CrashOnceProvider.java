package dev.tuning.operator.provider;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TuningProvider} that delegates every call to a real provider, except that its first
 * {@link #create} "crashes" after the provider accepted the job: the job exists at the provider,
 * but the reconciler gets a {@link SimulatedCrash} instead of its id, as if the operator had died
 * between the create call and the status write (docs/design.md section 4.1).
 */
public final class CrashOnceProvider extends ForwardingProvider {

  /** What the first create throws once the real create went through. */
  public static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(String message) {
      super(message);
    }
  }

  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicReference<String> lostJobId = new AtomicReference<>();

  public CrashOnceProvider(TuningProvider delegate) {
    super(delegate);
  }

  /** The id of the job whose create "crashed", or null before that happened. */
  public String lostJobId() {
    return lostJobId.get();
  }

  /** How many create calls reached this wrapper. */
  public int creates() {
    return creates.get();
  }

  @Override
  public ProviderJob create(JobContext ctx) throws ProviderException {
    ProviderJob job = delegate.create(ctx);
    if (creates.incrementAndGet() == 1) {
      lostJobId.set(job.id());
      throw new SimulatedCrash("simulated operator crash after creating " + job.id());
    }
    return job;
  }
}
