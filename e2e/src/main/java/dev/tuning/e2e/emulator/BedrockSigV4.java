package dev.tuning.e2e.emulator;

import com.sun.net.httpserver.Headers;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the shape of AWS Signature Version 4 on a request, as far as it can be checked without the
 * secret key: {@code X-Amz-Date}, and {@code Authorization: AWS4-HMAC-SHA256 Credential=<key
 * id>/<yyyymmdd>/<region>/bedrock/aws4_request, SignedHeaders=…, Signature=<64 hex>} with the scope
 * date equal to the {@code X-Amz-Date} day, {@code host} and {@code x-amz-date} signed, the service
 * {@code bedrock}, and the key id and Region allowed by {@link BedrockOptions}. The signature
 * itself is not recomputed.
 *
 * <p>Refusals are 403: {@code UnrecognizedClientException} for an unknown key id and for any {@code
 * Bearer} token (Bedrock API keys are refused here, so that a test can prove the operator never
 * sends one: the bearer-token trap of bedrock.md §7), {@code InvalidSignatureException} for
 * anything else.
 */
final class BedrockSigV4 {

  /** The credential scope of a well-formed request. */
  record Scope(String accessKeyId, String date, String region, String service) {}

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/([^/,\\s]+)/([^/,\\s]+)/([^/,\\s]+)"
              + "/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([^,\\s]*)");
  private static final Pattern AMZ_DATE = Pattern.compile("(\\d{8})T\\d{6}Z");
  private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern RECORDED_SIGNATURE = Pattern.compile("(Signature=)[^,\\s]*");

  private BedrockSigV4() {}

  /** The scope of a request that passes, or the 403 refusal as an exception. */
  static Scope verify(Headers headers, BedrockOptions options) {
    String auth = Optional.ofNullable(headers.getFirst("Authorization")).orElse("").trim();
    if (auth.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw refuse(
          BedrockErrors.unrecognizedClient(
              "Bearer tokens (Bedrock API keys) are not accepted by this emulator: requests must"
                  + " be signed with AWS Signature Version 4."));
    }
    if (auth.isEmpty()) {
      throw invalid("Missing Authentication Token: the request carries no Authorization header.");
    }
    Matcher m = AUTHORIZATION.matcher(auth);
    if (!m.matches()) {
      throw invalid(
          "Authorization header must be 'AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>"
              + "/<service>/aws4_request, SignedHeaders=<headers>, Signature=<signature>'.");
    }
    Scope scope = new Scope(m.group(1), m.group(2), m.group(3), m.group(4));
    String amzDate = Optional.ofNullable(headers.getFirst("X-Amz-Date")).orElse("");
    Matcher date = AMZ_DATE.matcher(amzDate);
    if (!date.matches()) {
      throw invalid(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header"
              + " in the form yyyyMMdd'T'HHmmss'Z'.");
    }
    if (!date.group(1).equals(scope.date())) {
      throw invalid(
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP: '"
              + scope.date()
              + "' != '"
              + date.group(1)
              + "'.");
    }
    if (!scope.service().equals("bedrock")) {
      throw invalid(
          "Credential should be scoped to correct service: 'bedrock', not '"
              + scope.service()
              + "'.");
    }
    boolean regionAllowed =
        options.regions().isEmpty() || options.regions().contains(scope.region());
    if (!REGION.matcher(scope.region()).matches() || !regionAllowed) {
      throw invalid("Credential should be scoped to a valid region, not '" + scope.region() + "'.");
    }
    if (!Arrays.asList(m.group(5).split(";")).containsAll(List.of("host", "x-amz-date"))) {
      throw invalid("SignedHeaders must include host and x-amz-date, got '" + m.group(5) + "'.");
    }
    if (!SIGNATURE.matcher(m.group(6)).matches()) {
      throw invalid("Signature must be 64 lower-case hex digits.");
    }
    boolean keyKnown =
        options.accessKeyIds().isEmpty() || options.accessKeyIds().contains(scope.accessKeyId());
    if (!KEY_ID.matcher(scope.accessKeyId()).matches() || !keyKnown) {
      throw refuse(
          BedrockErrors.unrecognizedClient(
              "The security token included in the request is invalid."));
    }
    return scope;
  }

  /**
   * An {@code Authorization} value as it may be recorded: the scheme, credential scope and signed
   * headers stay (they hold no secret, and tests assert which key signed), the signature and any
   * bearer token become {@link RecordedRequest#REDACTED}.
   */
  static String redactAuthorization(String value) {
    String v = value.trim();
    if (v.startsWith("AWS4-HMAC-SHA256")) {
      return RECORDED_SIGNATURE.matcher(v).replaceAll("$1" + RecordedRequest.REDACTED);
    }
    int space = v.indexOf(' ');
    return space < 0
        ? RecordedRequest.REDACTED
        : v.substring(0, space) + " " + RecordedRequest.REDACTED;
  }

  /** The access key id of a recorded SigV4 request, if it was signed. */
  static Optional<String> accessKeyId(RecordedRequest r) {
    Matcher m = AUTHORIZATION.matcher(Optional.ofNullable(r.header("authorization")).orElse(""));
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static ApiException invalid(String message) {
    return refuse(BedrockErrors.invalidSignature(message));
  }

  private static ApiException refuse(ApiResponse response) {
    return new ApiException(response);
  }
}
