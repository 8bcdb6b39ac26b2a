package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TuningProvider} that delegates every call to a real provider, except that its first
 * {@link #create} "crashes" after the provider accepted the job: the job exists at the provider,
 * but the reconciler gets a {@link SimulatedCrash} instead of its id, as if the operator had died
 * between the create call and the status write (docs/design.md section 4.1).
 */
public final class CrashOnceProvider implements TuningProvider {

  /** What the first create throws once the real create went through. */
  public static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(String message) {
      super(message);
    }
  }

  private final TuningProvider delegate;
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicReference<String> lostJobId = new AtomicReference<>();

  public CrashOnceProvider(TuningProvider delegate) {
    this.delegate = delegate;
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
  public String id() {
    return delegate.id();
  }

  @Override
  public CredentialRef credentialRef(TuningJobSpec spec) {
    return delegate.credentialRef(spec);
  }

  @Override
  public Optional<Credential> operatorCredential() {
    return delegate.operatorCredential();
  }

  @Override
  public JobRequest prepare(TuningJobSpec spec) throws ProviderException {
    return delegate.prepare(spec);
  }

  @Override
  public Optional<java.util.List<ProviderJob>> listActive(JobContext ctx) throws ProviderException {
    return delegate.listActive(ctx);
  }

  @Override
  public Optional<java.util.List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds) throws ProviderException {
    return delegate.listTracked(ctx, jobIds);
  }

  @Override
  public boolean isJobId(String jobId) {
    return delegate.isJobId(jobId);
  }

  @Override
  public String jobIdFormat() {
    return delegate.jobIdFormat();
  }

  @Override
  public void checkAccess(JobContext ctx) throws ProviderException {
    delegate.checkAccess(ctx);
  }

  @Override
  public void checkJobAccess(JobContext ctx, String jobId) throws ProviderException {
    delegate.checkJobAccess(ctx, jobId);
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

  @Override
  public ProviderJob get(JobContext ctx, String jobId) throws ProviderException {
    return delegate.get(ctx, jobId);
  }

  @Override
  public Optional<ProviderJob> findByTag(JobContext ctx) throws ProviderException {
    return delegate.findByTag(ctx);
  }

  @Override
  public Optional<ProviderJob.Progress> progress(JobContext ctx, String jobId)
      throws ProviderException {
    return delegate.progress(ctx, jobId);
  }

  @Override
  public ProviderJob cancel(JobContext ctx, String jobId) throws ProviderException {
    return delegate.cancel(ctx, jobId);
  }

  @Override
  public boolean supportsPause() {
    return delegate.supportsPause();
  }

  @Override
  public ProviderJob pause(JobContext ctx, String jobId) throws ProviderException {
    return delegate.pause(ctx, jobId);
  }

  @Override
  public ProviderJob resume(JobContext ctx, String jobId) throws ProviderException {
    return delegate.resume(ctx, jobId);
  }
}
