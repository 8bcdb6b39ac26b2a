package dev.tuning.operator.provider.openai;

import com.fasterxml.jackson.core.JacksonException;
import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.http.ProviderCall;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * HTTP calls to {@code /fine_tuning/jobs} (docs/providers/openai.md section 1). One method per
 * endpoint; each request carries its key in a header built here, the {@link ProviderCall} tag for
 * metrics and logs, and turns every failure into an {@link OpenAiCallException}.
 */
final class OpenAiClient {

  static final String PROVIDER = "openai";

  /** The largest page the operator asks for when listing jobs. */
  static final int PAGE_SIZE = 100;

  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final byte[] EMPTY = new byte[0];

  /** Error bodies are small; never buffer more than this of one. */
  private static final long MAX_ERROR_BODY = 64 * 1024;

  private final OkHttpClient http;
  private final Clock clock;

  OpenAiClient(OkHttpClient http, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code POST /fine_tuning/jobs}. */
  OpenAiWire.Job create(OpenAiTarget target, OpenAiWire.CreateJobRequest body)
      throws OpenAiCallException {
    byte[] json;
    try {
      json = OpenAiMapper.JSON.writeValueAsBytes(body);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot serialize the create request", e);
    }
    HttpUrl url = jobs(target).build();
    return job(execute(target, "create", post(url, json)));
  }

  /** {@code GET /fine_tuning/jobs/{id}}. */
  OpenAiWire.Job get(OpenAiTarget target, String jobId) throws OpenAiCallException {
    HttpUrl url = jobs(target).addPathSegment(jobId).build();
    return job(execute(target, "get", new Request.Builder().url(url).get()));
  }

  /**
   * {@code GET /fine_tuning/jobs?limit=100&metadata[key]=value[&after=cursor]}; the metadata filter
   * is a deepObject parameter, URL-encoded by OkHttp.
   */
  OpenAiWire.JobList list(OpenAiTarget target, String key, String value, String after)
      throws OpenAiCallException {
    HttpUrl.Builder url =
        jobs(target)
            .addQueryParameter("limit", Integer.toString(PAGE_SIZE))
            .addQueryParameter("metadata[" + key + "]", value);
    if (after != null) {
      url.addQueryParameter("after", after);
    }
    Exchange ex = execute(target, "list", new Request.Builder().url(url.build()).get());
    OpenAiWire.JobList list = parse(ex, OpenAiWire.JobList.class);
    if (list.data() == null || list.data().stream().anyMatch(j -> j == null || j.id() == null)) {
      throw OpenAiErrors.malformed("list", ex.status(), ex.requestId());
    }
    return list;
  }

  /** {@code POST /fine_tuning/jobs/{id}/{action}} for cancel, pause and resume (no body). */
  OpenAiWire.Job action(OpenAiTarget target, String jobId, String action)
      throws OpenAiCallException {
    HttpUrl url = jobs(target).addPathSegment(jobId).addPathSegment(action).build();
    return job(execute(target, action, post(url, EMPTY)));
  }

  private static HttpUrl.Builder jobs(OpenAiTarget target) {
    return target.baseUrl().newBuilder().addPathSegments("fine_tuning/jobs");
  }

  private static Request.Builder post(HttpUrl url, byte[] json) {
    // A byte[] body keeps the Content-Type exactly application/json (no charset appended).
    return new Request.Builder().url(url).post(RequestBody.create(json, JSON_TYPE));
  }

  private OpenAiWire.Job job(Exchange ex) throws OpenAiCallException {
    OpenAiWire.Job job = parse(ex, OpenAiWire.Job.class);
    if (job.id() == null || job.id().isBlank()) {
      throw OpenAiErrors.malformed(ex.operation(), ex.status(), ex.requestId());
    }
    return job;
  }

  private static <T> T parse(Exchange ex, Class<T> type) throws OpenAiCallException {
    try {
      T value = OpenAiMapper.JSON.readValue(ex.body(), type);
      if (value == null) {
        throw OpenAiErrors.malformed(ex.operation(), ex.status(), ex.requestId());
      }
      return value;
    } catch (IOException e) {
      throw OpenAiErrors.malformed(ex.operation(), ex.status(), ex.requestId());
    }
  }

  private Exchange execute(OpenAiTarget target, String operation, Request.Builder builder)
      throws OpenAiCallException {
    builder
        .tag(ProviderCall.class, new ProviderCall(PROVIDER, operation))
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
    try (Response response = http.newCall(builder.build()).execute()) {
      int status = response.code();
      String requestId = OpenAiErrors.sanitize(response.header("x-request-id"), target.apiKey());
      if (!response.isSuccessful()) {
        String body = response.peekBody(MAX_ERROR_BODY).string();
        throw OpenAiErrors.fromResponse(
            operation, status, response.headers(), body, clock, target.apiKey());
      }
      ResponseBody body = response.body();
      return new Exchange(operation, status, requestId, body == null ? "" : body.string());
    } catch (IOException e) {
      throw OpenAiErrors.fromIo(operation, e);
    }
  }

  /** A successful response, read and closed. */
  private record Exchange(String operation, int status, String requestId, String body) {}
}
