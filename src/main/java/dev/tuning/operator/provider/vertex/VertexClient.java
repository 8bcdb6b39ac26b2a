package dev.tuning.operator.provider.vertex;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuning.operator.http.ProviderCall;
import dev.tuning.operator.provider.Credential;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderHttp;
import dev.tuning.operator.provider.ProviderHttp.Exchange;
import dev.tuning.operator.provider.vertex.VertexDtos.ListResponse;
import dev.tuning.operator.provider.vertex.VertexDtos.TuningJob;
import dev.tuning.operator.provider.vertex.VertexErrors.Operation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The aiplatform v1 {@code tuningJobs} calls over OkHttp. Each request is tagged with a {@link
 * ProviderCall} and gets fresh auth headers from {@link GoogleCredentialsFactory}; a 401 forces one
 * token refresh and one replay of the same request (a 401 means the request was not processed, so
 * replaying a create cannot duplicate a job). No retries otherwise: the reconciler decides. {@link
 * ProviderHttp} sends each request and reads its answer with bounds; {@link VertexErrors}
 * classifies the failures.
 */
final class VertexClient {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final ProviderHttp http;
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
    this.http = new ProviderHttp(http, json);
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
    try (Exchange<Operation, ProviderException> first =
        execute(op, unauthenticated, credential, create)) {
      if (first.status() != 401) {
        return first.read(type, value -> true);
      }
    }
    // The cached token was rejected (revoked or rotated early): refresh once and replay.
    credentials.refresh(credential);
    try (Exchange<Operation, ProviderException> second =
        execute(op, unauthenticated, credential, create)) {
      return second.read(type, value -> true);
    }
  }

  private Exchange<Operation, ProviderException> execute(
      Operation op, Request request, Credential credential, JobContext create)
      throws ProviderException {
    Map<String, List<String>> auth = credentials.requestHeaders(credential, request.url().uri());
    if (create != null) {
      create.checkSendBy(clock.instant(), VertexProvider.ID);
    }
    Request.Builder b = request.newBuilder();
    auth.forEach((name, values) -> values.forEach(v -> b.addHeader(name, v)));
    return http.send(b.build(), op, errors);
  }

  private String write(TuningJob body) throws ProviderException {
    try {
      return json.writeValueAsString(body);
    } catch (JacksonException e) {
      throw new ProviderException(ErrorKind.PERMANENT, "could not encode the Vertex AI request");
    }
  }
}
