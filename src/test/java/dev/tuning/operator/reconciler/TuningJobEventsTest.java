package dev.tuning.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TuningJobEventsTest {

  /** A DNS-1123 subdomain, the format of Event names. */
  private static final String SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  @Test
  void shouldKeepEventNamesOfTheLongestResourceNamesWithinTheLimit() {
    String longest = "a".repeat(250) + ".b-c";
    String suffix = "18d0c4a2f3b" + "1f";

    String name = TuningJobEvents.eventName(longest, suffix);

    assertThat(name).hasSizeLessThanOrEqualTo(253).endsWith("." + suffix).matches(SUBDOMAIN);
  }

  @Test
  void shouldNeverLeaveADotOrDashBeforeTheSuffix() {
    // The cut (253 - 1 - 5 = 247 characters) falls right after ".-".
    String name = TuningJobEvents.eventName("x".repeat(245) + ".-" + "y".repeat(6), "abc12");

    assertThat(name).isEqualTo("x".repeat(245) + ".abc12").matches(SUBDOMAIN);
  }

  @Test
  void shouldKeepShortNamesWhole() {
    assertThat(TuningJobEvents.eventName("support-bot", "1f")).isEqualTo("support-bot.1f");
  }
}
