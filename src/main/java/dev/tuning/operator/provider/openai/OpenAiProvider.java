package dev.tuning.operator.provider.openai;

import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.config.Env;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.CredentialRef;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.HostPatterns;
import dev.tuning.operator.provider.JobAction;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.JobRequest;
import dev.tuning.operator.provider.PageGate;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.TagMatches;
import dev.tuning.operator.provider.TuningProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI fine-tuning provider, also for Azure OpenAI's v1 API ({@code flavor: azure}). Jobs are
 * tagged with the TuningJob's UID in {@code metadata}; pause and resume are supported.
 *
 * <p>Thread-safe. Every call resolves its endpoint and key from the {@link JobContext}, so nothing
 * credential-related is kept between calls.
 */
public final class OpenAiProvider implements TuningProvider {

  private static final Logger log = LoggerFactory.getLogger(OpenAiProvider.class);

  /** OpenAI and Azure OpenAI job ids: {@code ftjob-} and letters, digits, '_' or '-'. */
  private static final Pattern JOB_ID = Pattern.compile("ftjob-[A-Za-z0-9_-]{1,128}");

  /** Stops a list that never ends (a server repeating {@code has_more}) from looping forever. */
  private static final int MAX_PAGES = 1000;

  /**
   * Operator-wide OpenAI settings.
   *
   * @param defaultBaseUrl the API base used without {@code spec.openai.endpoint}, e.g. {@code
   *     https://api.openai.com/v1}; may be plain http for a loopback emulator
   * @param allowedEndpointHosts hosts a custom {@code spec.openai.endpoint} may name: exact host
   *     names or {@code *.suffix} wildcards (which match subdomains only); empty refuses all
   * @param allowPlainHttpEndpoints accept {@code http://} custom endpoints (tests and emulators
   *     only; keys then travel unencrypted)
   * @param defaultKeyOrganizations organizations a job may name in {@code spec.openai.organization}
   *     when it uses the operator's default key; empty: none
   * @param defaultKeyProjects projects a job may name in {@code spec.openai.project} when it uses
   *     the operator's default key; empty: none
   * @param defaultKey the operator's own key for jobs without {@code spec.openai.apiKeySecretRef}
   *     (only when {@code DEFAULT_CREDENTIALS} is on); null: none
   */
  public record Settings(
      URI defaultBaseUrl,
      List<String> allowedEndpointHosts,
      boolean allowPlainHttpEndpoints,
      AllowList defaultKeyOrganizations,
      AllowList defaultKeyProjects,
      Credential defaultKey) {

    /** The environment variables these settings are read from ({@link #fromEnv}). */
    public static final String ENV_API_KEY = "OPENAI_API_KEY";

    public static final String ENV_BASE_URL = "OPENAI_BASE_URL";
    public static final String ENV_ENDPOINT_ALLOWLIST = "OPENAI_ENDPOINT_ALLOWLIST";
    public static final String ENV_DEFAULT_ORGANIZATIONS = "OPENAI_DEFAULT_ORGANIZATIONS";
    public static final String ENV_DEFAULT_PROJECTS = "OPENAI_DEFAULT_PROJECTS";

    /** OpenAI's public API. */
    public static final URI OPENAI_BASE_URL = URI.create("https://api.openai.com/v1");

    /**
     * OpenAI's own hosts and Azure OpenAI's v1 hosts (docs/providers/openai.md sections 5 and 7).
     */
    public static final List<String> DEFAULT_ALLOWED_HOSTS =
        List.of(
            "api.openai.com",
            "*.api.openai.com",
            "*.openai.azure.com",
            "*.services.ai.azure.com",
            "*.cognitiveservices.azure.com");

    private static final Pattern HOST_PATTERN =
        Pattern.compile(
            "^(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$");

    public Settings {
      Objects.requireNonNull(defaultBaseUrl, "defaultBaseUrl");
      defaultKeyOrganizations =
          defaultKeyOrganizations == null ? AllowList.none() : defaultKeyOrganizations;
      defaultKeyProjects = defaultKeyProjects == null ? AllowList.none() : defaultKeyProjects;
      if (HttpUrl.parse(defaultBaseUrl.toString()) == null) {
        throw new IllegalArgumentException("defaultBaseUrl must be an http(s) URL");
      }
      allowedEndpointHosts = HostPatterns.normalize(allowedEndpointHosts);
      for (String h : allowedEndpointHosts) {
        if (!HOST_PATTERN.matcher(h).matches()) {
          throw new IllegalArgumentException(
              "allowed endpoint host '" + h + "' is neither a host name nor *.suffix");
        }
      }
    }

    /** api.openai.com, with {@link #DEFAULT_ALLOWED_HOSTS} and https only. */
    public static Settings defaults() {
      return new Settings(
          OPENAI_BASE_URL, DEFAULT_ALLOWED_HOSTS, false, AllowList.none(), AllowList.none(), null);
    }

    /**
     * The settings in the operator's environment. The default key is only taken when {@code
     * defaultCredentials} (the operator's {@code DEFAULT_CREDENTIALS}) is on.
     */
    public static Settings fromEnv(Env env, boolean defaultCredentials) {
      Credential key =
          defaultCredentials
              ? env.get(ENV_API_KEY)
                  .map(k -> Credential.operatorDefault(k.getBytes(StandardCharsets.UTF_8)))
                  .orElse(null)
              : null;
      return defaults()
          .withDefaultBaseUrl(URI.create(env.get(ENV_BASE_URL, OPENAI_BASE_URL.toString())))
          .withAllowedEndpointHosts(env.list(ENV_ENDPOINT_ALLOWLIST, DEFAULT_ALLOWED_HOSTS))
          .withDefaultKeyTargets(
              env.allowList(ENV_DEFAULT_ORGANIZATIONS), env.allowList(ENV_DEFAULT_PROJECTS))
          .withDefaultKey(key);
    }

    public Settings withDefaultBaseUrl(URI url) {
      return new Settings(
          url,
          allowedEndpointHosts,
          allowPlainHttpEndpoints,
          defaultKeyOrganizations,
          defaultKeyProjects,
          defaultKey);
    }

    public Settings withAllowedEndpointHosts(List<String> hosts) {
      return new Settings(
          defaultBaseUrl,
          hosts,
          allowPlainHttpEndpoints,
          defaultKeyOrganizations,
          defaultKeyProjects,
          defaultKey);
    }

    public Settings withAllowPlainHttpEndpoints(boolean allow) {
      return new Settings(
          defaultBaseUrl,
          allowedEndpointHosts,
          allow,
          defaultKeyOrganizations,
          defaultKeyProjects,
          defaultKey);
    }

    /** The organizations and projects jobs on the operator's default key may name. */
    public Settings withDefaultKeyTargets(AllowList organizations, AllowList projects) {
      return new Settings(
          defaultBaseUrl,
          allowedEndpointHosts,
          allowPlainHttpEndpoints,
          organizations,
          projects,
          defaultKey);
    }

    /** The operator's own key (null: none) for jobs that name no Secret. */
    public Settings withDefaultKey(Credential key) {
      return new Settings(
          defaultBaseUrl,
          allowedEndpointHosts,
          allowPlainHttpEndpoints,
          defaultKeyOrganizations,
          defaultKeyProjects,
          key);
    }

    @Override
    public String toString() {
      return "OpenAiProvider.Settings[defaultBaseUrl="
          + defaultBaseUrl
          + ", allowedEndpointHosts="
          + allowedEndpointHosts
          + ", defaultKey="
          + (defaultKey == null ? "unset" : "set")
          + "]";
    }

    /** Parses a comma-separated allow-list, e.g. from an environment variable. */
    public static List<String> parseHostList(String commaSeparated) {
      if (commaSeparated == null || commaSeparated.isBlank()) {
        return List.of();
      }
      return Arrays.stream(commaSeparated.split(",")).map(String::strip).toList();
    }

    /** Whether a custom endpoint may use this host. */
    public boolean allowsHost(String host) {
      return allowedEndpointHosts.stream().anyMatch(p -> HostPatterns.matches(p, host));
    }
  }

  private final OpenAiClient client;
  private final OpenAiEndpoints endpoints;
  private final Settings settings;
  private final Clock clock;

  /** The provider as the operator's environment configures it. */
  public static OpenAiProvider fromEnv(
      Env env, boolean defaultCredentials, OkHttpClient http, Clock clock) {
    return new OpenAiProvider(http, Settings.fromEnv(env, defaultCredentials), clock);
  }

  public OpenAiProvider(OkHttpClient http, Settings settings, Clock clock) {
    this.clock = clock;
    this.settings = settings;
    this.client = new OpenAiClient(http, clock);
    this.endpoints = new OpenAiEndpoints(settings);
  }

  @Override
  public String id() {
    return OpenAiClient.PROVIDER;
  }

  @Override
  public boolean supportsPause() {
    return true;
  }

  @Override
  public CredentialRef credentialRef(TuningJobSpec spec) {
    OpenAiSpec openai = spec.getOpenai();
    return new CredentialRef(
        Optional.ofNullable(openai == null ? null : openai.getApiKeySecretRef()),
        "apiKey",
        "spec.openai.apiKeySecretRef",
        "default OpenAI key");
  }

  @Override
  public Optional<Credential> operatorCredential() {
    return Optional.ofNullable(settings.defaultKey());
  }

  /** OpenAI limits per organization and project; Azure per resource (the endpoint). */
  @Override
  public String rateScope(JobContext ctx) {
    OpenAiRequest r = ctx.request(OpenAiRequest.class);
    return ctx.credential().fingerprint()
        + "|"
        + (r.endpoint() == null ? "" : r.endpoint())
        + "|"
        + (r.organization() == null ? "" : r.organization())
        + "|"
        + (r.project() == null ? "" : r.project());
  }

  /** Everything is read here; the create body is checked by {@link #create}. */
  @Override
  public JobRequest prepare(TuningJobSpec spec) {
    return OpenAiRequest.of(spec);
  }

  @Override
  public boolean isJobId(String jobId) {
    return jobId != null && JOB_ID.matcher(jobId).matches();
  }

  @Override
  public String jobIdFormat() {
    return "ftjob-…";
  }

  /** The endpoint, key and default-key targets are all decided without a request. */
  @Override
  public void checkAccess(JobContext ctx) throws ProviderException {
    endpoints.resolve(ctx);
  }

  /** Ids reach a URL path: anything but the id format (e.g. {@code ..}) is refused first. */
  private String checkedId(String jobId) throws ProviderException {
    if (!isJobId(jobId)) {
      throw new ProviderException(
          ErrorKind.PERMANENT, "job id is not an OpenAI fine-tuning job id (ftjob-…)");
    }
    return jobId;
  }

  @Override
  public ProviderJob create(JobContext ctx) throws ProviderException {
    // Both checks run before any request exists: a bad spec or a refused endpoint sends nothing.
    OpenAiWire.CreateJobRequest body = OpenAiMapper.toCreateRequest(ctx);
    OpenAiTarget target = endpoints.resolve(ctx);
    ctx.checkSendBy(clock.instant(), id());
    ProviderJob job = OpenAiMapper.toProviderJob(client.create(target, body));
    log.atInfo()
        .addKeyValue("provider", id())
        .addKeyValue("operation", "create")
        .addKeyValue("jobId", job.id())
        .log("created OpenAI fine-tuning job {} ({})", job.id(), job.rawState());
    return job;
  }

  @Override
  public ProviderJob get(JobContext ctx, String jobId) throws ProviderException {
    OpenAiTarget target = endpoints.resolve(ctx);
    return OpenAiMapper.toProviderJob(client.get(target, checkedId(jobId)));
  }

  /**
   * The newest checkpoint ({@code GET …/checkpoints?limit=1}) as progress: OpenAI's job object has
   * no step or loss. Empty until the job's first checkpoint.
   */
  @Override
  public Optional<ProviderJob.Progress> progress(JobContext ctx, String jobId)
      throws ProviderException {
    OpenAiTarget target = endpoints.resolve(ctx);
    return OpenAiMapper.toProgress(client.checkpoints(target, checkedId(jobId), 1));
  }

  /** The shared tag search ({@link TagMatches}) over the list filtered by the metadata tag. */
  @Override
  public Optional<ProviderJob> findByTag(JobContext ctx) throws ProviderException {
    OpenAiTarget target = endpoints.resolve(ctx);
    String uid = ctx.resourceUid();
    return TagMatches.search(
        id(),
        MAX_PAGES,
        after -> {
          OpenAiWire.JobList list = client.list(target, TAG_KEY, uid, after);
          // The server filters by metadata already; check again in case a server ignores it.
          List<ProviderJob> matches = new ArrayList<>();
          for (OpenAiWire.Job j : list.data()) {
            if (j.metadata() != null && uid.equals(j.metadata().get(TAG_KEY))) {
              matches.add(OpenAiMapper.toProviderJob(j));
            }
          }
          if (!Boolean.TRUE.equals(list.hasMore())) {
            return new TagMatches.Page(matches, null);
          }
          if (list.data().isEmpty()) {
            throw TagMatches.incomplete(id(), "a page said has_more without any job");
          }
          return new TagMatches.Page(matches, list.data().get(list.data().size() - 1).id());
        });
  }

  /** True: the list answers the same job objects as a read. */
  @Override
  public boolean listShowsWholeJobs() {
    return true;
  }

  /**
   * The list, newest first, read page by page only until every job asked for was seen (running jobs
   * are recent, so usually one page serves a thousand of them). A page that fails fails the answer.
   */
  @Override
  public Optional<List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds, PageGate pages) throws ProviderException {
    OpenAiTarget target = endpoints.resolve(ctx);
    java.util.Set<String> missing = new java.util.HashSet<>(jobIds);
    List<ProviderJob> seen = new ArrayList<>();
    String after = null;
    for (int page = 0; page < MAX_PAGES && !missing.isEmpty(); page++) {
      pages.beforePage();
      OpenAiWire.JobList list = client.list(target, null, null, after);
      for (OpenAiWire.Job j : list.data()) {
        if (missing.remove(j.id())) {
          ProviderJob job = OpenAiMapper.toProviderJob(j);
          seen.add(job);
          pages.seen(job);
        }
      }
      if (!Boolean.TRUE.equals(list.hasMore()) || list.data().isEmpty()) {
        break;
      }
      after = list.data().get(list.data().size() - 1).id();
    }
    return Optional.of(seen);
  }

  @Override
  public ProviderJob cancel(JobContext ctx, String jobId) throws ProviderException {
    return act(ctx, jobId, JobAction.CANCEL);
  }

  @Override
  public ProviderJob pause(JobContext ctx, String jobId) throws ProviderException {
    return act(ctx, jobId, JobAction.PAUSE);
  }

  @Override
  public ProviderJob resume(JobContext ctx, String jobId) throws ProviderException {
    return act(ctx, jobId, JobAction.RESUME);
  }

  /** Runs cancel, pause or resume with the shared answer to a refusal ({@link JobAction}). */
  private ProviderJob act(JobContext ctx, String jobId, JobAction action) throws ProviderException {
    OpenAiTarget target = endpoints.resolve(ctx);
    checkedId(jobId);
    return action.perform(
        id(),
        jobId,
        () -> OpenAiMapper.toProviderJob(client.action(target, jobId, action.verb())),
        () -> OpenAiMapper.toProviderJob(client.get(target, jobId)));
  }
}
