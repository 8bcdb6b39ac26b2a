package dev.tuning.operator.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Tells whoever listens on this thread when a request goes on the wire. A rate budget lets a call
 * out some time before it is written (a thread switch, a busy CPU, a connection to open), and a
 * provider counts calls when they arrive: calls let out exactly a window apart arrived closer
 * together (7 in one sliding second at 5/s in the benchmark, the first five 150 ms or more after
 * they were let out). So the budget counts each call from its mark ({@code BudgetedProvider}).
 *
 * <p>Per thread: provider calls are sent on the thread that makes them (OkHttp's {@code execute},
 * the AWS SDK's synchronous client). A request sent twice (a read retried on a closed connection)
 * is marked twice; the last mark is when it went.
 */
public final class WireMark {

  private static final ThreadLocal<Runnable> LISTENER = new ThreadLocal<>();

  private WireMark() {}

  /** Ends a {@link #listen}. */
  public interface Listening extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Calls {@code listener} each time a request this thread sends goes on the wire, until closed
   * (then the listener before it, if any, listens again).
   */
  public static Listening listen(Runnable listener) {
    Runnable before = LISTENER.get();
    LISTENER.set(listener);
    return () -> {
      if (before == null) {
        LISTENER.remove();
      } else {
        LISTENER.set(before);
      }
    };
  }

  /** A request of this thread is about to be written. */
  public static void sending() {
    Runnable listener = LISTENER.get();
    if (listener != null) {
      listener.run();
    }
  }

  /**
   * OkHttp's mark: a network interceptor runs once the connection is open, just before the request
   * is written, and again for each attempt.
   */
  static final class OnWire implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
      sending();
      return chain.proceed(chain.request());
    }
  }
}
