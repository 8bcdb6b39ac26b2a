package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP plumbing shared by the emulators: a JDK {@link HttpServer} on 127.0.0.1, request
 * recording, the admin endpoints, authentication and fault injection ahead of the provider
 * handlers.
 *
 * <p>Admin endpoints (no authentication, never recorded):
 *
 * <ul>
 *   <li>{@code GET /_emulator/health} → {@code {"status":"ok"}}
 *   <li>{@code GET /_emulator/requests} → {@link RequestLog#toJson()}
 *   <li>{@code POST /_emulator/reset} forgets requests, faults and jobs; {@code ?scope=requests}
 *       forgets only the requests
 *   <li>{@code GET /_emulator/faults} shows, {@code POST} adds (JSON as in {@link Faults}), {@code
 *       DELETE} clears the fault plan
 * </ul>
 */
public abstract class HttpEmulator implements AutoCloseable {

  /** A matched API request, as handlers see it. */
  record Call(
      String method,
      String path,
      Map<String, List<String>> query,
      Headers headers,
      String body,
      Matcher match,
      Instant now) {

    String param(String name) {
      return Json.first(query, name);
    }
  }

  /** Handles a matched call. */
  interface Handler {
    ApiResponse handle(Call call);
  }

  /** A route: method and full-path pattern, the operation for faults, and whether auth applies. */
  record Route(
      String method, Pattern path, Faults.Operation operation, boolean auth, Handler handler) {}

  private static final AtomicInteger THREADS = new AtomicInteger();

  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs:
    // ~40 ms per request. Read once by the JDK when its first HttpServer is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  final EmulatorConfig config;
  private final Faults faults;
  private final RequestLog requests;
  private final HttpServer server;
  private final ExecutorService executor;

  HttpEmulator(EmulatorConfig config, int port, RequestLog requests) {
    this.config = config;
    this.faults = new Faults(config.clock());
    this.requests = requests;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
    }
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(r, getClass().getSimpleName() + "-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.start();
  }

  /** The API routes, matched in order. */
  abstract List<Route> routes();

  /** The answer for a path no route serves. */
  abstract ApiResponse notFound(String method, String path);

  /** An error answer when the request headers lack valid credentials, else empty. */
  abstract Optional<ApiResponse> authenticate(Headers requestHeaders);

  /** The provider's 404 for {@code path}, as if the job did not exist. */
  abstract ApiResponse jobNotFound(String path);

  /** How many jobs carry each {@code tuningjob-uid} tag ("" for untagged jobs). */
  public abstract Map<String, Long> jobsByTag();

  /** The provider's rendering of an error fault (rate limit or server error). */
  abstract ApiResponse faultResponse(Fault fault);

  /** Forgets every job. */
  abstract void clearJobs();

  /**
   * The body as it may be recorded: credentials in it replaced by {@link RecordedRequest#REDACTED}.
   */
  String redactBody(String path, String body) {
    return body;
  }

  /**
   * What a request header may be recorded as: credential headers ({@code Authorization}, {@code
   * api-key}) become {@link RecordedRequest#REDACTED}, others stay as they are.
   *
   * @param name the header name in lower case
   */
  String redactHeader(String name, String value) {
    return name.equals("authorization") || name.equals("api-key")
        ? RecordedRequest.REDACTED
        : value;
  }

  /** Adds provider-specific headers to every answer. */
  void decorate(Headers responseHeaders) {}

  /** The base URL clients are configured with. */
  public abstract String baseUrl();

  /** The bound port on 127.0.0.1. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT}, where the admin endpoints live. */
  public String rootUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The live fault plan. */
  public Faults faults() {
    return faults;
  }

  /** The recorded requests. */
  public RequestLog requests() {
    return requests;
  }

  /** Shorthand for {@link RequestLog#count(String, String)}. */
  public int count(String method, String pathRegex) {
    return requests.count(method, pathRegex);
  }

  /** Shorthand for {@link RequestLog#creates()}. */
  public List<RecordedRequest> creates() {
    return requests.creates();
  }

  /** Shorthand for {@link RequestLog#cancels()}. */
  public List<RecordedRequest> cancels() {
    return requests.cancels();
  }

  /** Forgets requests, faults and jobs. */
  public void reset() {
    requests.clear();
    faults.clear();
    clearJobs();
  }

  /** Stops the server at once and its threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void exchange(HttpExchange ex) {
    try {
      String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = ex.getRequestURI().getRawPath();
      String rawQuery = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Instant now = config.clock().instant();
      if (path.startsWith("/_emulator/")) {
        send(ex, admin(method, path, Json.form(rawQuery), body));
        return;
      }
      requests.add(
          new RecordedRequest(
              now, method, path, rawQuery, redact(ex.getRequestHeaders()), redactBody(path, body)));
      answer(ex, method, path, rawQuery, body);
    } catch (IOException e) {
      // the client went away; nothing left to answer
    } finally {
      ex.close();
    }
  }

  private void answer(HttpExchange ex, String method, String path, String rawQuery, String body)
      throws IOException {
    Route route = null;
    Matcher m = null;
    for (Route r : routes()) {
      Matcher candidate = r.path().matcher(path);
      if (r.method().equals(method) && candidate.matches()) {
        route = r;
        m = candidate;
        break;
      }
    }
    if (route == null) {
      send(ex, notFound(method, path));
      return;
    }
    if (route.auth()) {
      Optional<ApiResponse> denied = authenticate(ex.getRequestHeaders());
      if (denied.isPresent()) {
        send(ex, denied.get());
        return;
      }
    }
    Optional<Fault> fault = faults.next(route.operation());
    Fault after = null;
    if (fault.isPresent()) {
      Fault f = fault.get();
      switch (f.kind()) {
        case DROP_CONNECTION -> {
          return; // closing the exchange unanswered drops the connection
        }
        case MALFORMED_JSON -> {
          sendRaw(ex, 200, Map.of(), "{\"status\": \"trunc");
          return;
        }
        case DELAY -> sleep(f);
        case REPLY_LATE, ERROR_AFTER, DROP_AFTER -> after = f;
        case NOT_FOUND -> {
          send(ex, jobNotFound(path));
          return;
        }
        default -> {
          send(ex, faultResponse(f));
          return;
        }
      }
    }
    Call call =
        new Call(
            method,
            path,
            Json.form(rawQuery),
            ex.getRequestHeaders(),
            body,
            m,
            config.clock().instant());
    ApiResponse response;
    try {
      response = route.handler().handle(call);
    } catch (ApiException e) {
      response = e.response();
    } catch (RuntimeException e) {
      response = faultResponse(Fault.serverError(500));
    }
    if (after != null) {
      // The request took effect; what the client hears is the fault.
      switch (after.kind()) {
        case REPLY_LATE -> sleep(after);
        case ERROR_AFTER -> response = faultResponse(Fault.serverError(after.status()));
        default -> {
          return; // DROP_AFTER
        }
      }
    }
    send(ex, response);
  }

  private ApiResponse admin(
      String method, String path, Map<String, List<String>> query, String body) {
    String key = method + " " + path;
    switch (key) {
      case "GET /_emulator/health":
        return ApiResponse.ok(Json.object().put("status", "ok"));
      case "GET /_emulator/requests":
        return ApiResponse.ok(requests.toJson());
      case "POST /_emulator/reset":
        if ("requests".equals(Json.first(query, "scope"))) {
          requests.clear();
        } else {
          reset();
        }
        return ApiResponse.ok(Json.object());
      case "GET /_emulator/faults":
        return ApiResponse.ok(faults.toJson());
      case "DELETE /_emulator/faults":
        faults.clear();
        return ApiResponse.ok(faults.toJson());
      case "POST /_emulator/faults":
        try {
          faults.apply(
              Json.parse(body).orElseThrow(() -> new IllegalArgumentException("not JSON")));
        } catch (IllegalArgumentException e) {
          return ApiResponse.json(400, Json.object().put("error", e.getMessage()));
        }
        return ApiResponse.ok(faults.toJson());
      default:
        ObjectNode err = Json.object().put("error", "unknown admin endpoint " + key);
        return ApiResponse.json(404, err);
    }
  }

  private void send(HttpExchange ex, ApiResponse r) throws IOException {
    sendRaw(ex, r.status(), r.headers(), r.body() == null ? "" : Json.write(r.body()));
  }

  private void sendRaw(HttpExchange ex, int status, Map<String, String> extra, String body)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", "application/json; charset=utf-8");
    decorate(h);
    extra.forEach(h::set);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Map<String, List<String>> redact(Headers headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          String n = name.toLowerCase(Locale.ROOT);
          out.put(n, values.stream().map(v -> redactHeader(n, v)).toList());
        });
    return out;
  }

  private static void sleep(Fault f) {
    try {
      Thread.sleep(f.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
