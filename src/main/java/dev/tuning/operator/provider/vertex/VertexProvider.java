package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.api.v1alpha1.VertexSpec;
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
import dev.tuning.operator.provider.TagMatches;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.vertex.VertexDtos.ListResponse;
import dev.tuning.operator.provider.vertex.VertexDtos.TuningJob;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Google Vertex AI tuning jobs (aiplatform v1) behind the provider SPI.
 *
 * <p>Jobs live at {@code https://{location}-aiplatform.googleapis.com} (or {@link
 * Settings#endpoint()}); {@link ProviderJob#id()} is the full resource name {@code
 * projects/…/locations/…/tuningJobs/…}. The TuningJob's UID goes into the label {@value
 * TuningProvider#TAG_KEY}. Vertex cannot pause, update or delete tuning jobs; cancel is
 * asynchronous and best-effort (a cancelled job may still end SUCCEEDED).
 */
public final class VertexProvider implements TuningProvider {

  /** The provider id, as in {@code spec.provider}. */
  public static final String ID = "vertex";

  /**
   * Operator-level settings.
   *
   * @param endpoint base URL used instead of {@code https://{location}-aiplatform.googleapis.com}
   *     (emulators, tests), e.g. {@code http://127.0.0.1:8080}; null for Google
   * @param listPageSize pageSize for list calls
   * @param maxListPages how many pages {@link #findByTag} reads before giving up with an error
   * @param ambientProjects projects the operator's own Google identity (Application Default
   *     Credentials, Workload Identity) may be used for; empty: none
   * @param ambientServiceAccounts service accounts a job run with the operator's identity may name
   *     in {@code spec.vertex.serviceAccount}; empty: the field must be unset
   * @param ambient whether jobs without {@code spec.vertex.credentialsSecretRef} may use the
   *     operator's own identity at all (the operator's {@code DEFAULT_CREDENTIALS})
   */
  public record Settings(
      String endpoint,
      int listPageSize,
      int maxListPages,
      AllowList ambientProjects,
      AllowList ambientServiceAccounts,
      boolean ambient) {

    /** The environment variables these settings are read from ({@link #fromEnv}). */
    public static final String ENV_ENDPOINT = "VERTEX_ENDPOINT";

    public static final String ENV_DEFAULT_PROJECTS = "VERTEX_DEFAULT_PROJECTS";
    public static final String ENV_DEFAULT_SERVICE_ACCOUNTS = "VERTEX_DEFAULT_SERVICE_ACCOUNTS";
    public static final String ENV_EXTERNAL_ACCOUNT_SECRETS = "GOOGLE_EXTERNAL_ACCOUNT_SECRETS";
    public static final String ENV_EXTERNAL_ACCOUNT_URL_HOSTS = "GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS";

    public Settings {
      ambientProjects = ambientProjects == null ? AllowList.none() : ambientProjects;
      ambientServiceAccounts =
          ambientServiceAccounts == null ? AllowList.none() : ambientServiceAccounts;
      if (endpoint != null && HttpUrl.parse(endpoint) == null) {
        throw new IllegalArgumentException("Vertex AI endpoint is not an http(s) URL");
      }
      if (listPageSize < 1 || maxListPages < 1) {
        throw new IllegalArgumentException("listPageSize and maxListPages must be positive");
      }
    }

    /**
     * Google's regional endpoints, 100 jobs a page, at most 1000 pages, the operator's identity for
     * no project.
     */
    public static Settings defaults() {
      return new Settings(null, 100, 1000, AllowList.none(), AllowList.none(), false);
    }

    /**
     * The settings in the operator's environment; the operator's identity is only used when {@code
     * defaultCredentials} (the operator's {@code DEFAULT_CREDENTIALS}) is on.
     */
    public static Settings fromEnv(Env env, boolean defaultCredentials) {
      return defaults()
          .withEndpoint(env.get(ENV_ENDPOINT).orElse(null))
          .withAmbientAllowed(
              env.allowList(ENV_DEFAULT_PROJECTS), env.allowList(ENV_DEFAULT_SERVICE_ACCOUNTS))
          .withAmbient(defaultCredentials);
    }

    /** These settings with another endpoint (null for Google's). */
    public Settings withEndpoint(String newEndpoint) {
      return new Settings(
          newEndpoint,
          listPageSize,
          maxListPages,
          ambientProjects,
          ambientServiceAccounts,
          ambient);
    }

    /** These settings with the projects and service accounts the operator's identity serves. */
    public Settings withAmbientAllowed(AllowList projects, AllowList serviceAccounts) {
      return new Settings(endpoint, listPageSize, maxListPages, projects, serviceAccounts, ambient);
    }

    /** These settings with the operator's own identity enabled or not. */
    public Settings withAmbient(boolean enabled) {
      return new Settings(
          endpoint, listPageSize, maxListPages, ambientProjects, ambientServiceAccounts, enabled);
    }
  }

  private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");
  private static final Pattern JOB_NAME =
      Pattern.compile(
          "projects/([A-Za-z0-9][A-Za-z0-9._-]*)/locations/([a-z][a-z0-9-]*[a-z0-9])"
              + "/tuningJobs/([A-Za-z0-9][A-Za-z0-9_-]*)");

  private final Settings settings;
  private final GoogleCredentialsFactory credentials;
  private final VertexClient client;
  private final VertexMapper mapper = new VertexMapper();

  /** The provider as the operator's environment configures it. */
  public static VertexProvider fromEnv(
      Env env, boolean defaultCredentials, OkHttpClient http, Clock clock) {
    var secrets =
        new GoogleSecretPolicy(
            env.bool(Settings.ENV_EXTERNAL_ACCOUNT_SECRETS, false),
            env.list(Settings.ENV_EXTERNAL_ACCOUNT_URL_HOSTS),
            false);
    return new VertexProvider(
        http,
        Settings.fromEnv(env, defaultCredentials),
        GoogleCredentialsFactory.defaults(secrets),
        clock);
  }

  public VertexProvider(
      OkHttpClient http, Settings settings, GoogleCredentialsFactory credentials, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    ObjectMapper json = dev.tuning.operator.provider.ProviderJson.MAPPER;
    this.client =
        new VertexClient(
            Objects.requireNonNull(http, "http"),
            Objects.requireNonNull(credentials, "credentials"),
            new VertexErrors(json, Objects.requireNonNull(clock, "clock")),
            json,
            clock);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean supportsPause() {
    return false;
  }

  @Override
  public CredentialRef credentialRef(TuningJobSpec spec) {
    VertexSpec vertex = spec.getVertex();
    return new CredentialRef(
        Optional.ofNullable(vertex == null ? null : vertex.getCredentialsSecretRef()),
        "key.json",
        "spec.vertex.credentialsSecretRef",
        "default Google credentials");
  }

  /** The operator's Application Default Credentials (e.g. GKE Workload Identity), if enabled. */
  @Override
  public Optional<Credential> operatorCredential() {
    return settings.ambient() ? Optional.of(Credential.ambient()) : Optional.empty();
  }

  @Override
  public JobRequest prepare(TuningJobSpec spec) throws ProviderException {
    return VertexRequest.of(spec);
  }

  /** Vertex AI quotas are per project and region. */
  @Override
  public String rateScope(JobContext ctx) {
    VertexRequest r = ctx.request(VertexRequest.class);
    return ctx.credential().fingerprint() + "|" + r.parent();
  }

  @Override
  public boolean isJobId(String jobId) {
    return jobId != null && JOB_NAME.matcher(jobId).matches();
  }

  @Override
  public String jobIdFormat() {
    return "projects/P/locations/L/tuningJobs/ID";
  }

  /**
   * A Secret's document is held to the {@link GoogleSecretPolicy}; the operator's own identity
   * serves only the allowed projects and service accounts.
   */
  @Override
  public void checkAccess(JobContext ctx) throws ProviderException {
    VertexRequest vertex = vertex(ctx);
    credentials.check(ctx.credential());
    if (!ctx.credential().operatorOwned()) {
      return;
    }
    if (!settings.ambientProjects().allows(vertex.project())) {
      throw rejected(
          "spec.vertex.project "
              + vertex.project()
              + " may not use the operator's Google identity (VERTEX_DEFAULT_PROJECTS); set"
              + " spec.vertex.credentialsSecretRef");
    }
    String serviceAccount = vertex.serviceAccount();
    if (serviceAccount != null && !settings.ambientServiceAccounts().allows(serviceAccount)) {
      throw rejected(
          "spec.vertex.serviceAccount may not be used with the operator's Google identity"
              + " (VERTEX_DEFAULT_SERVICE_ACCOUNTS); set spec.vertex.credentialsSecretRef");
    }
  }

  /**
   * With the operator's identity, an annotated job must live in {@code spec.vertex.project} or a
   * project on {@code VERTEX_DEFAULT_PROJECTS} (job names carry the project number, so list it too
   * to adopt by number).
   */
  @Override
  public void checkJobAccess(JobContext ctx, String jobId) throws ProviderException {
    Matcher m = jobId == null ? null : JOB_NAME.matcher(jobId);
    if (m == null || !m.matches() || !ctx.credential().operatorOwned()) {
      return;
    }
    String project = m.group(1);
    if (!project.equals(vertex(ctx).project()) && !settings.ambientProjects().allows(project)) {
      throw rejected(
          "annotation tuning.dev/job-id names project "
              + project
              + ", which the operator's Google identity may not be used for"
              + " (VERTEX_DEFAULT_PROJECTS); set spec.vertex.credentialsSecretRef");
    }
  }

  private static ProviderException rejected(String message) {
    return ProviderException.credentialsRejected(message);
  }

  @Override
  public ProviderJob create(JobContext ctx) throws ProviderException {
    checkAccess(ctx);
    VertexRequest vertex = vertex(ctx);
    TuningJob body = mapper.toCreateRequest(ctx);
    TuningJob created = client.create(baseUrl(vertex.location()), vertex.parent(), body, ctx);
    return toJob(created);
  }

  @Override
  public ProviderJob get(JobContext ctx, String jobId) throws ProviderException {
    return toJob(client.get(baseUrl(locationOf(jobId)), jobId, ctx.credential()));
  }

  @Override
  public Optional<ProviderJob> findByTag(JobContext ctx) throws ProviderException {
    checkAccess(ctx);
    VertexRequest vertex = vertex(ctx);
    HttpUrl base = baseUrl(vertex.location());
    String filter = "labels." + TAG_KEY + "=\"" + ctx.resourceUid() + "\"";
    try {
      return scan(ctx, base, vertex.parent(), filter);
    } catch (ProviderException e) {
      // Label filtering on tuningJobs is not documented; if the filter itself is refused, scan
      // every job and match client-side rather than risk a duplicate create.
      if (e.kind() != ErrorKind.PERMANENT
          || !e.providerCode().orElse("").equals("INVALID_ARGUMENT")) {
        throw e;
      }
      return scan(ctx, base, vertex.parent(), null);
    }
  }

  private Optional<ProviderJob> scan(JobContext ctx, HttpUrl base, String parent, String filter)
      throws ProviderException {
    return TagMatches.search(
        ID,
        settings.maxListPages(),
        token -> {
          ListResponse response =
              client.list(base, parent, filter, settings.listPageSize(), token, ctx.credential());
          List<ProviderJob> matches = new ArrayList<>();
          if (response.tuningJobs() != null) {
            for (TuningJob job : response.tuningJobs()) {
              // The server-side filter is not trusted: check the label on every result.
              if (job.name() != null
                  && job.labels() != null
                  && ctx.resourceUid().equals(job.labels().get(TAG_KEY))) {
                matches.add(mapper.toProviderJob(job));
              }
            }
          }
          return new TagMatches.Page(matches, response.nextPageToken());
        });
  }

  /** True: ListTuningJobs answers whole TuningJob resources, as a read does. */
  @Override
  public boolean listShowsWholeJobs() {
    return true;
  }

  /**
   * The project and region's jobs, page by page only until every job asked for was seen; a page
   * that fails fails the answer.
   */
  @Override
  public Optional<List<ProviderJob>> listTracked(
      JobContext ctx, java.util.Set<String> jobIds, PageGate pages) throws ProviderException {
    checkAccess(ctx);
    VertexRequest vertex = vertex(ctx);
    HttpUrl base = baseUrl(vertex.location());
    java.util.Set<String> missing = new java.util.HashSet<>(jobIds);
    List<ProviderJob> seen = new ArrayList<>();
    String token = null;
    for (int page = 0; page < settings.maxListPages() && !missing.isEmpty(); page++) {
      pages.beforePage();
      ListResponse response =
          client.list(
              base, vertex.parent(), null, settings.listPageSize(), token, ctx.credential());
      if (response.tuningJobs() != null) {
        for (TuningJob job : response.tuningJobs()) {
          if (job.name() != null && missing.remove(job.name())) {
            ProviderJob view = toJob(job);
            seen.add(view);
            pages.seen(view);
          }
        }
      }
      token = response.nextPageToken();
      if (token == null || token.isEmpty()) {
        break;
      }
    }
    return Optional.of(seen);
  }

  /**
   * Cancel answers with an empty body, so the job is read afterwards; a refused cancel (e.g.
   * FAILED_PRECONDITION for a job that already ended) gets the shared re-read ({@link JobAction}).
   */
  @Override
  public ProviderJob cancel(JobContext ctx, String jobId) throws ProviderException {
    HttpUrl base = baseUrl(locationOf(jobId));
    return JobAction.CANCEL.sendThenRead(
        ID, jobId, () -> client.cancel(base, jobId, ctx.credential()), () -> get(ctx, jobId));
  }

  private ProviderJob toJob(TuningJob job) throws ProviderException {
    if (job.name() == null || !JOB_NAME.matcher(job.name()).matches()) {
      throw new ProviderException(
          ErrorKind.TRANSIENT, "Vertex AI returned a tuning job without a valid resource name");
    }
    return mapper.toProviderJob(job);
  }

  private static VertexRequest vertex(JobContext ctx) {
    return ctx.request(VertexRequest.class);
  }

  private static String locationOf(String jobId) throws ProviderException {
    Matcher m = jobId == null ? null : JOB_NAME.matcher(jobId);
    if (m == null || !m.matches()) {
      throw new ProviderException(
          ErrorKind.PERMANENT,
          "job id is not a Vertex AI tuning job name (projects/P/locations/L/tuningJobs/ID)");
    }
    return m.group(2);
  }

  /** The regional host for {@code location}, or the override; the location never forms a host. */
  private HttpUrl baseUrl(String location) throws ProviderException {
    if (!LOCATION.matcher(location).matches()) {
      throw new ProviderException(
          ErrorKind.PERMANENT, "spec.vertex.location is not a Vertex AI region");
    }
    if (settings.endpoint() != null) {
      return HttpUrl.get(settings.endpoint());
    }
    String host =
        location.equals("global")
            ? "aiplatform.googleapis.com"
            : location + "-aiplatform.googleapis.com";
    return new HttpUrl.Builder().scheme("https").host(host).build();
  }
}
