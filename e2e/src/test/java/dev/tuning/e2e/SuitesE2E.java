package dev.tuning.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Short runs of the crash, fault and API-server suites inside {@code mvn -B verify}; the full-size
 * runs are {@code e2e/bin/crash-suite.sh}, {@code e2e/bin/fault-suite.sh} and {@code
 * e2e/bin/apiserver-suite.sh} (figures in CONTRIBUTING.md).
 */
class SuitesE2E {

  @Test
  void crashSuiteWithTwentyKillPointsHasNoDuplicateAndNoLostJob() throws Exception {
    SuiteSupport.Result result = CrashSuite.run(20, 3L, System.out);

    assertThat(result.duplicates()).isZero();
    assertThat(result.lost()).isZero();
    assertThat(result.failed()).isZero();
    assertThat(result.jobs()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void faultSuiteWithFortyJobsEndsEveryJobTruly() throws Exception {
    SuiteSupport.Result result = FaultSuite.run(40, 5L, System.out);

    assertThat(result.duplicates()).isZero();
    assertThat(result.lost()).isZero();
    assertThat(result.failed()).isZero();
    assertThat(result.jobs()).isEqualTo(40);
  }

  @Test
  void apiServerSuiteWithATwentySecondOutageLosesNothing() throws Exception {
    SuiteSupport.Result result = ApiServerSuite.run(12, Duration.ofSeconds(20), System.out);

    assertThat(result.duplicates()).isZero();
    assertThat(result.lost()).isZero();
    assertThat(result.failed()).isZero();
  }
}
