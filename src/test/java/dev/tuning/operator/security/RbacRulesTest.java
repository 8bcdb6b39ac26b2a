package dev.tuning.operator.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.operator.it.OperatorRbac;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * config/rbac grants exactly {@link OperatorRbac#OPERATOR_RULES} and the Lease rules: nothing the
 * operator does not use. The chart's rules equal these (HelmChartTest, ChartKustomizeParityIT);
 * RbacIT proves on a real API server that they are enough.
 */
class RbacRulesTest {

  static final Path ROLE = Path.of("config", "rbac", "role.yaml");
  static final Path LEADER_ELECTION_ROLE = Path.of("config", "rbac", "leader_election_role.yaml");

  @Test
  void shouldGrantExactlyTheRequestsTheOperatorMakes() throws IOException {
    assertThat(OperatorRbac.flatten(OperatorRbac.rulesOf(ROLE)))
        .isEqualTo(new TreeSet<>(OperatorRbac.OPERATOR_RULES));
    assertThat(OperatorRbac.flatten(OperatorRbac.rulesOf(LEADER_ELECTION_ROLE)))
        .isEqualTo(new TreeSet<>(OperatorRbac.LEADER_ELECTION_RULES));
  }

  @Test
  void shouldNotGrantTheVerbsTheOperatorNeverUses() throws IOException {
    Set<String> granted = OperatorRbac.flatten(OperatorRbac.rulesOf(ROLE));
    granted.addAll(OperatorRbac.flatten(OperatorRbac.rulesOf(LEADER_ELECTION_ROLE)));
    for (var never : OperatorRbac.NEVER.entrySet()) {
      assertThat(granted)
          .as("%s is not needed: %s", never.getKey(), never.getValue())
          .doesNotContain(never.getKey());
    }
    assertThat(granted).as("no wildcards").noneMatch(rule -> rule.contains("*"));
    assertThat(OperatorRbac.NEVER.keySet())
        .as("a verb is either needed or never granted")
        .doesNotContainAnyElementsOf(OperatorRbac.OPERATOR_RULES);
  }
}
