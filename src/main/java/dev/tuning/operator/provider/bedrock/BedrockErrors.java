package dev.tuning.operator.provider.bedrock;

import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.text.SafeText;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Classifies the SDK's exceptions (docs/providers/bedrock.md section 5). The message is the
 * service's own text, cut to the shared limit by the status writer; it never holds a credential
 * (the SDK's messages carry the request id, not the signature).
 */
final class BedrockErrors {

  /** The validation text Bedrock answers a create whose job name is taken (section 6). */
  static final String NAME_IN_USE = "job name is currently in use";

  /** Authentication failures the service reports as plain Bedrock errors. */
  private static final Set<String> AUTH_CODES =
      Set.of(
          "AccessDeniedException",
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "ExpiredTokenException",
          "InvalidClientTokenId",
          "MissingAuthenticationTokenException");

  private BedrockErrors() {}

  /** The kind of a failure of {@code operation} ({@code create}, {@code get}, ...). */
  static ProviderException classify(String operation, SdkException e) {
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String message =
          service.awsErrorDetails() != null && service.awsErrorDetails().errorMessage() != null
              ? service.awsErrorDetails().errorMessage()
              : "HTTP " + service.statusCode();
      ErrorKind kind = kindOf(operation, service.statusCode(), code);
      if (kind == ErrorKind.AUTHENTICATION) {
        // A signature mismatch may echo the canonical request (signed headers, a session token):
        // only the code and a fixed sentence leave this class.
        message = "the AWS credentials were refused; check the Secret's keys and the IAM policy";
      }
      return new ProviderException(
          kind,
          SafeText.sanitize(
              "Amazon Bedrock "
                  + operation
                  + " failed: "
                  + (code == null ? "" : code + ": ")
                  + message),
          code,
          null,
          null,
          service.requestId(),
          e);
    }
    // No answer (connection refused, timeout, unreadable reply): the call may have taken effect.
    String why = e instanceof SdkClientException ? "no answer" : e.getClass().getSimpleName();
    return new ProviderException(
        ErrorKind.TRANSIENT,
        "Amazon Bedrock " + operation + " failed: " + why,
        null,
        null,
        null,
        null,
        new java.io.IOException(why, e));
  }

  static ErrorKind kindOf(String operation, int status, String code) {
    if (code != null && AUTH_CODES.contains(code)) {
      return ErrorKind.AUTHENTICATION;
    }
    if ("ThrottlingException".equals(code) || status == 429) {
      return ErrorKind.RATE_LIMITED;
    }
    if ("ServiceQuotaExceededException".equals(code)) {
      return ErrorKind.QUOTA;
    }
    if ("ResourceNotFoundException".equals(code) || status == 404) {
      // A create naming a missing base model or role is a bad spec, not a lost job.
      return "create".equals(operation) ? ErrorKind.PERMANENT : ErrorKind.NOT_FOUND;
    }
    if (status >= 500 || status == 408) {
      return ErrorKind.TRANSIENT;
    }
    if (status == 401 || status == 403) {
      return ErrorKind.AUTHENTICATION;
    }
    return ErrorKind.PERMANENT;
  }

  /** Whether a create was refused because a job with its name exists (then: look it up). */
  static boolean nameInUse(ProviderException e) {
    return e.kind() == ErrorKind.PERMANENT
        && ("ValidationException".equals(e.providerCode().orElse(""))
            || "ConflictException".equals(e.providerCode().orElse("")))
        && e.getMessage() != null
        && (e.getMessage().contains(NAME_IN_USE)
            || "ConflictException".equals(e.providerCode().orElse("")));
  }
}
