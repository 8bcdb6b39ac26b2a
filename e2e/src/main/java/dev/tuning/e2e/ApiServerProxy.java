package dev.tuning.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of the API server, for the operator's kubeconfig: it can take
 * the API server away (every connection closed, new ones refused, etcd untouched) and give it back,
 * or drop every connection once (the watches break and must be re-established). TLS passes through
 * unchanged.
 */
final class ApiServerProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean down;
  private volatile boolean closed;

  ApiServerProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "apiserver-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** The API server goes away: open connections are closed and new ones refused. */
  void down() {
    down = true;
    dropConnections();
  }

  /** The API server is back. */
  void up() {
    down = false;
  }

  /** Closes every open connection once (watches and pooled connections break). */
  void dropConnections() {
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (down) {
        closeQuietly(client);
        continue;
      }
      accepted.incrementAndGet();
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "apiserver-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    dropConnections();
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** A copy of {@code kubeconfig} whose server is this proxy. */
  String kubeconfigThroughProxy(String kubeconfig) {
    return kubeconfig.replace(":" + targetPort, ":" + port());
  }

  /** The API server's port in a kubeconfig ({@code server: https://127.0.0.1:PORT}). */
  static int serverPort(String kubeconfig) {
    var m = java.util.regex.Pattern.compile("server:\\s*https://[^:]+:(\\d+)").matcher(kubeconfig);
    if (!m.find()) {
      throw new IllegalArgumentException("no https server in the kubeconfig");
    }
    return Integer.parseInt(m.group(1));
  }
}
