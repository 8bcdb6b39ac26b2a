package dev.tuning.operator.provider;

/** The class of a provider failure; decides how the reconciler retries and what status says. */
public enum ErrorKind {
  /** Timeouts, resets, 408/409/5xx: retried with exponential backoff. */
  TRANSIENT,
  /** Rate limited (429): retried after the provider's Retry-After, else with backoff. */
  RATE_LIMITED,
  /** A daily or billing quota: retried hours later, never in a hot loop. */
  QUOTA,
  /** The provider rejected the request (400, 404 on create, invalid spec): not retried. */
  PERMANENT,
  /** 401/403 or unusable credentials: retried slowly, status says to fix the credentials. */
  AUTHENTICATION,
  /** The job does not exist (404 on read or cancel). */
  NOT_FOUND,
  /**
   * The TuningJob's credential or target breaks the tenant rule (docs/design.md section 5): e.g. a
   * Google document that would make the operator read a file or call a chosen URL, or operator-wide
   * credentials used outside the namespaces or projects the operator allows. Nothing was sent;
   * retried slowly, status says which field to fix.
   */
  CREDENTIALS_REJECTED
}
