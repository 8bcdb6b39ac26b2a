package dev.tuning.operator.credentials;

/**
 * The credential a TuningJob needs cannot be read, or may not be used. The message names the Secret
 * or field, never data.
 */
public class CredentialsMissingException extends Exception {
  private final boolean rejected;

  public CredentialsMissingException(String message) {
    this(message, false);
  }

  private CredentialsMissingException(String message, boolean rejected) {
    super(message);
    this.rejected = rejected;
  }

  /** A credential that exists but this TuningJob may not use (e.g. a default outside its list). */
  public static CredentialsMissingException rejected(String message) {
    return new CredentialsMissingException(message, true);
  }

  /** True when the credential was refused rather than missing. */
  public boolean rejected() {
    return rejected;
  }
}
