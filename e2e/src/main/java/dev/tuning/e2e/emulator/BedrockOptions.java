package dev.tuning.e2e.emulator;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the Bedrock emulator needs beyond {@link EmulatorConfig}.
 *
 * @param accountId the 12-digit account in every ARN
 * @param regions Regions a request may be signed for; empty = any well-formed Region. Jobs live in
 *     the Region of the request's SigV4 scope, as they do in AWS
 * @param accessKeyIds accepted access key ids; empty = any well-formed id ({@link
 *     EmulatorConfig#validKeys()} is not used: it holds the other emulators' keys)
 * @param failureMessage the {@code failureMessage} of a job that fails (its training data URI
 *     contains the {@link Faults#failMarker() fail marker})
 */
public record BedrockOptions(
    String accountId, Set<String> regions, Set<String> accessKeyIds, String failureMessage) {

  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

  /** Checks the account id and copies the sets. */
  public BedrockOptions {
    if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
      throw new IllegalArgumentException("accountId must be 12 digits, got " + accountId);
    }
    regions = Set.copyOf(regions);
    accessKeyIds = Set.copyOf(accessKeyIds);
    Objects.requireNonNull(failureMessage, "failureMessage");
  }

  /** Account 123456789012, any Region, any key id, the §10 failure message. */
  public static BedrockOptions defaults() {
    return new BedrockOptions(
        "123456789012",
        Set.of(),
        Set.of(),
        "Training data validation failed: line 17 is not valid JSON.");
  }

  /** A copy with another account id. */
  public BedrockOptions withAccountId(String id) {
    return new BedrockOptions(id, regions, accessKeyIds, failureMessage);
  }

  /** A copy that accepts only requests signed for these Regions. */
  public BedrockOptions withRegions(Set<String> r) {
    return new BedrockOptions(accountId, r, accessKeyIds, failureMessage);
  }

  /** A copy that accepts only these access key ids. */
  public BedrockOptions withAccessKeyIds(Set<String> ids) {
    return new BedrockOptions(accountId, regions, ids, failureMessage);
  }

  /** A copy with another failure message for failing jobs. */
  public BedrockOptions withFailureMessage(String message) {
    return new BedrockOptions(accountId, regions, accessKeyIds, message);
  }
}
