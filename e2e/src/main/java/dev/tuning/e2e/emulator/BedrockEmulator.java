package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.tuning.e2e.emulator.Faults.Operation;
import dev.tuning.e2e.emulator.JobLifecycle.Stage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A stateful fake of the Amazon Bedrock model customization jobs API (restJson1, bedrock.md) on
 * 127.0.0.1, spoken by the AWS SDK for Java v2 when its endpoint is overridden with {@link
 * #baseUrl()}.
 *
 * <p>Operations: {@code POST /model-customization-jobs} (201 {@code {"jobArn"}}), {@code GET
 * /model-customization-jobs/{jobIdentifier}} (name or percent-encoded ARN), {@code GET
 * /model-customization-jobs?…} ({@link BedrockList}), {@code POST
 * /model-customization-jobs/{jobIdentifier}/stop} (200, no body) and {@code POST
 * /listTagsForResource} ({@code {"resourceARN"}} → {@code {"tags"}}, for a job or its custom
 * model).
 *
 * <p>Create validates like the API model ({@link BedrockValidator}); a job is {@code InProgress}
 * through validation, data processing and training ({@link EmulatorConfig#validating()}, {@code
 * queued()}, {@code running()}), then {@code Completed} with metrics and an {@code outputModelArn};
 * or {@code Failed} with {@link BedrockOptions#failureMessage()} after validation when its training
 * data URI contains the {@link Faults#failMarker() fail marker}. Stop is allowed only while {@code
 * InProgress} ({@code ConflictException} otherwise) and passes through {@code Stopping} for {@link
 * EmulatorConfig#cancelling()} to {@code Stopped}.
 *
 * <p>Never a duplicate (bedrock.md §6): jobs live for ever in the Region of the request's SigV4
 * scope; a used {@code jobName} is refused with {@value BedrockErrors#NAME_IN_USE}; a repeated
 * {@code clientRequestToken} answers 201 with the first job's ARN and creates nothing. Every
 * request must be SigV4-signed ({@link BedrockSigV4}); a {@code Bearer} token is refused with 403
 * and stays visible in {@link #bearerRequests()}. Every answer carries {@code x-amzn-RequestId}.
 */
public final class BedrockEmulator extends HttpEmulator {

  private static final String JOBS = "/model-customization-jobs";
  private static final String JOB = JOBS + "/([^/]+)";
  private static final Pattern JOB_IDENTIFIER =
      Pattern.compile(
          "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-customization-job/"
              + "[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}"
              + "([:][a-z0-9-]{1,63}){0,2}/[a-z0-9]{12})|([a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*)");

  private final BedrockOptions options;
  private final JobStore<BedrockJob> jobs = new JobStore<>();
  private final List<Route> routes =
      List.of(
          new Route("POST", Pattern.compile(JOBS), Operation.CREATE, true, this::create),
          new Route("GET", Pattern.compile(JOBS), Operation.LIST, true, this::list),
          new Route("GET", Pattern.compile(JOB), Operation.GET, true, this::get),
          new Route("POST", Pattern.compile(JOB + "/stop"), Operation.CANCEL, true, this::stop),
          new Route(
              "POST", Pattern.compile("/listTagsForResource"), Operation.TAGS, true, this::tags));

  /** Starts on a random free port with {@link BedrockOptions#defaults()}. */
  public BedrockEmulator(EmulatorConfig config) {
    this(config, BedrockOptions.defaults(), 0);
  }

  /** Starts on a random free port. */
  public BedrockEmulator(EmulatorConfig config, BedrockOptions options) {
    this(config, options, 0);
  }

  /** Starts on {@code port} (0 = a random free port). */
  public BedrockEmulator(EmulatorConfig config, BedrockOptions options, int port) {
    super(config, port, new RequestLog(JOBS, JOB + "/stop"));
    this.options = options;
  }

  /** {@code http://127.0.0.1:PORT}, for {@code BedrockClient.builder().endpointOverride(…)}. */
  @Override
  public String baseUrl() {
    return rootUrl();
  }

  /** The account, Regions, keys and failure message this emulator was started with. */
  public BedrockOptions options() {
    return options;
  }

  /** How many jobs exist, in all Regions. */
  public int jobCount() {
    return jobs.size();
  }

  /** The requests that carried {@code Authorization: Bearer …} (all refused with 403). */
  public List<RecordedRequest> bearerRequests() {
    return requests().all().stream()
        .filter(r -> Optional.ofNullable(r.header("authorization")).orElse("").startsWith("Bearer"))
        .toList();
  }

  /** The requests signed (SigV4) with {@code accessKeyId}. */
  public List<RecordedRequest> signedBy(String accessKeyId) {
    return requests().all().stream()
        .filter(r -> BedrockSigV4.accessKeyId(r).filter(accessKeyId::equals).isPresent())
        .toList();
  }

  @Override
  public Map<String, Long> jobsByTag() {
    return jobs.newestFirst().stream()
        .collect(
            Collectors.groupingBy(
                j -> j.request.jobTags().getOrDefault("tuningjob-uid", ""), Collectors.counting()));
  }

  @Override
  List<Route> routes() {
    return routes;
  }

  @Override
  ApiResponse notFound(String method, String path) {
    return BedrockErrors.unknownOperation(method, path);
  }

  @Override
  Optional<ApiResponse> authenticate(Headers headers) {
    try {
      BedrockSigV4.verify(headers, options);
      return Optional.empty();
    } catch (ApiException e) {
      return Optional.of(e.response());
    }
  }

  @Override
  ApiResponse faultResponse(Fault fault) {
    return BedrockErrors.fault(fault);
  }

  @Override
  ApiResponse jobNotFound(String path) {
    return BedrockErrors.notFound("The specified resource was not found.").response();
  }

  @Override
  void clearJobs() {
    jobs.clear();
  }

  @Override
  String redactHeader(String name, String value) {
    return switch (name) {
      case "authorization" -> BedrockSigV4.redactAuthorization(value);
      case "x-amz-security-token" -> RecordedRequest.REDACTED;
      default -> super.redactHeader(name, value);
    };
  }

  @Override
  void decorate(Headers h) {
    h.set("x-amzn-RequestId", UUID.randomUUID().toString());
  }

  private ApiResponse create(Call call) {
    String region = region(call);
    BedrockRequest request = BedrockValidator.validate(call.body());
    if (BedrockJob.baseModelId(request.baseModelIdentifier()) == null) {
      throw BedrockErrors.notFound(
          "The base model "
              + request.baseModelIdentifier()
              + " was not found (the emulator knows custom models only by ARN).");
    }
    BedrockJob job;
    // Check and insert under one lock: two concurrent creates must never both land.
    synchronized (jobs) {
      String token = request.clientRequestToken();
      Optional<BedrockJob> same =
          find(region, j -> token != null && token.equals(j.request.clientRequestToken()));
      if (same.isPresent()) {
        return created(same.get());
      }
      if (find(region, j -> j.request.jobName().equals(request.jobName())).isPresent()) {
        throw BedrockErrors.validation(BedrockErrors.NAME_IN_USE);
      }
      boolean fails = faults().shouldFail(request.trainingDataUri());
      JobLifecycle lifecycle = new JobLifecycle(config, call.now(), fails);
      job =
          new BedrockJob(region, options.accountId(), request, lifecycle, options.failureMessage());
      jobs.add(job.arn, job);
    }
    return created(job);
  }

  private static ApiResponse created(BedrockJob job) {
    return ApiResponse.json(201, Json.object().put("jobArn", job.arn));
  }

  private ApiResponse get(Call call) {
    return ApiResponse.ok(job(call).toJson(call.now()));
  }

  private ApiResponse list(Call call) {
    String region = region(call);
    List<BedrockJob> inRegion =
        jobs.newestFirst().stream().filter(j -> j.region.equals(region)).toList();
    return ApiResponse.ok(BedrockList.page(call, inRegion));
  }

  private ApiResponse stop(Call call) {
    BedrockJob job = job(call);
    synchronized (job) {
      Stage stage = job.lifecycle.snapshot(call.now()).stage();
      if (!BedrockJob.status(stage).equals("InProgress")) {
        throw BedrockErrors.conflict(
            "The model customization job "
                + job.request.jobName()
                + " is "
                + BedrockJob.status(stage)
                + " and can only be stopped while InProgress.");
      }
      job.lifecycle.cancel(call.now(), config.cancelling());
    }
    return ApiResponse.empty(200);
  }

  private ApiResponse tags(Call call) {
    String region = region(call);
    JsonNode body = Json.parse(call.body()).orElse(null);
    if (body == null || !body.isObject()) {
      throw BedrockErrors.serialization("The request body is not a JSON object.");
    }
    JsonNode arn = body.get("resourceARN");
    if (arn == null || !arn.isTextual()) {
      throw BedrockErrors.invalidMember(null, "resourceARN", "Member must not be null");
    }
    String resource = arn.asText();
    for (BedrockJob j : jobs.newestFirst()) {
      if (!j.region.equals(region)) {
        continue;
      }
      Map<String, String> tags =
          j.arn.equals(resource)
              ? j.request.jobTags()
              : resource.equals(j.outputModelArn(call.now())) ? j.request.customModelTags() : null;
      if (tags != null) {
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("tags");
        tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
        return ApiResponse.ok(answer);
      }
    }
    throw BedrockErrors.notFound("The specified resource " + resource + " was not found.");
  }

  /** The job named by the path's {@code jobIdentifier}: a name or an ARN, percent-encoded. */
  private BedrockJob job(Call call) {
    String id;
    try {
      // percent-decoding only: '+' is a literal character of job names, not a space
      id = URLDecoder.decode(call.match().group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw BedrockErrors.validation("The job identifier is not validly percent-encoded.");
    }
    if (id.length() > 1011 || !JOB_IDENTIFIER.matcher(id).matches()) {
      throw BedrockErrors.invalidMember(
          id,
          "jobIdentifier",
          "Member must satisfy regular expression pattern: " + JOB_IDENTIFIER.pattern());
    }
    boolean byArn = id.startsWith("arn:");
    return find(region(call), j -> byArn ? j.arn.equals(id) : j.request.jobName().equals(id))
        .orElseThrow(
            () ->
                BedrockErrors.notFound(
                    "The model customization job " + id + " could not be found."));
  }

  private Optional<BedrockJob> find(String region, Predicate<BedrockJob> p) {
    return jobs.newestFirst().stream().filter(j -> j.region.equals(region)).filter(p).findFirst();
  }

  private String region(Call call) {
    return BedrockSigV4.verify(call.headers(), options).region();
  }
}
