package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A provider that forwards every call to another: the base of decorators (the rate budget, test
 * wrappers), which override only what they change. Every SPI method is forwarded, defaults
 * included, so a decorator never silently falls back to a default the wrapped provider overrides
 * ({@code ForwardingProviderTest} keeps it complete).
 */
public abstract class ForwardingProvider implements TuningProvider {

  protected final TuningProvider delegate;

  protected ForwardingProvider(TuningProvider delegate) {
    this.delegate = delegate;
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
    return delegate.create(ctx);
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

  @Override
  public Optional<ProviderJob.Progress> progress(JobContext ctx, String jobId)
      throws ProviderException {
    return delegate.progress(ctx, jobId);
  }

  @Override
  public Optional<List<ProviderJob>> listActive(JobContext ctx, PageGate pages)
      throws ProviderException {
    return delegate.listActive(ctx, pages);
  }

  @Override
  public Optional<List<ProviderJob>> listTracked(JobContext ctx, Set<String> jobIds, PageGate pages)
      throws ProviderException {
    return delegate.listTracked(ctx, jobIds, pages);
  }

  @Override
  public java.time.Duration createDelay(JobContext ctx) {
    return delegate.createDelay(ctx);
  }

  @Override
  public boolean listShowsWholeJobs() {
    return delegate.listShowsWholeJobs();
  }

  @Override
  public String rateScope(JobContext ctx) {
    return delegate.rateScope(ctx);
  }
}
