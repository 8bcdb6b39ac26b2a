package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A small OkHttp test client for the emulators: no retries, JSON in and out. */
final class EmulatorHttp {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

  /** One answer: status, headers, raw body and its JSON (null when not JSON). */
  record Reply(int code, Headers headers, String text, JsonNode json) {
    JsonNode error() {
      return json.get("error");
    }
  }

  private final OkHttpClient client =
      new OkHttpClient.Builder()
          .retryOnConnectionFailure(false)
          .readTimeout(Duration.ofSeconds(10))
          .build();
  private final Map<String, String> defaultHeaders;

  EmulatorHttp(Map<String, String> defaultHeaders) {
    this.defaultHeaders = defaultHeaders;
  }

  static EmulatorHttp bearer(String token) {
    return new EmulatorHttp(Map.of("Authorization", "Bearer " + token));
  }

  static EmulatorHttp anonymous() {
    return new EmulatorHttp(Map.of());
  }

  Reply get(String url) {
    return send(new Request.Builder().url(url).get(), Map.of());
  }

  Reply get(String url, Map<String, String> headers) {
    return send(new Request.Builder().url(url).get(), headers);
  }

  Reply post(String url, String json) {
    return send(new Request.Builder().url(url).post(RequestBody.create(json, JSON)), Map.of());
  }

  Reply post(String url, JsonNode json) {
    return post(url, json.toString());
  }

  Reply postForm(String url, String form) {
    return send(new Request.Builder().url(url).post(RequestBody.create(form, FORM)), Map.of());
  }

  Reply delete(String url) {
    return send(new Request.Builder().url(url).delete(), Map.of());
  }

  /** Sends and returns the raw call result, letting I/O errors through. */
  Response raw(Request request) throws IOException {
    return client.newCall(request).execute();
  }

  private Reply send(Request.Builder b, Map<String, String> headers) {
    defaultHeaders.forEach(b::header);
    headers.forEach(b::header);
    try (Response r = client.newCall(b.build()).execute()) {
      String text = r.body() == null ? "" : r.body().string();
      JsonNode json;
      try {
        json = text.isEmpty() ? null : MAPPER.readTree(text);
      } catch (IOException e) {
        json = null;
      }
      return new Reply(r.code(), r.headers(), text, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
