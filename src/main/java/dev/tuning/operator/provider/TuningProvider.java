package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import java.util.List;
import java.util.Optional;

/**
 * A hosted fine-tuning service. Implementations are thread-safe, receive their HTTP client,
 * endpoints and clock through their constructors, classify every failure into a {@link
 * ProviderException} with an {@link ErrorKind}, and never log or throw credentials.
 *
 * <p>A provider owns its block of the spec ({@code spec.<id>}), its credential reference and its
 * operator-wide defaults: the core never reads them. It asks {@link #credentialRef} where the
 * credential is, {@link #operatorCredential} for the operator's own, and {@link #prepare} for the
 * provider's typed {@link JobRequest}, which every other call receives in its {@link JobContext}.
 * Adding a provider is a package, a line in the registry and its block in the CRD (see
 * docs/adding-a-provider.md).
 *
 * <p>Idempotency: {@link #create} tags the job with the TuningJob's UID under {@link #TAG_KEY};
 * {@link #findByTag} finds it again after a crash (through {@link TagMatches}, the one search and
 * adoption policy), so the reconciler never creates a second job.
 */
public interface TuningProvider {

  /** The key of the tag (OpenAI metadata, Vertex label) holding the TuningJob's UID. */
  String TAG_KEY = "tuningjob-uid";

  /** The provider id, as in {@code spec.provider}. */
  String id();

  /**
   * Where this job's credential is: the Secret reference in the provider's block of {@code spec}
   * and the key read by default. Pure: no I/O.
   */
  CredentialRef credentialRef(TuningJobSpec spec);

  /**
   * The operator's own credential for jobs whose spec names no Secret (a default key, the runtime's
   * ambient identity), when the operator's configuration enables it; else empty. The core still
   * limits it to the namespaces the operator allows, and {@link #checkAccess} to the targets.
   */
  default Optional<Credential> operatorCredential() {
    return Optional.empty();
  }

  /**
   * Reads the provider's block of {@code spec} (and the fields common to all providers) into this
   * provider's typed request, checking what every call needs (e.g. a project and location). A spec
   * the provider can never serve is {@link ErrorKind#PERMANENT} and names the field; fields only a
   * create uses are checked by {@link #create}, so a job adopted by id is still observed. Pure: no
   * I/O.
   */
  JobRequest prepare(TuningJobSpec spec) throws ProviderException;

  /**
   * Whether {@code jobId}, as a user wrote it (the {@code tuning.dev/job-id} annotation), has this
   * provider's job id format. Checked before the id is used in any request, so no user text ever
   * becomes a path segment the provider did not define (e.g. {@code ..}).
   */
  boolean isJobId(String jobId);

  /** The job id format for messages, e.g. {@code ftjob-…}. */
  String jobIdFormat();

  /**
   * Checks, without any network call, that this job may be served with its credential
   * (docs/design.md section 5): the credential itself is acceptable (e.g. a Google document asks
   * for no files or chosen URLs), and operator-wide credentials are only used for the targets
   * (projects, organizations, service accounts) the operator allows. Called before every exchange;
   * a refusal is {@link ErrorKind#CREDENTIALS_REJECTED} (or {@link ErrorKind#PERMANENT} for a spec
   * the provider can never serve) and names the field.
   */
  default void checkAccess(JobContext ctx) throws ProviderException {}

  /**
   * Checks, without any network call, that a job id a user named (the {@code tuning.dev/job-id}
   * annotation) may be read with this job's credential: e.g. that the operator's own identity is
   * not pointed at a project it does not serve. Called before an annotated id is first used.
   */
  default void checkJobAccess(JobContext ctx, String jobId) throws ProviderException {}

  /** Creates the job described by the context's request, tagged with its UID. */
  ProviderJob create(JobContext ctx) throws ProviderException;

  /** Reads a job by id. A missing job is {@link ErrorKind#NOT_FOUND}. */
  ProviderJob get(JobContext ctx, String jobId) throws ProviderException;

  /**
   * Finds the job tagged with the context's UID (server-side filter where the provider has one,
   * always checked client-side too), paging through all results.
   */
  Optional<ProviderJob> findByTag(JobContext ctx) throws ProviderException;

  /** Requests cancellation and returns the job as it is afterwards (it may still be ending). */
  ProviderJob cancel(JobContext ctx, String jobId) throws ProviderException;

  /**
   * How far a job's training got, as the provider reports it outside its job view: an extra read
   * the reconciler makes at a low rate (not on every poll) while the job runs, for providers whose
   * job view lacks progress (OpenAI: the newest checkpoint). Empty when the provider has nothing to
   * report yet, or never has: providers that report progress in their job view (Bedrock fills
   * {@link ProviderJob#progress()} in its mapper) and providers without it leave this default.
   * Failures are classified as for {@link #get}; a missing job is {@link ErrorKind#NOT_FOUND}.
   */
  default Optional<ProviderJob.Progress> progress(JobContext ctx, String jobId)
      throws ProviderException {
    return Optional.empty();
  }

  /**
   * Every job of this context's credential scope that is still active, for batched polling (one
   * list per scope and interval instead of a read per job): all pages, or an error, never a partial
   * answer. Jobs listed may lack fields only a read shows (e.g. tags). Empty when the provider
   * offers no such list. {@code pages} is asked before every request.
   */
  default Optional<List<ProviderJob>> listActive(JobContext ctx, PageGate pages)
      throws ProviderException {
    return Optional.empty();
  }

  /**
   * The current view of these jobs (of this context's credential scope) from the provider's list,
   * for batched polling: one list per scope and interval instead of one read per job. Jobs the list
   * does not show are absent (the reconciler reads them alone); a list that could not be read to
   * its end is an error. Empty when the provider offers no list; by default, {@link #listActive}.
   * {@code pages} is asked before every request, and told of each job asked for as its page is read
   * ({@link PageGate#seen}), where the provider can.
   */
  default Optional<List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds, PageGate pages) throws ProviderException {
    return listActive(ctx, pages);
  }

  /**
   * How long until a create for this job may begin: zero when it is admitted now (its intent may be
   * written, and the next {@link #create} for this job goes as soon as the budget has room), else
   * the wait. Asked before the create intent is written, so a create the operator's rate budget
   * holds back costs no write, no lookup and no call. Providers answer zero; the budget decorator
   * ({@link BudgetedProvider}) answers for them.
   */
  default java.time.Duration createDelay(JobContext ctx) {
    return java.time.Duration.ZERO;
  }

  /**
   * True when a job {@link #listTracked} returns carries all that {@link #get} shows (state, error,
   * result, usage), finished jobs included, so a change the list shows is taken from it without a
   * read. False by default: a list of summaries shows a new state, and the job is then read.
   */
  default boolean listShowsWholeJobs() {
    return false;
  }

  /**
   * The scope of the provider's rate limits this job's calls count against ({@link RateBudget}): by
   * default its credential; providers add what the provider limits separately (a project, a region,
   * an endpoint). Never holds the secret itself. No I/O.
   */
  default String rateScope(JobContext ctx) {
    return ctx.credential().fingerprint();
  }

  /** Whether {@link #pause} and {@link #resume} are available. */
  default boolean supportsPause() {
    return false;
  }

  /** Pauses a running job. Only called when {@link #supportsPause()} is true. */
  default ProviderJob pause(JobContext ctx, String jobId) throws ProviderException {
    throw new ProviderException(ErrorKind.PERMANENT, id() + " jobs cannot be paused");
  }

  /** Resumes a paused job. Only called when {@link #supportsPause()} is true. */
  default ProviderJob resume(JobContext ctx, String jobId) throws ProviderException {
    throw new ProviderException(ErrorKind.PERMANENT, id() + " jobs cannot be resumed");
  }
}
