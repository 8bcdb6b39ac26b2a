package dev.tuning.operator.argocd;

import static dev.tuning.operator.argocd.ArgoFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobStatus;
import dev.tuning.operator.reconciler.Observed;
import dev.tuning.operator.reconciler.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * config/argocd/health.lua, run as Argo CD runs it (see {@link ArgoLua}), over every phase and the
 * Synced problems, with statuses written by the operator's own StatusFactory.
 */
class ArgoHealthTest {

  /** Argo's valid statuses; anything else becomes Unknown with "invalid health status". */
  static final Set<String> ARGO_STATUSES =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  static final String SCRIPT = ArgoLua.read(ArgoLua.HEALTH);

  record Case(String name, TuningJob job, String status, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static TuningJob syncFailure(TuningJob base, Phase phase, Reason reason, String message) {
    var status = base.getStatus();
    Observed o =
        Observed.of(
                phase,
                status.getJobId(),
                null,
                status.getJobId() == null ? null : Reason.JOB_CREATED)
            .withSyncFailure(reason, message);
    return observed(base, o);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "no status yet",
            fresh(),
            "Progressing",
            "Waiting for the operator to pick up the TuningJob"),
        new Case(
            "status without a phase",
            with(fresh(), j -> j.setStatus(new TuningJobStatus())),
            "Progressing",
            "Waiting for the operator to pick up the TuningJob"),
        new Case(
            "spec changed, operator behind",
            lagging(running()),
            "Progressing",
            "Waiting for the operator to observe generation 2 (status is for generation 1)"),
        new Case(
            "succeeded job whose deletionPolicy was just edited",
            lagging(succeeded()),
            "Progressing",
            "Waiting for the operator to observe generation 2 (status is for generation 1)"),
        new Case("Pending", pending(), "Progressing", "Pending: not submitted yet"),
        new Case(
            "Pending, Secret missing",
            syncFailure(
                pending(),
                Phase.Pending,
                Reason.CREDENTIALS_MISSING,
                "Secret ml/openai has no key apiKey"),
            "Progressing",
            "Pending: not submitted yet; Synced=False CredentialsMissing: Secret ml/openai has no"
                + " key apiKey"),
        new Case(
            "Pending, provider not enabled in the operator",
            syncFailure(
                pending(), Phase.Pending, Reason.INVALID_SPEC, "provider vertex is not enabled"),
            "Degraded",
            "Pending: not submitted yet; Synced=False InvalidSpec: provider vertex is not enabled"),
        new Case(
            "Held before submission",
            held(),
            "Suspended",
            "Held before submission (spec.suspend); clear it (resume action) to submit"),
        new Case("Submitting", submitting(), "Progressing", "Submitting to the provider"),
        new Case(
            "Submitting, rate limited",
            syncFailure(
                submitting(), Phase.Submitting, Reason.RATE_LIMITED, "429 Too Many Requests"),
            "Progressing",
            "Submitting to the provider; Synced=False RateLimited: 429 Too Many Requests"),
        new Case(
            "Queued",
            queued(),
            "Progressing",
            "Queued at the provider (provider state validating_files)"),
        new Case(
            "Running",
            running(),
            "Progressing",
            "Running (provider state running), estimated finish 2026-11-23T11:30:00Z"),
        new Case(
            "Running, provider unavailable",
            syncFailure(
                running(), Phase.Running, Reason.PROVIDER_UNAVAILABLE, "503 Service Unavailable"),
            "Progressing",
            "Running (provider state running), estimated finish 2026-11-23T11:30:00Z;"
                + " Synced=False ProviderUnavailable: 503 Service Unavailable"),
        new Case(
            "Running, quota exceeded",
            syncFailure(running(), Phase.Running, Reason.QUOTA_EXCEEDED, "quota exceeded"),
            "Progressing",
            "Running (provider state running), estimated finish 2026-11-23T11:30:00Z;"
                + " Synced=False QuotaExceeded: quota exceeded"),
        new Case(
            "Running, reconcile error",
            syncFailure(running(), Phase.Running, Reason.RECONCILE_ERROR, "conflict"),
            "Progressing",
            "Running (provider state running), estimated finish 2026-11-23T11:30:00Z;"
                + " Synced=False ReconcileError: conflict"),
        new Case(
            "Running, key refused",
            syncFailure(
                running(), Phase.Running, Reason.AUTHENTICATION_FAILED, "401 Incorrect API key"),
            "Degraded",
            "Running (provider state running), estimated finish 2026-11-23T11:30:00Z;"
                + " Synced=False AuthenticationFailed: 401 Incorrect API key"),
        new Case(
            "Running, cancel requested by annotation",
            annotated(running(), "tuning.dev/cancel-requested", "true"),
            "Progressing",
            "Running (provider state running), estimated finish 2026-11-23T11:30:00Z; cancel"
                + " requested"),
        new Case(
            "Running on Vertex with spec.suspend (cannot pause)",
            runningVertexSuspendIgnored(),
            "Progressing",
            "Running (provider state JOB_STATE_RUNNING); spec.suspend has no effect: the provider"
                + " cannot pause a running job"),
        new Case(
            "Suspended (paused)",
            paused(),
            "Suspended",
            "Paused (provider state paused); clear spec.suspend (resume action) to continue"),
        new Case(
            "Suspended, then cancel requested",
            annotated(paused(), "tuning.dev/cancel-requested", "true"),
            "Progressing",
            "Paused (provider state paused); clear spec.suspend (resume action) to continue;"
                + " cancel requested"),
        new Case(
            "Cancelling",
            cancelling(),
            "Progressing",
            "Cancelling the provider job (provider state cancelling)"),
        new Case(
            "Succeeded",
            succeeded(),
            "Healthy",
            "Tuned model ft:gpt-4.1-mini-2025-04-14:acme:support-bot:9xYz"),
        new Case(
            "Succeeded on Vertex",
            succeededVertex(),
            "Healthy",
            "Tuned model projects/p/locations/us-central1/models/77 served at"
                + " projects/p/locations/us-central1/endpoints/88"),
        new Case(
            "Failed",
            failed(),
            "Degraded",
            "The job failed: Training file has 3 malformed lines (code invalid_training_file)"),
        new Case(
            "Failed: rejected at create",
            rejected(),
            "Degraded",
            "The provider rejected the job: Model gpt-x is not available for fine-tuning (code"
                + " invalid_request_error); fix the spec and the operator submits it again"),
        new Case(
            "Failed: provider lost the job",
            jobNotFound(),
            "Degraded",
            "Provider job ftjob-abc123 not found: 404 No such job (code NotFound)"),
        new Case(
            "Cancelled",
            cancelled(),
            "Degraded",
            "Cancelled (provider state cancelled); a cancelled job cannot resume: create a new"
                + " TuningJob (new name) to tune again"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mapsTheStatusToArgoHealth(Case c) {
    Map<String, Object> health = health(toMap(c.job()));

    assertThat(health).containsOnlyKeys("status", "message");
    assertThat(health.get("status")).isIn(ARGO_STATUSES).isEqualTo(c.status());
    assertThat(health.get("message")).isEqualTo(c.message());
  }

  @Test
  void coversEveryPhaseAndEverySyncedFailureReasonTheOperatorWrites() {
    List<Case> all = cases().toList();
    assertThat(all).hasSizeGreaterThanOrEqualTo(15);
    assertThat(all)
        .extracting(c -> c.job().getStatus() == null ? null : c.job().getStatus().getPhase())
        .containsAll(List.of(Phase.values()));
    assertThat(
            all.stream()
                .filter(c -> c.job().getStatus() != null)
                .flatMap(c -> c.job().getStatus().getConditions().stream())
                .filter(cond -> cond.getType().equals("Synced") && cond.getStatus().equals("False"))
                .map(cond -> cond.getReason()))
        .contains(
            Reason.CREDENTIALS_MISSING.value(),
            Reason.RATE_LIMITED.value(),
            Reason.QUOTA_EXCEEDED.value(),
            Reason.PROVIDER_UNAVAILABLE.value(),
            Reason.AUTHENTICATION_FAILED.value(),
            Reason.PROVIDER_REJECTED.value(),
            Reason.INVALID_SPEC.value(),
            Reason.RECONCILE_ERROR.value());
  }

  @Test
  void anUnknownPhaseIsUnknownNotAnError() {
    Map<String, Object> obj = toMap(running());
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) obj.get("status");
    status.put("phase", "Exploded");

    assertThat(health(obj))
        .containsEntry("status", "Unknown")
        .containsEntry("message", "Unrecognised phase Exploded");
  }

  @Test
  @SuppressWarnings("unchecked")
  void toleratesAHandWrittenStatusWithoutConditionsOrGeneration() {
    Map<String, Object> obj = toMap(fresh());
    ((Map<String, Object>) obj.get("metadata")).remove("generation");
    obj.put("status", Map.of("phase", "Running"));

    assertThat(health(obj))
        .containsEntry("status", "Progressing")
        .containsEntry("message", "Running");
  }

  @Test
  void aSyncedProblemWithoutAMessageStillNamesTheReason() {
    Map<String, Object> obj = toMap(fresh());
    obj.put(
        "status",
        Map.of(
            "phase",
            "Queued",
            "observedGeneration",
            1,
            "conditions",
            List.of(
                Map.of("type", "Synced", "status", "False", "reason", "AuthenticationFailed"))));

    assertThat(health(obj))
        .containsEntry("status", "Degraded")
        .containsEntry("message", "Queued at the provider; Synced=False AuthenticationFailed");
  }

  /**
   * Argo gives a health script one second. Tests never assert on wall time (a loaded machine would
   * fail it); the cost per call is printed as a figure instead.
   */
  @Test
  void reportsTheCostOfOneHealthCall() {
    Map<String, Object> obj = toMap(running());
    health(obj); // warm up the compiler
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertThat(health(obj)).containsEntry("status", "Progressing");
    }
    Duration each = Duration.ofNanos((System.nanoTime() - start) / 20);
    System.out.printf(
        "Argo health script: %d µs per call (Argo's limit: 1 s)%n", each.toNanos() / 1000);
  }

  @Test
  void theSandboxIsArgosNotFullLua() {
    // The harness must fail a script the way Argo would, or the other tests prove nothing.
    Map<String, Object> obj = toMap(running());
    for (String library : ArgoLua.CLOSED_LIBRARIES) {
      assertThat(ArgoLua.run("return " + library, "probe", obj).isnil()).as(library).isTrue();
    }
    assertThatThrownBy(() -> ArgoLua.run("return obj.kind:lower()", "probe", obj))
        .isInstanceOf(LuaError.class);
    assertThatThrownBy(() -> ArgoLua.run("return os.execute('true')", "probe", obj))
        .isInstanceOf(LuaError.class);
    assertThat(
            ArgoLua.run("return os.time() > 0 and require('os') == os", "probe", obj).toboolean())
        .isTrue();
    assertThat(ArgoLua.run("return obj.metadata.generation + 1", "probe", obj).toint())
        .isEqualTo(2);
    assertThat(ArgoLua.run("return #obj.status.conditions", "probe", obj).toint()).isEqualTo(6);
  }

  @Test
  void healthScriptUsesNoClosedLibraryOrLua52Feature() {
    ArgoScripts.assertPortable("health.lua", SCRIPT);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> health(Map<String, Object> obj) {
    LuaValue result = ArgoLua.run(SCRIPT, "health.lua", obj);
    assertThat(result.istable()).as("health.lua must return a table").isTrue();
    return (Map<String, Object>) ArgoLua.toJava(result);
  }
}
