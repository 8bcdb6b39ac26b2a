package dev.tuning.operator.provider;

import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * What a provider needs for one call: the TuningJob's identity (its UID is the idempotency tag),
 * its desired spec (plain data) and the credential resolved for it.
 *
 * @param resourceUid the TuningJob's metadata.uid, stored on the provider job under {@link
 *     TuningProvider#TAG_KEY}
 * @param namespace the TuningJob's namespace (for display names and logs)
 * @param name the TuningJob's name
 * @param spec the desired job
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
    TuningJobSpec spec,
    Credential credential,
    Instant sendBy) {

  public JobContext {
    Objects.requireNonNull(resourceUid, "resourceUid");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(credential, "credential");
  }

  public JobContext(
      String resourceUid,
      String namespace,
      String name,
      TuningJobSpec spec,
      Credential credential) {
    this(resourceUid, namespace, name, spec, credential, null);
  }

  /** This context for a create that must be sent by {@code deadline}. */
  public JobContext withSendBy(Instant deadline) {
    return new JobContext(resourceUid, namespace, name, spec, credential, deadline);
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
