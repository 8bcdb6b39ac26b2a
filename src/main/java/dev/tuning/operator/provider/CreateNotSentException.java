package dev.tuning.operator.provider;

/**
 * A create that was not sent because it would have left too late after its recorded start ({@link
 * JobContext#sendBy()}). Nothing reached the provider, so the outcome is known: no job.
 */
public final class CreateNotSentException extends ProviderException {

  private static final long serialVersionUID = 1L;

  public CreateNotSentException(String message) {
    super(ErrorKind.TRANSIENT, message);
  }

  @Override
  public boolean outcomeUnknown() {
    return false;
  }
}
