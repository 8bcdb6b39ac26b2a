package dev.tuning.operator.argocd;

import static dev.tuning.operator.argocd.ArgoFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.reconciler.PhaseMachine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.LuaValue;

/**
 * config/argocd/actions: discovery.lua (which actions the UI offers in each state) and each
 * action.lua (the object Argo CD patches the live resource to), run as Argo CD runs them.
 */
class ArgoActionsTest {

  static final String DISCOVERY = ArgoLua.read(ArgoLua.DISCOVERY);

  record Case(String name, TuningJob job, Set<String> enabled) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> discoveryCases() {
    return Stream.of(
        new Case("new, no status", fresh(), Set.of("suspend", "cancel")),
        new Case("Pending", pending(), Set.of("suspend", "cancel")),
        new Case("Held before submission", held(), Set.of("resume", "cancel")),
        new Case("Submitting", submitting(), Set.of("suspend", "cancel")),
        new Case("Queued", queued(), Set.of("suspend", "cancel")),
        new Case("Running (openai)", running(), Set.of("suspend", "cancel")),
        new Case("Running (vertex cannot pause)", runningVertex(), Set.of("cancel")),
        new Case(
            "Running (vertex, suspend set but ignored)",
            runningVertexSuspendIgnored(),
            Set.of("resume", "cancel")),
        new Case("Suspended", paused(), Set.of("resume", "cancel")),
        new Case(
            "Suspended, resume applied, operator not caught up",
            lagging(with(paused(), j -> j.getSpec().setSuspend(false))),
            Set.of("resume", "cancel")),
        new Case(
            "Running, suspend applied, operator not caught up",
            lagging(with(running(), j -> j.getSpec().setSuspend(true))),
            Set.of("resume", "cancel")),
        new Case(
            "Running, cancel requested",
            annotated(running(), "tuning.dev/cancel-requested", "true"),
            Set.of()),
        new Case("Cancelling", cancelling(), Set.of()),
        new Case("Succeeded", succeeded(), Set.of()),
        new Case("Failed", failed(), Set.of()),
        new Case("Failed (rejected)", rejected(), Set.of()),
        new Case("Cancelled", cancelled(), Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("discoveryCases")
  void discoveryEnablesActionsByState(Case c) {
    Map<String, Boolean> disabled = discover(toMap(c.job()));

    assertThat(disabled).containsOnlyKeys(ArgoLua.ACTIONS);
    Set<String> enabled =
        disabled.entrySet().stream()
            .filter(e -> !e.getValue())
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(enabled).isEqualTo(new TreeSet<>(c.enabled()));
  }

  @Test
  void suspendSetsSpecSuspendAndChangesNothingElse() {
    Map<String, Object> before = toMap(running());
    Map<String, Object> after = runAction("suspend", before);

    Map<String, Object> expected = toMap(running());
    spec(expected).put("suspend", true);
    assertThat(after).isEqualTo(roundTrip(expected));
    assertThat(PhaseMachine.suspended(fromMap(after))).isTrue();
  }

  @Test
  void suspendHoldsAJobNotYetSubmitted() {
    Map<String, Object> after = runAction("suspend", toMap(fresh()));

    assertThat(spec(after)).containsEntry("suspend", true);
    assertThat(after).doesNotContainKey("status");
  }

  @Test
  void resumeClearsSpecSuspendAndChangesNothingElse() {
    Map<String, Object> after = runAction("resume", toMap(paused()));

    Map<String, Object> expected = toMap(paused());
    spec(expected).put("suspend", false);
    assertThat(after).isEqualTo(roundTrip(expected));
    assertThat(PhaseMachine.suspended(fromMap(after))).isFalse();
  }

  @Test
  void cancelAddsTheAnnotationTheOperatorReads() {
    Map<String, Object> before = toMap(running());
    assertThat(metadata(before)).doesNotContainKey("annotations");

    Map<String, Object> after = runAction("cancel", before);

    Map<String, Object> expected = toMap(running());
    metadata(expected).put("annotations", Map.of("tuning.dev/cancel-requested", "true"));
    assertThat(after).isEqualTo(roundTrip(expected));
    assertThat(PhaseMachine.cancelRequested(fromMap(after))).isTrue();
  }

  @Test
  void cancelKeepsOtherAnnotations() {
    TuningJob job = annotated(running(), "tuning.dev/job-id", JOB);
    annotated(job, "team", "search");

    Map<String, Object> after = runAction("cancel", toMap(job));

    assertThat(metadata(after).get("annotations"))
        .isEqualTo(
            Map.of(
                "tuning.dev/job-id", JOB,
                "team", "search",
                "tuning.dev/cancel-requested", "true"));
    assertThat(PhaseMachine.cancelRequested(fromMap(after))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"suspend", "resume", "cancel"})
  void actionsReturnTheObjectNotAList(String action) {
    // Argo treats a returned JSON array as the new-style list of impacted resources; these are
    // old-style actions that return the patched object.
    LuaValue result = ArgoLua.run(ArgoLua.read(ArgoLua.action(action)), action, toMap(running()));
    assertThat(result.istable()).isTrue();
    assertThat(result.length()).isZero();
    assertThat(result.get("kind").tojstring()).isEqualTo("TuningJob");
    assertThat(result.get("status").get("phase").tojstring()).isEqualTo("Running");
  }

  @ParameterizedTest
  @ValueSource(strings = {"suspend", "resume", "cancel"})
  void actionsAreIdempotent(String action) {
    Map<String, Object> once = runAction(action, toMap(running()));
    Map<String, Object> twice = runAction(action, once);
    assertThat(twice).isEqualTo(once);
  }

  @Test
  void scriptsUseNoClosedLibraryOrLua52Feature() {
    ArgoScripts.assertPortable("discovery.lua", DISCOVERY);
    for (String action : ArgoLua.ACTIONS) {
      ArgoScripts.assertPortable(action + "/action.lua", ArgoLua.read(ArgoLua.action(action)));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Boolean> discover(Map<String, Object> obj) {
    LuaValue result = ArgoLua.run(DISCOVERY, "discovery.lua", obj);
    Map<String, Object> actions = (Map<String, Object>) ArgoLua.toJava(result);
    Map<String, Boolean> disabled = new LinkedHashMap<>();
    actions.forEach(
        (name, value) -> {
          assertThat(value).as(name).isInstanceOf(Map.class);
          Object flag = ((Map<String, Object>) value).get("disabled");
          assertThat(flag)
              .as("%s.disabled must be a boolean for Argo", name)
              .isInstanceOf(Boolean.class);
          disabled.put(name, (Boolean) flag);
        });
    return disabled;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> runAction(String action, Map<String, Object> obj) {
    LuaValue result =
        ArgoLua.run(ArgoLua.read(ArgoLua.action(action)), action + "/action.lua", obj);
    return (Map<String, Object>) ArgoLua.toJava(result);
  }

  /** Through Lua and back without a script: the shape the action results are compared in. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> roundTrip(Map<String, Object> obj) {
    return (Map<String, Object>) ArgoLua.toJava(ArgoLua.toLua(obj));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(Map<String, Object> obj) {
    return (Map<String, Object>) obj.get("spec");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metadata(Map<String, Object> obj) {
    return (Map<String, Object>) obj.get("metadata");
  }
}
