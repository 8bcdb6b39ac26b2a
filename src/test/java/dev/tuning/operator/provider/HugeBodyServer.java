package dev.tuning.operator.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A loopback HTTP/1.1 server that answers each connection with one scripted reply whose body may be
 * far larger than memory would like, and counts how many body bytes it managed to hand to the
 * network before the client stopped reading. Socket buffers on both ends are small (see {@link
 * #smallBufferClient}), so that count is close to what the client actually read.
 */
public final class HugeBodyServer implements AutoCloseable {

  /** Bytes that may sit in the two sockets' buffers (and in flight) beyond what the client read. */
  public static final long SLACK = 1024 * 1024;

  private static final int BUFFER = 16 * 1024;

  /**
   * One answer: {@code head} followed by {@code fill} bytes up to {@code length}, announced with
   * that Content-Length.
   */
  public record Reply(int status, String contentType, String head, long length, byte fill) {

    public static Reply json(int status, String head, long length) {
      return new Reply(status, "application/json", head, length, (byte) 'x');
    }
  }

  private final ServerSocket server;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final List<CompletableFuture<Long>> written = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread thread;

  public HugeBodyServer(Reply... script) throws IOException {
    replies.addAll(Arrays.asList(script));
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "huge-body-server");
    thread.setDaemon(true);
    thread.start();
  }

  public HttpUrl url(String path) {
    return new HttpUrl.Builder()
        .scheme("http")
        .host(server.getInetAddress().getHostAddress())
        .port(server.getLocalPort())
        .encodedPath(path)
        .build();
  }

  /**
   * How many body bytes the {@code index}-th connection wrote before the client stopped reading (or
   * the whole length); waits until that is known.
   */
  public long bodyBytesWritten(int index, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (written.size() <= index) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no connection " + index);
      }
      Thread.sleep(10);
    }
    return written.get(index).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** A client whose sockets have small receive buffers, so the network holds little unread data. */
  public static OkHttpClient smallBufferClient() {
    SocketFactory plain = SocketFactory.getDefault();
    return new OkHttpClient.Builder()
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .readTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofSeconds(30))
        .socketFactory(
            new SocketFactory() {
              @Override
              public Socket createSocket() throws IOException {
                Socket s = plain.createSocket();
                s.setReceiveBufferSize(BUFFER);
                return s;
              }

              @Override
              public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
              }

              @Override
              public Socket createSocket(
                  String host, int port, InetAddress localHost, int localPort) {
                throw new UnsupportedOperationException();
              }

              @Override
              public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException();
              }

              @Override
              public Socket createSocket(
                  InetAddress address, int port, InetAddress localAddress, int localPort) {
                throw new UnsupportedOperationException();
              }
            })
        .build();
  }

  private void serve() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException closed) {
        return;
      }
      sockets.add(socket);
      CompletableFuture<Long> count = new CompletableFuture<>();
      written.add(count);
      Thread handler = new Thread(() -> answer(socket, count), "huge-body-connection");
      handler.setDaemon(true);
      handler.start();
    }
  }

  private void answer(Socket socket, CompletableFuture<Long> count) {
    long sent = 0;
    try (socket) {
      socket.setSendBufferSize(BUFFER);
      readRequest(socket.getInputStream());
      Reply reply = replies.poll();
      if (reply == null) {
        count.complete(0L);
        return;
      }
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HTTP/1.1 "
                  + reply.status()
                  + " Scripted\r\nContent-Type: "
                  + reply.contentType()
                  + "\r\nContent-Length: "
                  + reply.length()
                  + "\r\nx-request-id: req_huge\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      byte[] head = reply.head().getBytes(StandardCharsets.UTF_8);
      out.write(head);
      sent = head.length;
      byte[] chunk = new byte[BUFFER];
      Arrays.fill(chunk, reply.fill());
      while (sent < reply.length()) {
        int n = (int) Math.min(chunk.length, reply.length() - sent);
        out.write(chunk, 0, n);
        sent += n;
      }
      out.flush();
    } catch (IOException clientStoppedReading) {
      // expected when the client gives up on the body
    } finally {
      count.complete(sent);
    }
  }

  /** Reads the request head and any Content-Length body. */
  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    long length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes((int) length);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
