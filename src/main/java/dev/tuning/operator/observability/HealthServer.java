package dev.tuning.operator.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * One small HTTP server: {@code /metrics} (Prometheus text), {@code /healthz} (the process is alive
 * and the operator not failed), {@code /readyz} (the operator started and its informers are synced
 * and healthy).
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  public HealthServer(
      int port, PrometheusMeterRegistry registry, BooleanSupplier live, BooleanSupplier ready)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics", ex -> send(ex, 200, registry.scrape(), "text/plain; version=0.0.4"));
    server.createContext("/healthz", ex -> probe(ex, live));
    server.createContext("/readyz", ex -> probe(ex, ready));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> daemon(r, "health-server")));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange ex, BooleanSupplier check) throws IOException {
    boolean ok;
    try {
      ok = check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    send(ex, ok ? 200 : 503, ok ? "ok\n" : "not ready\n", "text/plain");
  }

  private static void send(HttpExchange ex, int code, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
