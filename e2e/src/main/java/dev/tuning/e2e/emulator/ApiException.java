package dev.tuning.e2e.emulator;

/** Thrown by handlers and validators to answer with a ready error response. */
final class ApiException extends RuntimeException {

  private final transient ApiResponse response;

  ApiException(ApiResponse response) {
    super(response.body().toString(), null, false, false);
    this.response = response;
  }

  ApiResponse response() {
    return response;
  }
}
