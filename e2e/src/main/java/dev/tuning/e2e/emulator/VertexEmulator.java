package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.tuning.e2e.emulator.Faults.Operation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A stateful fake of the Vertex AI v1 {@code projects.locations.tuningJobs} API on 127.0.0.1, with
 * fake Google token endpoints ({@code POST /token}, GCE metadata token path).
 *
 * <p>Create validates like aiplatform ({@link VertexValidator}) and returns the job in {@code
 * JOB_STATE_PENDING}; it then goes {@code QUEUED → RUNNING → SUCCEEDED} on the configured clock, or
 * {@code PENDING → FAILED} with {@code error {code: 3}} when its training dataset URI contains the
 * {@link Faults#failMarker() fail marker}. {@code :cancel} answers {@code {}} and moves the job to
 * {@code JOB_STATE_CANCELLING}, then after {@link EmulatorConfig#cancelling()} to {@code
 * JOB_STATE_CANCELLED} with {@code error {code: 1, message: "CANCELLED"}}; cancelling a finished
 * job is 400 FAILED_PRECONDITION. List is newest first, {@code pageSize} default 50 (values above
 * 100 are coerced to 100), opaque {@code pageToken}, filters as in {@link VertexFilter}. The API
 * needs {@code Authorization: Bearer <token>} (401 UNAUTHENTICATED otherwise).
 */
public final class VertexEmulator extends HttpEmulator {

  private static final String PARENT = "/v1/(projects/[^/]+/locations/[^/]+)";
  private static final String JOBS = PARENT + "/tuningJobs";
  private static final String JOB = JOBS + "/(\\d+)";

  private final JobStore<VertexJob> jobs = new JobStore<>();
  private final GoogleTokens tokens = new GoogleTokens();
  private final List<Route> routes =
      List.of(
          new Route("POST", Pattern.compile(JOBS), Operation.CREATE, true, this::create),
          new Route("GET", Pattern.compile(JOBS), Operation.LIST, true, this::list),
          new Route("GET", Pattern.compile(JOB), Operation.GET, true, this::get),
          new Route("POST", Pattern.compile(JOB + ":cancel"), Operation.CANCEL, true, this::cancel),
          new Route("POST", Pattern.compile("/token"), Operation.TOKEN, false, tokens::token),
          new Route(
              "GET",
              Pattern.compile("/computeMetadata/v1/instance/service-accounts/default/token"),
              Operation.TOKEN,
              false,
              tokens::metadataToken),
          new Route(
              "GET",
              Pattern.compile("/|/computeMetadata/v1/?"),
              Operation.TOKEN,
              false,
              tokens::metadataPing));

  /** Starts on a random free port. */
  public VertexEmulator(EmulatorConfig config) {
    this(config, 0);
  }

  /** Starts on {@code port} (0 = a random free port). */
  public VertexEmulator(EmulatorConfig config, int port) {
    super(config, port, new RequestLog(JOBS, JOB + ":cancel"));
  }

  /** {@code http://127.0.0.1:PORT}, the API root (requests go to {@code /v1/projects/…}). */
  @Override
  public String baseUrl() {
    return rootUrl();
  }

  /** {@code http://127.0.0.1:PORT/token}, for a credentials file's {@code token_uri}. */
  public String tokenUri() {
    return rootUrl() + "/token";
  }

  /** How many jobs exist. */
  public int jobCount() {
    return jobs.size();
  }

  @Override
  List<Route> routes() {
    return routes;
  }

  @Override
  ApiResponse notFound(String method, String path) {
    return ApiResponse.json(
        404,
        VertexErrors.envelope(
            404, "The requested URL " + method + " " + path + " was not found.", "NOT_FOUND"));
  }

  @Override
  Optional<ApiResponse> authenticate(Headers headers) {
    String auth = Optional.ofNullable(headers.getFirst("Authorization")).orElse("");
    String token = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : "";
    boolean known = config.validKeys().isEmpty() || config.validKeys().contains(token);
    if (token.isEmpty() || !(known || tokens.issued(token))) {
      return Optional.of(VertexErrors.unauthenticated());
    }
    return Optional.empty();
  }

  @Override
  ApiResponse faultResponse(Fault fault) {
    return VertexErrors.fault(fault);
  }

  @Override
  ApiResponse jobNotFound(String path) {
    return VertexErrors.notFound("tuning job").response();
  }

  @Override
  public Map<String, Long> jobsByTag() {
    return jobs.newestFirst().stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                j -> j.request.labels().getOrDefault("tuningjob-uid", ""),
                java.util.stream.Collectors.counting()));
  }

  @Override
  void clearJobs() {
    jobs.clear();
    tokens.clear();
  }

  @Override
  String redactBody(String path, String body) {
    return path.equals("/token") ? GoogleTokens.redact(body) : body;
  }

  private ApiResponse create(Call call) {
    VertexRequest request = VertexValidator.validate(call.body());
    boolean fails = faults().shouldFail(request.trainingDatasetUri());
    VertexJob job =
        new VertexJob(
            call.match().group(1),
            JobStore.randomNumericId(),
            request,
            new JobLifecycle(config, call.now(), fails));
    jobs.add(job.name, job);
    return ApiResponse.ok(job.toJson(call.now()));
  }

  private ApiResponse get(Call call) {
    return ApiResponse.ok(job(call).toJson(call.now()));
  }

  private ApiResponse cancel(Call call) {
    VertexJob job = job(call);
    if (!job.lifecycle.cancel(call.now(), config.cancelling())) {
      throw VertexErrors.failedPrecondition(
          "TuningJob "
              + job.name
              + " is in state "
              + job.state(call.now())
              + " and cannot be cancelled.");
    }
    return ApiResponse.ok(Json.object());
  }

  private ApiResponse list(Call call) {
    String parent = call.match().group(1);
    VertexFilter asked = VertexFilter.parse(call.param("filter"));
    VertexFilter filter = faults().listFiltersIgnored() ? VertexFilter.parse(null) : asked;
    int pageSize = Math.min(pageSize(call.param("pageSize")), faults().listPageLimit());
    List<VertexJob> all = jobs.newestFirst().stream().filter(j -> j.parent.equals(parent)).toList();
    int start = 0;
    String token = call.param("pageToken");
    if (token != null && !token.isEmpty()) {
      String after =
          Json.lastIdOf(token)
              .orElseThrow(() -> VertexErrors.invalid("page_token", "Invalid page token."));
      start = all.stream().map(j -> j.name).toList().indexOf(after) + 1;
      if (start == 0) {
        throw VertexErrors.invalid("page_token", "Invalid page token.");
      }
    }
    List<VertexJob> matching =
        all.subList(start, all.size()).stream().filter(j -> filter.test(j, call.now())).toList();
    ObjectNode page = Json.object();
    List<VertexJob> shown = matching.subList(0, Math.min(pageSize, matching.size()));
    if (!shown.isEmpty()) {
      ArrayNode list = page.putArray("tuningJobs");
      shown.forEach(j -> list.add(j.toJson(call.now())));
    }
    if (matching.size() > pageSize) {
      String last = shown.get(shown.size() - 1).name;
      page.put("nextPageToken", Json.pageToken(last));
    }
    return ApiResponse.ok(page);
  }

  private VertexJob job(Call call) {
    String name = call.match().group(1) + "/tuningJobs/" + call.match().group(2);
    return jobs.get(name)
        .orElseThrow(() -> VertexErrors.notFound("TuningJob " + name + " not found."));
  }

  private static int pageSize(String raw) {
    if (raw == null || raw.isEmpty()) {
      return 50;
    }
    int n;
    try {
      n = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw VertexErrors.invalid(
          "page_size", "Invalid value at 'page_size' (TYPE_INT32), \"" + raw + "\"");
    }
    if (n < 0) {
      throw VertexErrors.invalid("page_size", "page_size must not be negative.");
    }
    return n == 0 ? 50 : Math.min(n, 100);
  }
}
