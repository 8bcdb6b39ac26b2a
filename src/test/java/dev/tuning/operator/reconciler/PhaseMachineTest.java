package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhaseMachineTest {

  private static TuningJob job(Phase phase, String jobId, long generation, Long observed) {
    TuningJob job = TuningJobs.openAi("ns", "j");
    job.getMetadata().setGeneration(generation);
    if (phase != null) {
      TuningJobStatus s = new TuningJobStatus();
      s.setPhase(phase);
      s.setJobId(jobId);
      s.setObservedGeneration(observed);
      job.setStatus(s);
    }
    return job;
  }

  @Test
  void shouldCreateWhenNothingWasSubmitted() {
    assertThat(PhaseMachine.decide(job(null, null, 1, null)))
        .isInstanceOf(PhaseMachine.Create.class);
    assertThat(PhaseMachine.decide(job(Phase.Pending, null, 1, 1L)))
        .isInstanceOf(PhaseMachine.Create.class);
  }

  @Test
  void shouldLookUpByTagWhenSubmittingWithoutJobId() {
    assertThat(PhaseMachine.decide(job(Phase.Submitting, null, 1, 1L)))
        .isInstanceOf(PhaseMachine.FindOrCreate.class);
  }

  @Test
  void shouldHoldWhenSuspendedBeforeSubmission() {
    TuningJob j = job(null, null, 1, null);
    j.getSpec().setSuspend(true);
    assertThat(PhaseMachine.decide(j)).isInstanceOf(PhaseMachine.Hold.class);
  }

  @Test
  void shouldObserveExistingJobAndStopAtTerminalPhases() {
    assertThat(PhaseMachine.decide(job(Phase.Running, "ftjob-1", 1, 1L)))
        .isEqualTo(new PhaseMachine.Observe("ftjob-1", false));
    assertThat(PhaseMachine.decide(job(Phase.Succeeded, "ftjob-1", 1, 1L)))
        .isInstanceOf(PhaseMachine.Done.class);
    assertThat(PhaseMachine.decide(job(Phase.Cancelled, "ftjob-1", 2, 1L)))
        .isInstanceOf(PhaseMachine.Done.class);
  }

  @Test
  void shouldNotRetryRejectionUntilGenerationChanges() {
    assertThat(PhaseMachine.decide(job(Phase.Failed, null, 3, 3L)))
        .isInstanceOf(PhaseMachine.Done.class);
    assertThat(PhaseMachine.decide(job(Phase.Failed, null, 4, 3L)))
        .isInstanceOf(PhaseMachine.Create.class);
  }

  @Test
  void shouldAdoptByAnnotation() {
    TuningJob j = job(null, null, 1, null);
    j.getMetadata().setAnnotations(Map.of(TuningJob.JOB_ID_ANNOTATION, " ftjob-ext "));
    assertThat(PhaseMachine.decide(j)).isEqualTo(new PhaseMachine.Observe("ftjob-ext", true));
  }

  @ParameterizedTest
  @CsvSource({
    "QUEUED,Running,Queued",
    "RUNNING,Queued,Running",
    "PAUSED,Running,Suspended",
    "CANCELLING,Running,Cancelling",
    "SUCCEEDED,Running,Succeeded",
    "FAILED,Running,Failed",
    "CANCELLED,Cancelling,Cancelled",
    "UNKNOWN,Running,Running",
    "UNKNOWN,Submitting,Queued"
  })
  void shouldMapProviderStatesToPhases(ProviderJobState state, Phase previous, Phase expected) {
    assertThat(PhaseMachine.phaseOf(ProviderJob.builder("x", state).build(), previous))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "true,RUNNING,true,PAUSE",
    "true,QUEUED,true,NONE",
    "true,PAUSED,true,NONE",
    "true,RUNNING,false,NOT_SUPPORTED",
    "false,PAUSED,true,RESUME",
    "false,RUNNING,true,NONE",
    "true,SUCCEEDED,true,NONE",
    "true,CANCELLING,false,NONE"
  })
  void shouldDecideSuspendActions(
      boolean suspend,
      ProviderJobState state,
      boolean supportsPause,
      PhaseMachine.SuspendAction expected) {
    assertThat(PhaseMachine.suspendAction(suspend, state, supportsPause)).isEqualTo(expected);
  }

  /** An annotation added while Submitting must not skip the lookup of a create that may land. */
  @Test
  void shouldKeepLookingUpWhileSubmittingWhateverTheAnnotationSays() {
    TuningJob j = job(Phase.Submitting, null, 1, 1L);
    j.getMetadata().setAnnotations(java.util.Map.of(TuningJob.JOB_ID_ANNOTATION, "ftjob-other"));

    assertThat(PhaseMachine.decide(j)).isInstanceOf(PhaseMachine.FindOrCreate.class);
  }

  /**
   * Each decision reaches its own visitor method, and the visitor has one method per decision: a
   * new decision cannot fall through to another's handling (as the instanceof chain let it fall
   * through to a create).
   */
  @Test
  void shouldDispatchEveryDecisionToItsOwnVisitorMethod() throws Exception {
    Class<?>[] decisions = PhaseMachine.Decision.class.getPermittedSubclasses();
    assertThat(PhaseMachine.Decision.Visitor.class.getDeclaredMethods())
        .extracting(m -> m.getParameterTypes()[0])
        .containsExactlyInAnyOrder(decisions);
    for (Class<?> type : decisions) {
      var components = type.getRecordComponents();
      Object[] args =
          Arrays.stream(components)
              .map(c -> c.getType() == boolean.class ? (Object) false : "ftjob-1")
              .toArray();
      var decision =
          (PhaseMachine.Decision)
              type.getDeclaredConstructor(
                      Arrays.stream(components)
                          .map(RecordComponent::getType)
                          .toArray(Class<?>[]::new))
                  .newInstance(args);
      List<Class<?>> visited = new ArrayList<>();
      @SuppressWarnings("unchecked")
      PhaseMachine.Decision.Visitor<Object> visitor =
          (PhaseMachine.Decision.Visitor<Object>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {PhaseMachine.Decision.Visitor.class},
                  (proxy, method, arguments) -> {
                    visited.add(method.getParameterTypes()[0]);
                    return null;
                  });

      decision.accept(visitor);

      assertThat(visited).as(type.getSimpleName()).containsExactly(type);
    }
  }

  /** Cancel-before-create is the phase machine's alone, after a lookup too. */
  @Test
  void shouldDecideAfterAFruitlessLookupAsForAJobNeverSubmitted() {
    TuningJob plain = job(Phase.Submitting, null, 1, 1L);
    assertThat(PhaseMachine.afterLookup(plain)).isInstanceOf(PhaseMachine.Create.class);

    TuningJob suspended = job(Phase.Submitting, null, 1, 1L);
    suspended.getSpec().setSuspend(true);
    assertThat(PhaseMachine.afterLookup(suspended)).isInstanceOf(PhaseMachine.Hold.class);

    TuningJob annotated = job(Phase.Submitting, null, 1, 1L);
    annotated.getMetadata().setAnnotations(Map.of(TuningJob.JOB_ID_ANNOTATION, "ftjob-ext"));
    assertThat(PhaseMachine.afterLookup(annotated))
        .isInstanceOf(PhaseMachine.ReturnToPending.class);

    TuningJob cancelled = job(Phase.Submitting, null, 1, 1L);
    cancelled.getSpec().setSuspend(true);
    cancelled
        .getMetadata()
        .setAnnotations(
            Map.of(TuningJob.CANCEL_ANNOTATION, "true", TuningJob.JOB_ID_ANNOTATION, "ftjob-x"));
    assertThat(PhaseMachine.afterLookup(cancelled))
        .as("a cancel request wins over suspend and the annotation")
        .isInstanceOf(PhaseMachine.CancelUnsubmitted.class);
  }

  @Test
  void shouldCancelBeforeCreateWhateverElseHolds() {
    TuningJob pending = job(Phase.Pending, null, 1, 1L);
    pending.getSpec().setSuspend(true);
    pending.getMetadata().setAnnotations(Map.of(TuningJob.CANCEL_ANNOTATION, "true"));
    assertThat(PhaseMachine.decide(pending)).isInstanceOf(PhaseMachine.CancelUnsubmitted.class);

    TuningJob rejected = job(Phase.Failed, null, 3, 3L);
    rejected.getMetadata().setAnnotations(Map.of(TuningJob.CANCEL_ANNOTATION, "true"));
    assertThat(PhaseMachine.decide(rejected)).isInstanceOf(PhaseMachine.CancelUnsubmitted.class);

    TuningJob cancelled = job(Phase.Cancelled, null, 1, 1L);
    cancelled.getMetadata().setAnnotations(Map.of(TuningJob.CANCEL_ANNOTATION, "true"));
    assertThat(PhaseMachine.decide(cancelled)).isInstanceOf(PhaseMachine.Done.class);
  }
}
