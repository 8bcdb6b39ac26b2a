package dev.tuning.operator.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Sends a read ({@code GET}) once more when it failed without a response. Servers close keep-alive
 * connections that stayed idle (a list a minute apart finds its pooled connection closed:
 * "unexpected end of stream"), and a read that never reached the provider is safe to send again; a
 * failed list would otherwise make every job of its credential fall back to a read of its own.
 * Creates, cancels and other writes are never sent twice here: whether a create may have landed is
 * the reconciler's decision. A timeout, a refused connection, an unknown host or a cancelled call
 * is not retried.
 */
final class StaleConnectionRetry implements Interceptor {

  private final ConnectionPool pool;

  /**
   * @param pool the client's pool: its idle connections are closed before the second attempt, as
   *     the server has likely closed all of them alike (the benchmark's second attempt found
   *     another closed one)
   */
  StaleConnectionRetry(ConnectionPool pool) {
    this.pool = pool;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    try {
      return chain.proceed(chain.request());
    } catch (IOException e) {
      if (!"GET".equals(chain.request().method())
          || e instanceof InterruptedIOException
          || e instanceof java.net.ConnectException
          || e instanceof java.net.UnknownHostException
          || chain.call().isCanceled()) {
        throw e;
      }
      pool.evictAll(); // idle connections only; calls in flight keep theirs
      return chain.proceed(chain.request());
    }
  }
}
