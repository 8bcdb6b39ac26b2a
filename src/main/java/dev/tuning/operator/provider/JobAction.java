package dev.tuning.operator.provider;

import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancel, pause and resume, with the one rule every provider follows when the provider refuses one:
 * re-read the job, and if it already is where the request wanted it (a cancel of a finished or
 * cancelling job, a pause of a paused one), that is success; otherwise the original error stands.
 * Providers document poorly which states accept these requests (docs/providers/openai.md section 8,
 * docs/providers/vertex.md on FAILED_PRECONDITION), so the job's state decides, not the refusal.
 *
 * <p>A refusal is a {@link ErrorKind#PERMANENT} or {@link ErrorKind#TRANSIENT} failure: a 4xx state
 * conflict, or a 5xx after which the request may have taken effect all the same. Authentication,
 * rate-limit, quota and not-found failures are never answered by a re-read.
 */
public enum JobAction {
  CANCEL("cancel", s -> s == ProviderJobState.CANCELLING || s.isTerminal()),
  PAUSE("pause", s -> s == ProviderJobState.PAUSED || s.isTerminal()),
  RESUME("resume", s -> s != ProviderJobState.PAUSED);

  private static final Logger log = LoggerFactory.getLogger(JobAction.class);

  /** One provider call. */
  @FunctionalInterface
  public interface Call {
    ProviderJob run() throws ProviderException;
  }

  /** A request whose answer carries no job (e.g. a cancel answered with an empty body). */
  @FunctionalInterface
  public interface Send {
    void run() throws ProviderException;
  }

  private final String verb;
  private final Predicate<ProviderJobState> satisfied;

  JobAction(String verb, Predicate<ProviderJobState> satisfied) {
    this.verb = verb;
    this.satisfied = satisfied;
  }

  /** The operation name used in logs, metrics and the provider's URLs (e.g. {@code cancel}). */
  public String verb() {
    return verb;
  }

  /** Whether a job in {@code state} already is where this action wants it. */
  public boolean satisfiedBy(ProviderJobState state) {
    return satisfied.test(state);
  }

  /**
   * Runs {@code request}; on a refusal, runs {@code reread} and returns its job when it satisfies
   * this action, else throws the refusal (with a failed re-read suppressed in it).
   */
  public ProviderJob perform(String provider, String jobId, Call request, Call reread)
      throws ProviderException {
    try {
      return request.run();
    } catch (ProviderException refusal) {
      if (refusal.kind() != ErrorKind.PERMANENT && refusal.kind() != ErrorKind.TRANSIENT) {
        throw refusal;
      }
      ProviderJob current;
      try {
        current = reread.run();
      } catch (ProviderException e) {
        refusal.addSuppressed(e);
        throw refusal;
      }
      if (!satisfiedBy(current.state())) {
        throw refusal;
      }
      log.atDebug()
          .addKeyValue("provider", provider)
          .addKeyValue("operation", verb)
          .addKeyValue("jobId", jobId)
          .log("{} was refused, but the job is already {}", verb, current.rawState());
      return current;
    }
  }

  /**
   * {@link #perform} for a request whose answer carries no job: sends it, then reads the job with
   * {@code read}, which also serves as the re-read after a refusal.
   */
  public ProviderJob sendThenRead(String provider, String jobId, Send send, Call read)
      throws ProviderException {
    return perform(
        provider,
        jobId,
        () -> {
          send.run();
          return read.run();
        },
        read);
  }
}
