package dev.tuning.operator.credentials;

/** The credential a TuningJob needs cannot be read. The message names the Secret, never data. */
public class CredentialsMissingException extends Exception {
  public CredentialsMissingException(String message) {
    super(message);
  }
}
