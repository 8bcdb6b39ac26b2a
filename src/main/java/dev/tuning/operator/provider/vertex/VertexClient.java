package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.vertex.VertexDtos.ListResponse;
import dev.tuning.operator.provider.vertex.VertexDtos.TuningJob;
import dev.tuning.operator.provider.vertex.VertexErrors.Operation;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The aiplatform v1 {@code tuningJobs} calls over OkHttp. Each request is tagged with a {@link
 * ProviderCall} and gets fresh auth headers from {@link GoogleCredentialsFactory}; a 401 forces one
 * token refresh and one replay of the same request (a 401 means the request was not processed, so
 * replaying a create cannot duplicate a job). No retries otherwise: the reconciler decides.
 */
final class VertexClient {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final OkHttpClient http;
  private final GoogleCredentialsFactory credentials;
  private final VertexErrors errors;
  private final ObjectMapper json;
  private final Clock clock;

  VertexClient(
      OkHttpClient http,
      GoogleCredentialsFactory credentials,
      VertexErrors errors,
      ObjectMapper json,
      Clock clock) {
    this.http = http;
    this.credentials = credentials;
    this.errors = errors;
    this.json = json;
    this.clock = clock;
  }

  /**
   * POST {base}/v1/{parent}/tuningJobs; the request (and a replay after 401) leaves only while
   * {@link JobContext#sendBy()} allows, checked after the token was fetched.
   */
  TuningJob create(HttpUrl base, String parent, TuningJob body, JobContext ctx)
      throws ProviderException {
    HttpUrl url = base.newBuilder().addPathSegments("v1/" + parent + "/tuningJobs").build();
    return send(Operation.CREATE, post(url, write(body)), ctx.credential(), TuningJob.class, ctx);
  }

  /** GET {base}/v1/{name}. */
  TuningJob get(HttpUrl base, String name, Credential credential) throws ProviderException {
    HttpUrl url = base.newBuilder().addPathSegments("v1/" + name).build();
    return send(Operation.GET, new Request.Builder().url(url).get(), credential, TuningJob.class);
  }

  /** GET {base}/v1/{parent}/tuningJobs?filter=&pageSize=&pageToken= (filter optional). */
  ListResponse list(
      HttpUrl base,
      String parent,
      String filter,
      int pageSize,
      String pageToken,
      Credential credential)
      throws ProviderException {
    HttpUrl.Builder url = base.newBuilder().addPathSegments("v1/" + parent + "/tuningJobs");
    if (filter != null) {
      url.addQueryParameter("filter", filter);
    }
    url.addQueryParameter("pageSize", Integer.toString(pageSize));
    if (pageToken != null && !pageToken.isEmpty()) {
      url.addQueryParameter("pageToken", pageToken);
    }
    return send(
        Operation.LIST,
        new Request.Builder().url(url.build()).get(),
        credential,
        ListResponse.class);
  }

  /** POST {base}/v1/{name}:cancel with {@code {}}; the answer is Empty. */
  void cancel(HttpUrl base, String name, Credential credential) throws ProviderException {
    HttpUrl url = base.newBuilder().addPathSegments("v1/" + name + ":cancel").build();
    send(Operation.CANCEL, post(url, "{}"), credential, null);
  }

  private static Request.Builder post(HttpUrl url, String body) {
    return new Request.Builder().url(url).post(RequestBody.create(body, JSON));
  }

  private <T> T send(Operation op, Request.Builder builder, Credential credential, Class<T> type)
      throws ProviderException {
    return send(op, builder, credential, type, null);
  }

  private <T> T send(
      Operation op,
      Request.Builder builder,
      Credential credential,
      Class<T> type,
      JobContext create)
      throws ProviderException {
    builder
        .header("Accept", "application/json")
        .tag(ProviderCall.class, new ProviderCall(VertexProvider.ID, op.tag));
    Request unauthenticated = builder.build();
    try (Response first = execute(op, unauthenticated, credential, create)) {
      if (first.code() != 401) {
        return read(op, first, type);
      }
    }
    // The cached token was rejected (revoked or rotated early): refresh once and replay.
    credentials.refresh(credential);
    try (Response second = execute(op, unauthenticated, credential, create)) {
      return read(op, second, type);
    }
  }

  private Response execute(Operation op, Request request, Credential credential, JobContext create)
      throws ProviderException {
    Map<String, List<String>> auth = credentials.requestHeaders(credential, request.url().uri());
    if (create != null) {
      create.checkSendBy(clock.instant(), VertexProvider.ID);
    }
    Request.Builder b = request.newBuilder();
    auth.forEach((name, values) -> values.forEach(v -> b.addHeader(name, v)));
    try {
      return http.newCall(b.build()).execute();
    } catch (IOException e) {
      throw errors.fromIo(op, e);
    }
  }

  private <T> T read(Operation op, Response response, Class<T> type) throws ProviderException {
    String requestId = response.header("x-goog-request-id");
    try {
      if (!response.isSuccessful()) {
        String body = response.peekBody(MAX_ERROR_BODY).string();
        throw errors.fromResponse(op, response.code(), response.headers(), body, requestId);
      }
      if (type == null) {
        return null;
      }
      ResponseBody body = response.body();
      T value = body == null ? null : json.readValue(body.charStream(), type);
      if (value == null) {
        throw new ProviderException(
            ErrorKind.TRANSIENT,
            "Vertex AI " + op.tag + " returned an empty answer",
            null,
            null,
            null,
            requestId,
            null);
      }
      return value;
    } catch (IOException e) {
      // A malformed or truncated body; the parser's message may quote it, so it is not kept.
      throw new ProviderException(
          ErrorKind.TRANSIENT,
          "Vertex AI " + op.tag + " returned an unreadable answer (HTTP " + response.code() + ")",
          null,
          null,
          null,
          requestId,
          null);
    }
  }

  private String write(TuningJob body) throws ProviderException {
    try {
      return json.writeValueAsString(body);
    } catch (IOException e) {
      throw new ProviderException(ErrorKind.PERMANENT, "could not encode the Vertex AI request");
    }
  }
}
