package dev.tuning.operator.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * What a provider needs for one call: the TuningJob's identity (its UID is the idempotency tag),
 * the provider's own typed request built from the spec ({@link TuningProvider#prepare}) and the
 * credential resolved for it.
 *
 * @param resourceUid the TuningJob's metadata.uid, stored on the provider job under {@link
 *     TuningProvider#TAG_KEY}
 * @param namespace the TuningJob's namespace (for display names and logs)
 * @param name the TuningJob's name
 * @param request the desired job, as the provider's own {@link JobRequest}
 * @param credential the credential to authenticate with
 * @param sendBy for a create: the latest moment its request may still be sent (after token fetches
 *     and anything else before the send), so that the call ends inside the settle window counted
 *     from the attempt's recorded start; a create that would be later is not sent at all. Null for
 *     other calls.
 */
public record JobContext(
    String resourceUid,
    String namespace,
    String name,
    JobRequest request,
    Credential credential,
    Instant sendBy) {

  public JobContext {
    Objects.requireNonNull(resourceUid, "resourceUid");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credential, "credential");
  }

  public JobContext(
      String resourceUid,
      String namespace,
      String name,
      JobRequest request,
      Credential credential) {
    this(resourceUid, namespace, name, request, credential, null);
  }

  /** This context for a create that must be sent by {@code deadline}. */
  public JobContext withSendBy(Instant deadline) {
    return new JobContext(resourceUid, namespace, name, request, credential, deadline);
  }

  /**
   * The request as the provider's own type. A provider only ever receives the request it built, so
   * a mismatch is a programming error.
   */
  public <T extends JobRequest> T request(Class<T> type) {
    if (!type.isInstance(request)) {
      throw new IllegalStateException(
          "expected a " + type.getSimpleName() + " but got " + request.getClass().getSimpleName());
    }
    return type.cast(request);
  }

  /** Throws when a create's request would leave after {@link #sendBy}. */
  public void checkSendBy(Instant now, String provider) throws ProviderException {
    if (sendBy != null && now.isAfter(sendBy)) {
      throw new CreateNotSentException(
          provider
              + " create not sent: too late after its recorded start (it could outlast the settle"
              + " window); trying again");
    }
  }
}
