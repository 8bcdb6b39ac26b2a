package dev.tuning.e2e.emulator;

import java.util.List;

/**
 * AWS restJson1 errors as Bedrock sends them: the status, {@code x-amzn-ErrorType: <Shape>} and a
 * {@code {"message": …}} body ({@code x-amzn-RequestId} is added to every answer by the emulator).
 */
final class BedrockErrors {

  /** The text AWS answers for a reused {@code jobName} (bedrock.md §6). */
  static final String NAME_IN_USE = "The provided job name is currently in use.";

  private BedrockErrors() {}

  static ApiResponse error(int status, String shape, String message) {
    return ApiResponse.json(status, Json.object().put("message", message))
        .withHeader("x-amzn-ErrorType", shape);
  }

  static ApiException validation(String message) {
    return new ApiException(error(400, "ValidationException", message));
  }

  /** One violated constraint in the AWS wording; {@code shown} is the value as AWS prints it. */
  static String violation(String shown, String member, String constraint) {
    return "Value " + shown + " at '" + member + "' failed to satisfy constraint: " + constraint;
  }

  /** A {@code ValidationException} listing every violation, as AWS does. */
  static ApiException violations(List<String> violations) {
    int n = violations.size();
    return validation(
        n
            + " validation error"
            + (n == 1 ? "" : "s")
            + " detected: "
            + String.join("; ", violations));
  }

  /** A {@code ValidationException} for one string member (null: absent). */
  static ApiException invalidMember(String value, String member, String constraint) {
    String shown = value == null ? "null" : "'" + value + "'";
    return violations(List.of(violation(shown, member, constraint)));
  }

  static ApiException conflict(String message) {
    return new ApiException(error(400, "ConflictException", message));
  }

  static ApiException notFound(String message) {
    return new ApiException(error(404, "ResourceNotFoundException", message));
  }

  static ApiException tooManyTags(String message) {
    return new ApiException(error(400, "TooManyTagsException", message));
  }

  /** A body that is not a JSON object. */
  static ApiException serialization(String message) {
    return new ApiException(error(400, "SerializationException", message));
  }

  static ApiResponse unknownOperation(String method, String path) {
    return error(404, "UnknownOperationException", "No operation matches " + method + " " + path);
  }

  static ApiResponse invalidSignature(String message) {
    return error(403, "InvalidSignatureException", message);
  }

  static ApiResponse unrecognizedClient(String message) {
    return error(403, "UnrecognizedClientException", message);
  }

  /**
   * An injected fault: rate limits are 429 {@code ThrottlingException}, the daily kind stands for
   * the job-count quota (400 {@code ServiceQuotaExceededException}), 503 is {@code
   * ServiceUnavailableException}, any other 5xx {@code InternalServerException}, a revoked key 403
   * {@code UnrecognizedClientException}. AWS sends no {@code Retry-After}, so neither does the
   * emulator.
   */
  static ApiResponse fault(Fault f) {
    return switch (f.kind()) {
      case RATE_LIMIT ->
          error(429, "ThrottlingException", "Too many requests, please wait before trying again.");
      case UNAUTHENTICATED ->
          unrecognizedClient("The security token included in the request is invalid.");
      case DAILY_RATE_LIMIT ->
          error(
              400,
              "ServiceQuotaExceededException",
              "You have reached the quota for (Model customization) Scheduled customization jobs"
                  + " in this Region.");
      default ->
          f.status() == 503
              ? error(503, "ServiceUnavailableException", "Service Unavailable")
              : error(f.status(), "InternalServerException", "Internal Server Error");
    };
  }
}
