package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Google API error envelopes: {@code {"error":{"code","message","status","details"?}}}. */
final class VertexErrors {

  private VertexErrors() {}

  static ObjectNode envelope(int code, String message, String status) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("code", code);
    e.put("message", message);
    e.put("status", status);
    return root;
  }

  /** 400 INVALID_ARGUMENT with a {@code google.rpc.BadRequest} field violation. */
  static ApiException invalid(String field, String description) {
    ObjectNode root = envelope(400, description, "INVALID_ARGUMENT");
    ObjectNode violation =
        ((ObjectNode) root.get("error"))
            .putArray("details")
            .addObject()
            .put("@type", "type.googleapis.com/google.rpc.BadRequest")
            .putArray("fieldViolations")
            .addObject();
    if (field != null) {
      violation.put("field", field);
    }
    violation.put("description", description);
    return new ApiException(ApiResponse.json(400, root));
  }

  static ApiException notFound(String what) {
    return new ApiException(ApiResponse.json(404, envelope(404, what, "NOT_FOUND")));
  }

  static ApiException failedPrecondition(String message) {
    return new ApiException(ApiResponse.json(400, envelope(400, message, "FAILED_PRECONDITION")));
  }

  static ApiResponse unauthenticated() {
    return ApiResponse.json(
            401,
            envelope(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                    + " login cookie or other valid authentication credential. See"
                    + " https://developers.google.com/identity/sign-in/web/devconsole-project.",
                "UNAUTHENTICATED"))
        .withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
  }

  static ApiResponse fault(Fault f) {
    return switch (f.kind()) {
      case RATE_LIMIT ->
          quota(
              f,
              "Quota exceeded for aiplatform.googleapis.com/tuning_job_requests_per_minute.",
              "RATE_LIMIT_EXCEEDED");
      case DAILY_RATE_LIMIT ->
          quota(
              f,
              "Quota exceeded for quota metric 'Tuning job creations' and limit 'Tuning job"
                  + " creations per day per region' of service 'aiplatform.googleapis.com'.",
              "RATE_LIMIT_EXCEEDED_DAILY");
      case UNAUTHENTICATED -> unauthenticated();
      default -> {
        boolean unavailable = f.status() == 503;
        yield ApiResponse.json(
            f.status(),
            envelope(
                f.status(),
                unavailable
                    ? "The service is currently unavailable."
                    : "Internal error encountered.",
                unavailable ? "UNAVAILABLE" : "INTERNAL"));
      }
    };
  }

  private static ApiResponse quota(Fault f, String message, String reason) {
    ObjectNode root = envelope(429, message, "RESOURCE_EXHAUSTED");
    ArrayNode details = ((ObjectNode) root.get("error")).putArray("details");
    details
        .addObject()
        .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
        .put("reason", reason)
        .put("domain", "googleapis.com");
    details
        .addObject()
        .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
        .put("retryDelay", f.retryAfterSeconds() + "s");
    return ApiResponse.json(429, root)
        .withHeader("Retry-After", Long.toString(f.retryAfterSeconds()));
  }
}
