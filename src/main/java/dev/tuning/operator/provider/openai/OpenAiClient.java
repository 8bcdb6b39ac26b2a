package dev.tuning.operator.provider.openai;

import com.fasterxml.jackson.core.JacksonException;
import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.provider.ProviderHttp;
import dev.tuning.operator.provider.ProviderJson;
import dev.tuning.operator.provider.openai.OpenAiErrors.Operation;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * HTTP calls to {@code /fine_tuning/jobs} (docs/providers/openai.md section 1). One method per
 * endpoint; each request carries its key in a header built here and the {@link ProviderCall} tag
 * for metrics and logs. {@link ProviderHttp} sends it and reads the answer with bounds; {@link
 * OpenAiErrors} turns every failure into an {@link OpenAiCallException}.
 */
final class OpenAiClient {

  static final String PROVIDER = "openai";

  /** The largest page the operator asks for when listing jobs. */
  static final int PAGE_SIZE = 100;

  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final byte[] EMPTY = new byte[0];

  private final ProviderHttp http;
  private final Clock clock;

  OpenAiClient(OkHttpClient http, Clock clock) {
    this.http = new ProviderHttp(Objects.requireNonNull(http, "http"), ProviderJson.MAPPER);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code POST /fine_tuning/jobs}. */
  OpenAiWire.Job create(OpenAiTarget target, OpenAiWire.CreateJobRequest body)
      throws OpenAiCallException {
    byte[] json;
    try {
      json = ProviderJson.MAPPER.writeValueAsBytes(body);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot serialize the create request", e);
    }
    HttpUrl url = jobs(target).build();
    return job(target, Operation.CREATE, post(url, json));
  }

  /** {@code GET /fine_tuning/jobs/{id}}. */
  OpenAiWire.Job get(OpenAiTarget target, String jobId) throws OpenAiCallException {
    HttpUrl url = jobs(target).addPathSegment(jobId).build();
    return job(target, Operation.GET, new Request.Builder().url(url).get());
  }

  /**
   * {@code GET /fine_tuning/jobs?limit=100&metadata[key]=value[&after=cursor]}; the metadata filter
   * is a deepObject parameter, URL-encoded by OkHttp.
   */
  OpenAiWire.JobList list(OpenAiTarget target, String key, String value, String after)
      throws OpenAiCallException {
    HttpUrl.Builder url = jobs(target).addQueryParameter("limit", Integer.toString(PAGE_SIZE));
    if (key != null) {
      url.addQueryParameter("metadata[" + key + "]", value);
    }
    if (after != null) {
      url.addQueryParameter("after", after);
    }
    return execute(
        target,
        Operation.LIST,
        new Request.Builder().url(url.build()).get(),
        OpenAiWire.JobList.class,
        list -> list.data() != null && list.data().stream().allMatch(j -> j != null && hasId(j)));
  }

  /**
   * {@code GET /fine_tuning/jobs/{id}/checkpoints?limit=n}: the job's newest {@code n} checkpoints,
   * newest first (an empty page before the first one).
   */
  OpenAiWire.CheckpointList checkpoints(OpenAiTarget target, String jobId, int limit)
      throws OpenAiCallException {
    if (limit < 1 || limit > PAGE_SIZE) {
      throw new IllegalArgumentException("limit must be within 1.." + PAGE_SIZE + ": " + limit);
    }
    HttpUrl url =
        jobs(target)
            .addPathSegment(jobId)
            .addPathSegment("checkpoints")
            .addQueryParameter("limit", Integer.toString(limit))
            .build();
    return execute(
        target,
        Operation.PROGRESS,
        new Request.Builder().url(url).get(),
        OpenAiWire.CheckpointList.class,
        list -> list.data() != null && list.data().stream().allMatch(Objects::nonNull));
  }

  /** {@code POST /fine_tuning/jobs/{id}/{action}} for cancel, pause and resume (no body). */
  OpenAiWire.Job action(OpenAiTarget target, String jobId, String action)
      throws OpenAiCallException {
    HttpUrl url = jobs(target).addPathSegment(jobId).addPathSegment(action).build();
    return job(target, Operation.of(action), post(url, EMPTY));
  }

  private static HttpUrl.Builder jobs(OpenAiTarget target) {
    return target.baseUrl().newBuilder().addPathSegments("fine_tuning/jobs");
  }

  private static Request.Builder post(HttpUrl url, byte[] json) {
    // A byte[] body keeps the Content-Type exactly application/json (no charset appended).
    return new Request.Builder().url(url).post(RequestBody.create(json, JSON_TYPE));
  }

  private OpenAiWire.Job job(OpenAiTarget target, Operation operation, Request.Builder builder)
      throws OpenAiCallException {
    return execute(target, operation, builder, OpenAiWire.Job.class, OpenAiClient::hasId);
  }

  private static boolean hasId(OpenAiWire.Job job) {
    return job.id() != null && !job.id().isBlank();
  }

  private <T> T execute(
      OpenAiTarget target,
      Operation operation,
      Request.Builder builder,
      Class<T> type,
      Predicate<? super T> wellFormed)
      throws OpenAiCallException {
    builder
        .tag(ProviderCall.class, new ProviderCall(PROVIDER, operation.tag))
        .header("Accept", "application/json");
    if (target.flavor() == OpenAiSpec.Flavor.AZURE) {
      builder.header("api-key", target.apiKey());
    } else {
      builder.header("Authorization", "Bearer " + target.apiKey());
    }
    if (target.organization() != null) {
      builder.header("OpenAI-Organization", target.organization());
    }
    if (target.project() != null) {
      builder.header("OpenAI-Project", target.project());
    }
    return http.call(
        builder.build(), operation, new OpenAiErrors(clock, target.apiKey()), type, wellFormed);
  }
}
