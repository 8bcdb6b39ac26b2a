package dev.tuning.e2e.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The provider-neutral state machine of one emulated job, evaluated lazily: every read first
 * replays the transitions whose time has come according to the caller's {@code now}.
 *
 * <p>Sequence: VALIDATING → QUEUED → RUNNING → SUCCEEDED, or VALIDATING → FAILED for a job marked
 * to fail. RUNNING can be paused (its remaining time is kept) and resumed through QUEUED. Cancel
 * goes to CANCELLED at once or through CANCELLING when a cancelling time is given.
 */
final class JobLifecycle {

  /** Provider-neutral stages; each emulator maps them to its own state names. */
  enum Stage {
    VALIDATING,
    QUEUED,
    RUNNING,
    PAUSED,
    CANCELLING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    boolean terminal() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  /** Entry into {@code stage} at {@code at}. */
  record Transition(Stage stage, Instant at) {}

  /**
   * A consistent view of the job at one instant.
   *
   * @param stage the current stage
   * @param history every transition so far, oldest first (the first is the creation)
   * @param runningEnd when RUNNING will end if nothing intervenes; null unless running
   */
  record Snapshot(Stage stage, List<Transition> history, Instant runningEnd) {

    Instant created() {
      return history.get(0).at();
    }

    Instant updated() {
      return history.get(history.size() - 1).at();
    }

    /** First entry into {@code s}, or null. */
    Instant firstEntry(Stage s) {
      return history.stream()
          .filter(t -> t.stage() == s)
          .map(Transition::at)
          .findFirst()
          .orElse(null);
    }

    /** When the job reached its terminal stage, or null. */
    Instant ended() {
      return stage.terminal() ? updated() : null;
    }

    /** True once the job has left the validation stage (its data has been looked at). */
    boolean validated() {
      return history.stream().anyMatch(t -> t.stage() == Stage.QUEUED || t.stage() == Stage.FAILED);
    }
  }

  private final EmulatorConfig config;
  private final boolean failsValidation;
  private final List<Transition> history = new ArrayList<>();
  private Stage stage;
  private Instant enteredAt;
  private Duration runningLeft;
  private Duration cancellingFor = Duration.ZERO;

  JobLifecycle(EmulatorConfig config, Instant created, boolean failsValidation) {
    this.config = config;
    this.failsValidation = failsValidation;
    this.runningLeft = config.running();
    enter(Stage.VALIDATING, created);
  }

  synchronized Snapshot snapshot(Instant now) {
    settle(now);
    Instant runningEnd = stage == Stage.RUNNING ? enteredAt.plus(runningLeft) : null;
    return new Snapshot(stage, List.copyOf(history), runningEnd);
  }

  /**
   * The instants, up to {@code now}, at which the job had run {@code k/parts} of its total running
   * time ({@code k = 1..parts}), oldest first. Only RUNNING counts: paused and queued time do not,
   * so a mark reached before a pause stays and the next one comes after the resume. The last mark
   * is the end of RUNNING, when the job succeeds.
   */
  synchronized List<Instant> runningMarks(Instant now, int parts) {
    settle(now);
    Duration total = config.running();
    List<Instant> marks = new ArrayList<>();
    Duration done = Duration.ZERO;
    int k = 1;
    for (int i = 0; i < history.size() && k <= parts; i++) {
      Transition t = history.get(i);
      if (t.stage() != Stage.RUNNING) {
        continue;
      }
      Instant end = i + 1 < history.size() ? history.get(i + 1).at() : now;
      Duration slice = Duration.between(t.at(), end);
      while (k <= parts) {
        Duration target = k == parts ? total : total.multipliedBy(k).dividedBy(parts);
        Duration needed = target.minus(done);
        if (needed.compareTo(slice) > 0) {
          break;
        }
        marks.add(t.at().plus(needed));
        k++;
      }
      done = done.plus(slice);
    }
    return marks;
  }

  /** RUNNING → PAUSED; false (and no change) in any other stage. */
  synchronized boolean pause(Instant now) {
    settle(now);
    if (stage != Stage.RUNNING) {
      return false;
    }
    runningLeft = runningLeft.minus(Duration.between(enteredAt, now));
    enter(Stage.PAUSED, now);
    return true;
  }

  /** PAUSED → QUEUED (then RUNNING for the time it had left); false in any other stage. */
  synchronized boolean resume(Instant now) {
    settle(now);
    if (stage != Stage.PAUSED) {
      return false;
    }
    enter(Stage.QUEUED, now);
    return true;
  }

  /**
   * Cancels a job that has not ended: to CANCELLED at once when {@code cancelling} is zero, else to
   * CANCELLING for that long. A job already CANCELLING stays so. False for a terminal job.
   */
  synchronized boolean cancel(Instant now, Duration cancelling) {
    settle(now);
    if (stage.terminal()) {
      return false;
    }
    if (stage == Stage.CANCELLING) {
      return true;
    }
    cancellingFor = cancelling;
    enter(cancelling.isZero() ? Stage.CANCELLED : Stage.CANCELLING, now);
    return true;
  }

  private void settle(Instant now) {
    while (true) {
      Duration d = durationOf(stage);
      if (d == null) {
        return;
      }
      Instant end = enteredAt.plus(d);
      if (end.isAfter(now)) {
        return;
      }
      if (stage == Stage.RUNNING) {
        runningLeft = Duration.ZERO;
      }
      enter(next(stage), end);
    }
  }

  private Duration durationOf(Stage s) {
    return switch (s) {
      case VALIDATING -> config.validating();
      case QUEUED -> config.queued();
      case RUNNING -> runningLeft;
      case CANCELLING -> cancellingFor;
      default -> null;
    };
  }

  private Stage next(Stage s) {
    return switch (s) {
      case VALIDATING -> failsValidation ? Stage.FAILED : Stage.QUEUED;
      case QUEUED -> Stage.RUNNING;
      case RUNNING -> Stage.SUCCEEDED;
      case CANCELLING -> Stage.CANCELLED;
      default -> throw new IllegalStateException("no automatic step after " + s);
    };
  }

  private void enter(Stage s, Instant at) {
    stage = s;
    enteredAt = at;
    history.add(new Transition(s, at));
  }
}
