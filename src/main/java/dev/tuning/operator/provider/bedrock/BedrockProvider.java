package dev.tuning.operator.provider.bedrock;

import dev.tuning.operator.api.v1alpha1.BedrockSpec;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.config.Env;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.CredentialRef;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobAction;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.JobRequest;
import dev.tuning.operator.provider.PageGate;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.TagMatches;
import dev.tuning.operator.provider.TuningProvider;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelCustomizationJobRequest;

/**
 * Amazon Bedrock model customization jobs behind the provider SPI (docs/providers/bedrock.md).
 *
 * <p>Never a duplicate by construction: the job name is derived from the TuningJob (namespace, name
 * and UID) and the client request token is the UID, so Bedrock refuses or ignores a second create;
 * the job is found again by that name. Jobs cannot be paused; cancel is Stop (only from InProgress;
 * Stopping → Stopped). The custom model a job produces is never deleted.
 *
 * <p>The SDK's URLConnection HTTP client is used (set explicitly, one instance for all clients): it
 * has no dependencies of its own and Bedrock's calls are few and small, so a pooled Apache or Netty
 * transport would add weight without benefit.
 */
public final class BedrockProvider implements TuningProvider, AutoCloseable {

  /** The provider id, as in {@code spec.provider}. */
  public static final String ID = "bedrock";

  private static final Logger log = LoggerFactory.getLogger(BedrockProvider.class);

  /** Pages of one status a list reads at most (1,000 jobs each) before it fails as incomplete. */
  private static final int MAX_LIST_PAGES = 100;

  /** Job ARNs: {@code arn:aws:bedrock:<region>:<account>:model-customization-job/<model>/<id>}. */
  private static final Pattern JOB_ARN =
      Pattern.compile(
          "^arn:aws(-[a-z]+)*:bedrock:([a-z]{2}(-[a-z]+)+-[0-9]):[0-9]{12}"
              + ":model-customization-job/[A-Za-z0-9][A-Za-z0-9.:_+-]{0,255}/[a-z0-9]{12}$");

  /**
   * Operator-level settings.
   *
   * @param regions the Regions jobs may name in {@code spec.bedrock.region}; empty: none
   * @param endpoint an endpoint override for every Region (emulators, tests); null for AWS's
   * @param ambientRoleArns the service roles a job run with the operator's own identity may pass to
   *     Bedrock ({@code spec.bedrock.roleArn}); empty: none
   * @param ambient whether jobs without a Secret may use the operator's identity at all
   * @param ambientIdentity the operator's identity (IRSA or EKS Pod Identity), or null
   * @param callTimeout the limit of one API call, retries included
   */
  public record Settings(
      AllowList regions,
      URI endpoint,
      AllowList ambientRoleArns,
      boolean ambient,
      AwsCredentialsProvider ambientIdentity,
      Duration callTimeout) {

    /** The environment variables these settings are read from ({@link #fromEnv}). */
    public static final String ENV_REGIONS = "BEDROCK_REGIONS";

    public static final String ENV_ENDPOINT = "BEDROCK_ENDPOINT";
    public static final String ENV_DEFAULT_ROLE_ARNS = "BEDROCK_DEFAULT_ROLE_ARNS";

    /** The Regions that offer model customization (docs/providers/bedrock.md section 0). */
    public static final List<String> DEFAULT_REGIONS = List.of("us-east-1", "us-west-2");

    public Settings {
      regions = regions == null ? AllowList.none() : regions;
      ambientRoleArns = ambientRoleArns == null ? AllowList.none() : ambientRoleArns;
      callTimeout = callTimeout == null ? Duration.ofSeconds(30) : callTimeout;
      if (endpoint != null
          && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
        throw new IllegalArgumentException(ENV_ENDPOINT + " must be an http(s) URL");
      }
    }

    /** AWS's endpoints in the default Regions, no operator identity. */
    public static Settings defaults() {
      return new Settings(
          new AllowList(DEFAULT_REGIONS), null, AllowList.none(), false, null, null);
    }

    /**
     * The settings in the operator's environment. The operator's identity is IRSA ({@code
     * AWS_ROLE_ARN} and {@code AWS_WEB_IDENTITY_TOKEN_FILE}) or EKS Pod Identity ({@code
     * AWS_CONTAINER_CREDENTIALS_FULL_URI}), and only when {@code defaultCredentials} is on: never
     * the SDK's default chain, which would end in the node's instance role.
     */
    public static Settings fromEnv(Env env, boolean defaultCredentials, Duration callTimeout) {
      AwsCredentialsProvider identity = null;
      if (defaultCredentials) {
        if (env.get("AWS_ROLE_ARN").isPresent()
            && env.get("AWS_WEB_IDENTITY_TOKEN_FILE").isPresent()) {
          identity = WebIdentityTokenFileCredentialsProvider.create();
        } else if (env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
          identity = ContainerCredentialsProvider.builder().build();
        }
      }
      return new Settings(
          new AllowList(env.list(ENV_REGIONS, DEFAULT_REGIONS)),
          env.get(ENV_ENDPOINT).map(URI::create).orElse(null),
          env.allowList(ENV_DEFAULT_ROLE_ARNS),
          defaultCredentials,
          identity,
          callTimeout);
    }

    public Settings withEndpoint(URI newEndpoint) {
      return new Settings(
          regions, newEndpoint, ambientRoleArns, ambient, ambientIdentity, callTimeout);
    }

    public Settings withCallTimeout(Duration timeout) {
      return new Settings(regions, endpoint, ambientRoleArns, ambient, ambientIdentity, timeout);
    }

    public Settings withRegions(AllowList newRegions) {
      return new Settings(
          newRegions, endpoint, ambientRoleArns, ambient, ambientIdentity, callTimeout);
    }

    /** The operator's own identity and the service roles jobs on it may pass. */
    public Settings withAmbient(AwsCredentialsProvider identity, AllowList roleArns) {
      return new Settings(regions, endpoint, roleArns, identity != null, identity, callTimeout);
    }

    @Override
    public String toString() {
      return "BedrockProvider.Settings[regions="
          + regions
          + ", endpoint="
          + (endpoint == null ? "AWS" : endpoint)
          + ", ambient="
          + (ambient && ambientIdentity != null)
          + "]";
    }
  }

  private final Settings settings;
  private final SdkHttpClient http;
  private final BedrockClients clients;
  private final Clock clock;

  /** The provider as the operator's environment configures it. */
  public static BedrockProvider fromEnv(
      Env env, boolean defaultCredentials, Duration callTimeout, Clock clock) {
    return new BedrockProvider(Settings.fromEnv(env, defaultCredentials, callTimeout), clock);
  }

  public BedrockProvider(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(min(settings.callTimeout(), Duration.ofSeconds(10)))
            .socketTimeout(settings.callTimeout())
            .build();
    this.clients =
        new BedrockClients(
            http,
            settings.endpoint(),
            settings.callTimeout(),
            settings.ambient() ? settings.ambientIdentity() : null);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CredentialRef credentialRef(TuningJobSpec spec) {
    BedrockSpec bedrock = spec.getBedrock();
    return new CredentialRef(
        Optional.ofNullable(bedrock == null ? null : bedrock.getCredentialsSecretRef()),
        BedrockClients.SECRET_ACCESS_KEY,
        "spec.bedrock.credentialsSecretRef",
        "AWS identity",
        List.of(BedrockClients.ACCESS_KEY_ID, BedrockClients.SESSION_TOKEN));
  }

  /** The operator's IRSA or Pod Identity role, when enabled and configured. */
  @Override
  public Optional<Credential> operatorCredential() {
    return settings.ambient() && settings.ambientIdentity() != null
        ? Optional.of(Credential.ambient())
        : Optional.empty();
  }

  @Override
  public JobRequest prepare(TuningJobSpec spec) throws ProviderException {
    return BedrockRequest.of(spec);
  }

  /** Bedrock quotas are per account and Region. */
  @Override
  public String rateScope(JobContext ctx) {
    return ctx.credential().fingerprint() + "|" + ctx.request(BedrockRequest.class).region();
  }

  @Override
  public boolean isJobId(String jobId) {
    return jobId != null && JOB_ARN.matcher(jobId).matches();
  }

  @Override
  public String jobIdFormat() {
    return "arn:aws:bedrock:REGION:ACCOUNT:model-customization-job/MODEL/ID";
  }

  /**
   * The Region must be one the operator serves; the operator's own identity passes only the service
   * roles the operator lists (the role is what reads and writes the data).
   */
  @Override
  public void checkAccess(JobContext ctx) throws ProviderException {
    BedrockRequest r = ctx.request(BedrockRequest.class);
    if (!settings.regions().allows(r.region())) {
      throw new ProviderException(
          ErrorKind.PERMANENT,
          "spec.bedrock.region "
              + r.region()
              + " is not served by this operator (BEDROCK_REGIONS "
              + settings.regions()
              + ")",
          "RegionNotAllowed");
    }
    clients.provider(ctx.credential());
    if (ctx.credential().operatorOwned() && !settings.ambientRoleArns().allows(r.roleArn())) {
      throw ProviderException.credentialsRejected(
          "spec.bedrock.roleArn may not be passed with the operator's AWS identity"
              + " (BEDROCK_DEFAULT_ROLE_ARNS); set spec.bedrock.credentialsSecretRef");
    }
  }

  /** An annotated job must live in the job's Region: the client is per Region. */
  @Override
  public void checkJobAccess(JobContext ctx, String jobId) throws ProviderException {
    Matcher m = JOB_ARN.matcher(jobId);
    if (m.matches() && !m.group(2).equals(ctx.request(BedrockRequest.class).region())) {
      throw new ProviderException(
          ErrorKind.PERMANENT,
          "annotation tuning.dev/job-id names a job in Region "
              + m.group(2)
              + ", not spec.bedrock.region");
    }
  }

  @Override
  public ProviderJob create(JobContext ctx) throws ProviderException {
    checkAccess(ctx);
    CreateModelCustomizationJobRequest body = BedrockMapper.toCreateRequest(ctx);
    BedrockClient client = client(ctx);
    ctx.checkSendBy(clock.instant(), ID);
    String arn;
    try {
      arn = client.createModelCustomizationJob(body).jobArn();
      if (arn == null || arn.isBlank()) {
        // Created or not, nobody can tell from this answer: look it up by name, never create again.
        throw new ProviderException(
            ErrorKind.TRANSIENT,
            "Amazon Bedrock answered the create without a job ARN",
            null,
            null,
            null,
            null,
            new java.io.IOException("create answer without jobArn"));
      }
    } catch (SdkException e) {
      ProviderException failure = BedrockErrors.classify("create", e);
      if (!BedrockErrors.nameInUse(failure)) {
        throw failure;
      }
      // The name is this TuningJob's own: the job exists (an earlier create landed).
      Optional<ProviderJob> named = byName(ctx);
      if (named.isEmpty() && "ConflictException".equals(failure.providerCode().orElse(""))) {
        // A conflict about something else (e.g. the custom model's name): a refusal to report.
        throw failure;
      }
      ProviderJob existing =
          named.orElseThrow(
              () ->
                  new ProviderException(
                      ErrorKind.TRANSIENT,
                      "Amazon Bedrock says the job name is in use but does not show the job"));
      if (!owned(ctx, existing)) {
        throw foreignName(body.jobName());
      }
      return existing;
    }
    log.atInfo()
        .addKeyValue("provider", ID)
        .addKeyValue("operation", "create")
        .addKeyValue("jobId", arn)
        .log("created Amazon Bedrock customization job {}", arn);
    // The create answer holds only the ARN; the next read fills in the rest.
    return ProviderJob.builder(arn, ProviderJobState.QUEUED)
        .rawState("InProgress")
        .createTime(clock.instant())
        .tags(java.util.Map.of(TAG_KEY, ctx.resourceUid()))
        .build();
  }

  @Override
  public ProviderJob get(JobContext ctx, String jobId) throws ProviderException {
    if (!isJobId(jobId)) {
      throw new ProviderException(
          ErrorKind.PERMANENT, "job id is not an Amazon Bedrock customization job ARN");
    }
    return read(ctx, jobId);
  }

  private ProviderJob read(JobContext ctx, String identifier) throws ProviderException {
    BedrockClient client = client(ctx);
    try {
      return BedrockMapper.toProviderJob(
          client.getModelCustomizationJob(b -> b.jobIdentifier(identifier)));
    } catch (SdkException e) {
      throw BedrockErrors.classify("get", e);
    }
  }

  /**
   * The job is found by its deterministic name (one read, no listing): the shared search policy
   * ({@link TagMatches}) over that single answer, adopting it only when its client request token is
   * this TuningJob's UID. A job under the name that is not this TuningJob's is an error, never a
   * reason to create.
   */
  @Override
  public Optional<ProviderJob> findByTag(JobContext ctx) throws ProviderException {
    checkAccess(ctx);
    String name = BedrockNames.jobName(ctx.namespace(), ctx.name(), ctx.resourceUid());
    return TagMatches.search(
        ID,
        1,
        token -> {
          Optional<ProviderJob> job = byName(ctx);
          if (job.isPresent() && !owned(ctx, job.get())) {
            throw foreignName(name);
          }
          return new TagMatches.Page(job.stream().toList(), null);
        });
  }

  private Optional<ProviderJob> byName(JobContext ctx) throws ProviderException {
    try {
      return Optional.of(
          read(ctx, BedrockNames.jobName(ctx.namespace(), ctx.name(), ctx.resourceUid())));
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean owned(JobContext ctx, ProviderJob job) {
    return ctx.resourceUid().equals(job.tags().get(TAG_KEY));
  }

  private static ProviderException foreignName(String name) {
    return new ProviderException(
        ErrorKind.PERMANENT,
        "Amazon Bedrock job " + name + " exists but was not created for this TuningJob",
        "JobNotOwned");
  }

  /**
   * The Region's InProgress and Stopping jobs (the only active states), every page: the list
   * batched polling reads instead of one GET per job. A page that fails fails the whole answer.
   */
  @Override
  public Optional<List<ProviderJob>> listActive(JobContext ctx, PageGate pages)
      throws ProviderException {
    BedrockClient client = client(ctx);
    List<ProviderJob> jobs = new java.util.ArrayList<>();
    try {
      for (String status : List.of("InProgress", "Stopping")) {
        String next = null;
        for (int page = 0; page < MAX_LIST_PAGES; page++) {
          pages.beforePage();
          String token = next;
          var response =
              client.listModelCustomizationJobs(
                  b -> b.statusEquals(status).maxResults(1000).nextToken(token));
          response
              .modelCustomizationJobSummaries()
              .forEach(summary -> jobs.add(BedrockMapper.toProviderJob(summary)));
          next = response.nextToken();
          if (next == null || next.isEmpty()) {
            break;
          }
          if (page == MAX_LIST_PAGES - 1) {
            throw new ProviderException(
                ErrorKind.TRANSIENT,
                "Amazon Bedrock list longer than " + MAX_LIST_PAGES + " pages");
          }
        }
      }
    } catch (SdkException e) {
      throw BedrockErrors.classify("list", e);
    }
    return Optional.of(jobs);
  }

  /** The active jobs asked for; a tracked job that ended is absent (and read alone). */
  @Override
  public Optional<List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds, PageGate pages) throws ProviderException {
    return listActive(ctx, pages)
        .map(all -> all.stream().filter(j -> jobIds.contains(j.id())).toList());
  }

  /** Stop, then read (Stop answers with an empty body); a refused Stop gets the shared re-read. */
  @Override
  public ProviderJob cancel(JobContext ctx, String jobId) throws ProviderException {
    BedrockClient client = client(ctx);
    return JobAction.CANCEL.sendThenRead(
        ID,
        jobId,
        () -> {
          try {
            client.stopModelCustomizationJob(b -> b.jobIdentifier(jobId));
          } catch (SdkException e) {
            throw BedrockErrors.classify("cancel", e);
          }
        },
        () -> get(ctx, jobId));
  }

  private BedrockClient client(JobContext ctx) throws ProviderException {
    BedrockRequest r = ctx.request(BedrockRequest.class);
    if (!settings.regions().allows(r.region())) {
      throw new ProviderException(
          ErrorKind.PERMANENT, "spec.bedrock.region is not served by this operator");
    }
    return clients.client(ctx.credential(), r.region());
  }

  @Override
  public void close() {
    clients.close();
    http.close();
  }
}
