package dev.tuning.operator.provider;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Predicate;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * JSON over OkHttp, the part every provider client shares: send a request the client built (URL,
 * headers, auth, {@code ProviderCall} tag), read the answer with bounds, parse it, and hand every
 * failure to the provider's {@link ErrorClassifier}.
 *
 * <p>Bodies are read with bounds, so that a broken or hostile server cannot make the operator
 * buffer or download megabytes: at most {@value #MAX_ERROR_BODY} bytes of an error body (enough for
 * any error envelope), at most {@value #MAX_BODY} bytes of a success body (a page of 100 jobs is
 * far smaller). A body left longer than that is not read to its end when the exchange closes: the
 * call is cancelled, which drops the connection (OkHttp would otherwise read the rest to reuse it).
 */
public final class ProviderHttp {

  /** The most bytes of an error body (or of a body nobody parses) that are read. */
  public static final int MAX_ERROR_BODY = 64 * 1024;

  /** The most bytes of a success body that are read and parsed. */
  public static final long MAX_BODY = 8L * 1024 * 1024;

  private final OkHttpClient http;
  private final ObjectMapper json;

  public ProviderHttp(OkHttpClient http, ObjectMapper json) {
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
  }

  /**
   * Sends {@code request} and reads its answer: the parsed body of a 2xx, or the classified
   * failure.
   *
   * @param type the JSON type of a 2xx body, or null when the body does not matter
   * @param wellFormed what a parsed body must satisfy (for example, having an id); otherwise it is
   *     {@link ErrorClassifier#malformed malformed}
   */
  public <O, E extends ProviderException, T> T call(
      Request request,
      O operation,
      ErrorClassifier<O, E> errors,
      Class<T> type,
      Predicate<? super T> wellFormed)
      throws E {
    try (Exchange<O, E> exchange = send(request, operation, errors)) {
      return exchange.read(type, wellFormed);
    }
  }

  /**
   * Sends {@code request} and returns the open exchange, for a client that looks at the status
   * before reading (a 401 that earns one replay with a fresh token). Close it.
   */
  public <O, E extends ProviderException> Exchange<O, E> send(
      Request request, O operation, ErrorClassifier<O, E> errors) throws E {
    Call call = http.newCall(request);
    try {
      return new Exchange<>(call, call.execute(), operation, errors, json);
    } catch (IOException e) {
      throw errors.fromIo(operation, e);
    }
  }

  /** One answer, read at most once, with bounds. */
  public static final class Exchange<O, E extends ProviderException> implements AutoCloseable {

    /** How much of the body is left, which decides whether closing may read the rest. */
    private enum Body {
      /** Not read yet. */
      UNREAD,
      /** Read to its end, or announced small enough to be finished by closing. */
      DONE,
      /** More is left than a bound allows, or the network failed: the call is cancelled. */
      LEFT_OVER
    }

    private final Call call;
    private final Response response;
    private final O operation;
    private final ErrorClassifier<O, E> errors;
    private final ObjectMapper json;
    private Body body = Body.UNREAD;

    private Exchange(
        Call call,
        Response response,
        O operation,
        ErrorClassifier<O, E> errors,
        ObjectMapper json) {
      this.call = call;
      this.response = response;
      this.operation = operation;
      this.errors = errors;
      this.json = json;
    }

    public int status() {
      return response.code();
    }

    public Headers headers() {
      return response.headers();
    }

    /**
     * The parsed 2xx body (null when {@code type} is null), or the classified failure: {@link
     * ErrorClassifier#fromResponse} for a non-2xx answer, {@link ErrorClassifier#malformed} for a
     * body that is empty, too large, not JSON or not {@code wellFormed}, {@link
     * ErrorClassifier#fromIo} when the network fails while reading.
     */
    public <T> T read(Class<T> type, Predicate<? super T> wellFormed) throws E {
      if (body != Body.UNREAD) {
        throw new IllegalStateException("the body was read already");
      }
      if (!response.isSuccessful()) {
        throw errors.fromResponse(operation, status(), headers(), errorBody());
      }
      if (type == null) {
        return null;
      }
      ResponseBody raw = response.body();
      if (raw == null) {
        throw errors.malformed(operation, status(), headers());
      }
      Bounded in = new Bounded(raw.byteStream(), MAX_BODY);
      T value;
      body = Body.LEFT_OVER;
      try {
        value = json.readValue(in, type);
        in.skipToEnd();
        body = Body.DONE;
      } catch (IOException e) {
        if (in.exceeded() || e instanceof JacksonException) {
          throw errors.malformed(operation, status(), headers());
        }
        throw errors.fromIo(operation, e);
      }
      if (value == null || !wellFormed.test(value)) {
        throw errors.malformed(operation, status(), headers());
      }
      return value;
    }

    /** At most {@link #MAX_ERROR_BODY} bytes of the body, as text; "" without one. */
    private String errorBody() throws E {
      ResponseBody raw = response.body();
      if (raw == null) {
        body = Body.DONE;
        return "";
      }
      body = Body.LEFT_OVER;
      try {
        BufferedSource source = raw.source();
        // request(n) reads until n bytes are buffered or the body ends: at most n plus a segment.
        boolean longer = source.request(MAX_ERROR_BODY + 1L);
        byte[] bytes = longer ? source.readByteArray(MAX_ERROR_BODY) : source.readByteArray();
        if (!longer) {
          body = Body.DONE;
        }
        return new String(bytes, charset(raw));
      } catch (IOException e) {
        throw errors.fromIo(operation, e);
      }
    }

    private static Charset charset(ResponseBody raw) {
      MediaType type = raw.contentType();
      Charset charset = type == null ? null : type.charset(null);
      return charset == null ? StandardCharsets.UTF_8 : charset;
    }

    /**
     * Closes the answer. A body not read to its end is left to OkHttp (which reads the rest to keep
     * the connection) only when it announced a small length; otherwise the call is cancelled, which
     * drops the connection instead of downloading the rest.
     */
    @Override
    public void close() {
      if (body == Body.UNREAD) {
        ResponseBody raw = response.body();
        long length = raw == null ? 0 : raw.contentLength();
        if (length >= 0 && length <= MAX_ERROR_BODY) {
          body = Body.DONE;
        }
      }
      if (body != Body.DONE) {
        call.cancel();
      }
      response.close();
    }
  }

  /** Reads at most {@code limit} bytes, then fails with {@link #exceeded()} set. */
  private static final class Bounded extends FilterInputStream {

    private final long limit;
    private long count;
    private boolean exceeded;

    Bounded(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    boolean exceeded() {
      return exceeded;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (count >= limit) {
        // One byte past the limit tells a body of exactly the limit from a longer one.
        if (super.read() == -1) {
          return -1;
        }
        exceeded = true;
        throw new IOException("the body is longer than " + limit + " bytes");
      }
      int n = super.read(b, off, (int) Math.min(len, limit - count));
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      int read = read(buffer, 0, buffer.length);
      return Math.max(read, 0);
    }

    /** Reads what follows the parsed value (whitespace, normally nothing), within the limit. */
    void skipToEnd() throws IOException {
      byte[] buffer = new byte[8192];
      while (read(buffer, 0, buffer.length) != -1) {
        // discard
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /**
     * Does nothing: Jackson closes what it parsed, and closing the response body would read the
     * rest of it (unbounded) so the connection can be reused. The exchange closes the response.
     */
    @Override
    public void close() {}
  }
}
