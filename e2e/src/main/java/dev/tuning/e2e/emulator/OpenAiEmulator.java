package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.tuning.e2e.emulator.Faults.Operation;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * A stateful fake of the OpenAI fine-tuning jobs API ({@code /v1/fine_tuning/jobs*}) on 127.0.0.1.
 *
 * <p>Create validates like the real API ({@link OpenAiValidator}); jobs go {@code validating_files
 * → queued → running → succeeded} on the configured clock, or {@code validating_files → failed}
 * with error code {@code invalid_training_file} when the training file contains the {@link
 * Faults#failMarker() fail marker}. State rules (HTTP 400 {@code invalid_request_error} otherwise):
 * pause only a {@code running} job (→ {@code paused}); resume only a {@code paused} job (→ {@code
 * queued}, then {@code running} for the time it had left); cancel any job that has not ended (→
 * {@code cancelled} at once). Authentication: {@code Authorization: Bearer <key>} or {@code
 * api-key: <key>}; any non-empty key unless {@link EmulatorConfig#validKeys()} names some. Every
 * answer carries {@code x-request-id}.
 *
 * <p>Checkpoints ({@code GET …/checkpoints}, newest first, with {@code first_id}/{@code last_id}):
 * one at the end of each epoch of running time, see {@link OpenAiJob#checkpoints}.
 */
public final class OpenAiEmulator extends HttpEmulator {

  /** The {@code organization_id} of every job. */
  public static final String ORGANIZATION = "org-emulator";

  private static final String JOBS = "/v1/fine_tuning/jobs";
  private static final String JOB = JOBS + "/([^/]+)";

  private final JobStore<OpenAiJob> jobs = new JobStore<>();
  private final List<Route> routes =
      List.of(
          new Route("POST", Pattern.compile(JOBS), Operation.CREATE, true, this::create),
          new Route("GET", Pattern.compile(JOBS), Operation.LIST, true, this::list),
          new Route("GET", Pattern.compile(JOB), Operation.GET, true, this::get),
          new Route("POST", Pattern.compile(JOB + "/cancel"), Operation.CANCEL, true, this::cancel),
          new Route("POST", Pattern.compile(JOB + "/pause"), Operation.PAUSE, true, this::pause),
          new Route("POST", Pattern.compile(JOB + "/resume"), Operation.RESUME, true, this::resume),
          new Route("GET", Pattern.compile(JOB + "/events"), Operation.EVENTS, true, this::events),
          new Route(
              "GET",
              Pattern.compile(JOB + "/checkpoints"),
              Operation.CHECKPOINTS,
              true,
              this::checkpoints));

  /** Starts on a random free port. */
  public OpenAiEmulator(EmulatorConfig config) {
    this(config, 0);
  }

  /** Starts on {@code port} (0 = a random free port). */
  public OpenAiEmulator(EmulatorConfig config, int port) {
    super(config, port, new RequestLog(JOBS, JOB + "/cancel"));
  }

  /** {@code http://127.0.0.1:PORT/v1}, the OpenAI client base URL. */
  @Override
  public String baseUrl() {
    return rootUrl() + "/v1";
  }

  /** How many jobs exist. */
  public int jobCount() {
    return jobs.size();
  }

  /**
   * For each job that has reached its terminal stage by now (emulator clock), the instant it did;
   * jobs that have not ended are absent. Computed from each job's lifecycle at this instant.
   */
  public Map<String, java.time.Instant> endedAt() {
    java.time.Instant now = config.clock().instant();
    Map<String, java.time.Instant> ended = new LinkedHashMap<>();
    for (OpenAiJob j : jobs.newestFirst()) {
      java.time.Instant at = j.lifecycle.snapshot(now).ended();
      if (at != null) {
        ended.put(j.id, at);
      }
    }
    return ended;
  }

  /** How many jobs are in each OpenAI status ({@code running}, {@code succeeded} …) now. */
  public Map<String, Long> countByStatus() {
    java.time.Instant now = config.clock().instant();
    return jobs.newestFirst().stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                j -> OpenAiJob.status(j.lifecycle.snapshot(now).stage()),
                java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
  }

  @Override
  List<Route> routes() {
    return routes;
  }

  @Override
  ApiResponse notFound(String method, String path) {
    return OpenAiErrors.invalidUrl(method, path);
  }

  @Override
  Optional<ApiResponse> authenticate(Headers headers) {
    String auth = Optional.ofNullable(headers.getFirst("Authorization")).orElse("");
    String key = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : "";
    if (key.isEmpty()) {
      key = Optional.ofNullable(headers.getFirst("api-key")).orElse("").trim();
    }
    if (key.isEmpty()) {
      return Optional.of(OpenAiErrors.missingKey());
    }
    if (!config.validKeys().isEmpty() && !config.validKeys().contains(key)) {
      return Optional.of(OpenAiErrors.wrongKey());
    }
    return Optional.empty();
  }

  @Override
  ApiResponse faultResponse(Fault fault) {
    return OpenAiErrors.fault(fault);
  }

  @Override
  ApiResponse jobNotFound(String path) {
    return OpenAiErrors.notFound(path.replaceAll(".*/jobs/([^/]+).*", "$1")).response();
  }

  @Override
  public Map<String, Long> jobsByTag() {
    return jobs.newestFirst().stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                j ->
                    j.request.metadata() == null
                        ? ""
                        : j.request.metadata().path("tuningjob-uid").asText(""),
                java.util.stream.Collectors.counting()));
  }

  @Override
  void clearJobs() {
    jobs.clear();
  }

  @Override
  void decorate(Headers h) {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    h.set("x-request-id", "req_" + HexFormat.of().formatHex(id));
    h.set("openai-organization", ORGANIZATION);
    h.set("openai-version", "2020-10-01");
    h.set("openai-processing-ms", "1");
  }

  private ApiResponse create(Call call) {
    OpenAiRequest request = OpenAiValidator.validate(call.body());
    String token = JobStore.randomAlnum(24);
    long seed =
        request.seed() != null
            ? request.seed()
            : ThreadLocalRandom.current().nextLong(0, 2147483648L);
    boolean fails = faults().shouldFail(request.trainingFile());
    OpenAiJob job =
        new OpenAiJob(token, request, seed, new JobLifecycle(config, call.now(), fails));
    jobs.add(job.id, job);
    return ApiResponse.ok(job.toJson(call.now()));
  }

  private ApiResponse get(Call call) {
    return ApiResponse.ok(job(call).toJson(call.now()));
  }

  private ApiResponse list(Call call) {
    int limit = Math.min(limit(call), faults().listPageLimit());
    boolean filtered = !faults().listFiltersIgnored();
    Map<String, String> filter = new LinkedHashMap<>();
    call.query()
        .forEach(
            (k, v) -> {
              if (filtered && k.startsWith("metadata[") && k.endsWith("]")) {
                filter.put(k.substring(9, k.length() - 1), v.get(0));
              }
            });
    boolean wantNone = filtered && "null".equals(call.param("metadata"));
    List<OpenAiJob> all = jobs.newestFirst();
    String after = call.param("after");
    int start = 0;
    if (after != null) {
      start = indexOf(all, after, (j, id) -> j.id.equals(id)) + 1;
    }
    List<OpenAiJob> matching =
        all.subList(start, all.size()).stream()
            .filter(j -> j.matchesMetadata(filter, wantNone))
            .toList();
    ObjectNode page = Json.object().put("object", "list");
    ArrayNode data = page.putArray("data");
    matching.stream().limit(limit).forEach(j -> data.add(j.toJson(call.now())));
    page.put("has_more", matching.size() > limit);
    return ApiResponse.ok(page);
  }

  private ApiResponse cancel(Call call) {
    OpenAiJob job = job(call);
    if (!job.lifecycle.cancel(call.now(), Duration.ZERO)) {
      throw conflict(job, call, "cancelled", "it has already finished");
    }
    return ApiResponse.ok(job.toJson(call.now()));
  }

  private ApiResponse pause(Call call) {
    OpenAiJob job = job(call);
    if (!job.lifecycle.pause(call.now())) {
      throw conflict(job, call, "paused", "only running jobs can be paused");
    }
    return ApiResponse.ok(job.toJson(call.now()));
  }

  private ApiResponse resume(Call call) {
    OpenAiJob job = job(call);
    if (!job.lifecycle.resume(call.now())) {
      throw conflict(job, call, "resumed", "only paused jobs can be resumed");
    }
    return ApiResponse.ok(job.toJson(call.now()));
  }

  private ApiResponse events(Call call) {
    OpenAiJob job = job(call);
    int limit = limit(call);
    List<ObjectNode> all = job.events(call.now());
    String after = call.param("after");
    int start =
        after == null ? 0 : indexOf(all, after, (e, id) -> e.path("id").asText().equals(id)) + 1;
    List<ObjectNode> rest = all.subList(start, all.size());
    ObjectNode page = Json.object().put("object", "list");
    page.putArray("data").addAll(rest.subList(0, Math.min(limit, rest.size())));
    page.put("has_more", rest.size() > limit);
    return ApiResponse.ok(page);
  }

  /** The checkpoint list envelope: events' plus {@code first_id} and {@code last_id}. */
  private ApiResponse checkpoints(Call call) {
    OpenAiJob job = job(call);
    int limit = limit(call, 10);
    List<ObjectNode> all = job.checkpoints(call.now());
    String after = call.param("after");
    int start =
        after == null ? 0 : indexOf(all, after, (c, id) -> c.path("id").asText().equals(id)) + 1;
    List<ObjectNode> rest = all.subList(start, all.size());
    List<ObjectNode> data = rest.subList(0, Math.min(limit, rest.size()));
    ObjectNode page = Json.object().put("object", "list");
    page.putArray("data").addAll(data);
    page.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
    page.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
    page.put("has_more", rest.size() > limit);
    return ApiResponse.ok(page);
  }

  private OpenAiJob job(Call call) {
    String id = call.match().group(1);
    return jobs.get(id).orElseThrow(() -> OpenAiErrors.notFound(id));
  }

  private static ApiException conflict(OpenAiJob job, Call call, String verb, String why) {
    String status = OpenAiJob.status(job.lifecycle.snapshot(call.now()).stage());
    return OpenAiErrors.invalid(
        "Job " + job.id + " cannot be " + verb + " because " + why + " (status: " + status + ").",
        "fine_tuning_job_id",
        null);
  }

  private static <T> int indexOf(List<T> items, String id, BiPredicate<T, String> hasId) {
    for (int i = 0; i < items.size(); i++) {
      if (hasId.test(items.get(i), id)) {
        return i;
      }
    }
    throw OpenAiErrors.invalid(
        "Invalid 'after': no object with id '" + id + "' exists.", "after", "invalid_value");
  }

  private static int limit(Call call) {
    return limit(call, 20);
  }

  /** The {@code limit} parameter, 1 to 100, {@code byDefault} when absent. */
  private static int limit(Call call, int byDefault) {
    String raw = call.param("limit");
    if (raw == null) {
      return byDefault;
    }
    long n;
    try {
      n = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw OpenAiErrors.invalid(
          "Invalid 'limit': expected an integer, but got '" + raw + "' instead.",
          "limit",
          "invalid_type");
    }
    if (n < 1 || n > 100) {
      throw OpenAiErrors.invalid(
          "Invalid 'limit': expected a value between 1 and 100, but got " + n + " instead.",
          "limit",
          n < 1 ? "integer_below_min_value" : "integer_above_max_value");
    }
    return (int) n;
  }
}
