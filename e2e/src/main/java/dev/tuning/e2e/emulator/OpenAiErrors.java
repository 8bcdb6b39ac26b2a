package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Error envelopes of the OpenAI API: {@code {"error":{"message","type","param","code"}}}. */
final class OpenAiErrors {

  private OpenAiErrors() {}

  static ApiResponse error(int status, String message, String type, String param, String code) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.put("param", param);
    e.put("code", code);
    return ApiResponse.json(status, root);
  }

  /** A 400 {@code invalid_request_error}, as an exception to throw from validation. */
  static ApiException invalid(String message, String param, String code) {
    return new ApiException(error(400, message, "invalid_request_error", param, code));
  }

  static ApiException notFound(String id) {
    return new ApiException(
        error(
            404,
            "Could not find fine-tuning job: " + id,
            "invalid_request_error",
            "fine_tuning_job_id",
            "not_found"));
  }

  static ApiResponse invalidUrl(String method, String path) {
    return error(
        404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
  }

  static ApiResponse missingKey() {
    return error(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization"
            + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the"
            + " password field (with blank username) if you're accessing the API from your"
            + " browser and are prompted for a username and password. You can obtain an API key"
            + " from https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        null,
        null);
  }

  static ApiResponse wrongKey() {
    // the real API echoes a masked key; the emulator echoes nothing
    return error(
        401,
        "Incorrect API key provided. You can find your API key at"
            + " https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        null,
        "invalid_api_key");
  }

  static ApiResponse fault(Fault f) {
    return switch (f.kind()) {
      case RATE_LIMIT ->
          error(
                  429,
                  "Rate limit reached for requests. Please try again in "
                      + f.retryAfterSeconds()
                      + "s.",
                  "requests",
                  null,
                  "rate_limit_exceeded")
              .withHeader("Retry-After", Long.toString(f.retryAfterSeconds()));
      case DAILY_RATE_LIMIT ->
          error(
                  429,
                  "This fine-tuning request has been rate-limited. Your organization has reached the"
                      + " maximum of 3 fine-tuning requests per day for the model.",
                  "invalid_request_error",
                  null,
                  "daily_rate_limit_exceeded")
              .withHeader("Retry-After", Long.toString(f.retryAfterSeconds()));
      case UNAUTHENTICATED -> wrongKey();
      default ->
          error(
              f.status(),
              f.status() == 503
                  ? "The server is overloaded or not ready yet."
                  : "The server had an error while processing your request. Sorry about that!",
              "server_error",
              null,
              null);
    };
  }
}
