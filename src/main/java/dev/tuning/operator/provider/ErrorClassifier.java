package dev.tuning.operator.provider;

import java.io.IOException;
import okhttp3.Headers;

/**
 * The shape of every provider's {@code …Errors} class: it turns what {@link ProviderHttp} saw into
 * a classified {@link ProviderException}. Messages are built from sanitized text only (see {@link
 * dev.tuning.operator.text.SafeText}), never from headers or whole bodies.
 *
 * @param <O> the provider's operations (create, get, …), as the meaning of a status may depend on
 *     the operation (a 404 on create is a bad spec, on get a lost job)
 * @param <E> the exception the provider throws (a {@link ProviderException} or a subclass that
 *     keeps more, such as the HTTP status)
 */
public interface ErrorClassifier<O, E extends ProviderException> {

  /**
   * A non-2xx answer.
   *
   * @param body at most {@link ProviderHttp#MAX_ERROR_BODY} bytes of the body, as text (cut if the
   *     body was longer); read only to find the provider's error envelope
   */
  E fromResponse(O operation, int status, Headers headers, String body);

  /** No usable answer: refused or dropped connections, timeouts, a body cut off by the network. */
  E fromIo(O operation, IOException e);

  /** A 2xx answer whose body is empty, too large, not JSON, or not the expected object. */
  E malformed(O operation, int status, Headers headers);
}
