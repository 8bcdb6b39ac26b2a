package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer built by a handler: status, JSON body (null: no body) and extra headers. */
record ApiResponse(int status, JsonNode body, Map<String, String> headers) {

  static ApiResponse json(int status, JsonNode body) {
    return new ApiResponse(status, body, Map.of());
  }

  static ApiResponse ok(JsonNode body) {
    return json(200, body);
  }

  /** A status without a body. */
  static ApiResponse empty(int status) {
    return json(status, null);
  }

  ApiResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ApiResponse(status, body, h);
  }
}
