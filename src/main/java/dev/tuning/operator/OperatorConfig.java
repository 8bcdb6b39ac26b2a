package dev.tuning.operator;

import dev.tuning.operator.config.Env;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.reconciler.RequeuePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's own configuration, read once from environment variables (documented in README.md
 * and the chart's values). Each provider reads its own variables ({@code Providers}); the core
 * names none of them. Secret-bearing variables are never echoed.
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Optional<String> labelSelector,
    RequeuePolicy.Intervals intervals,
    Duration cancelTimeout,
    Duration syncHeartbeat,
    Duration progressEvery,
    int httpPort,
    boolean leaderElection,
    String leaseName,
    Optional<String> leaseNamespace,
    boolean defaultCredentials,
    AllowList defaultCredentialNamespaces,
    int reconcileThreads,
    Map<String, Double> providerRateLimits,
    HttpClients.Timeouts httpTimeouts) {

  public static final String WATCH_NAMESPACES = "WATCH_NAMESPACES";
  public static final String LABEL_SELECTOR = "LABEL_SELECTOR";
  public static final String POLL_SUBMITTING = "POLL_SUBMITTING";
  public static final String POLL_QUEUED = "POLL_QUEUED";
  public static final String POLL_RUNNING = "POLL_RUNNING";
  public static final String POLL_CANCELLING = "POLL_CANCELLING";
  public static final String RETRY_BASE = "RETRY_BASE";
  public static final String RETRY_MAX = "RETRY_MAX";
  public static final String CANCEL_TIMEOUT = "CANCEL_TIMEOUT";
  public static final String SUBMIT_SETTLE = "SUBMIT_SETTLE";
  public static final String NOT_FOUND_GRACE = "NOT_FOUND_GRACE";
  public static final String SYNC_HEARTBEAT = "SYNC_HEARTBEAT";
  public static final String POLL_PROGRESS = "POLL_PROGRESS";
  public static final String HTTP_PORT = "HTTP_PORT";
  public static final String LEADER_ELECTION = "LEADER_ELECTION";
  public static final String LEASE_NAME = "LEASE_NAME";
  public static final String LEASE_NAMESPACE = "LEASE_NAMESPACE";
  public static final String DEFAULT_CREDENTIALS = "DEFAULT_CREDENTIALS";
  public static final String DEFAULT_CREDENTIALS_NAMESPACES = "DEFAULT_CREDENTIALS_NAMESPACES";
  public static final String RECONCILE_THREADS = "RECONCILE_THREADS";

  /**
   * Reconciles at once. A reconcile mostly waits (API-server writes, provider calls up to the HTTP
   * timeouts), so threads are cheap and ten were the limit: ten slow provider calls stalled every
   * other job, and 20,000 first writes of 10,000 held jobs went through ten at a time. Provider
   * calls stay within the rate budget whatever the thread count.
   */
  static final int DEFAULT_RECONCILE_THREADS = 50;

  public static final String PROVIDER_RATE_LIMITS = "PROVIDER_RATE_LIMITS";

  /**
   * Calls per second per credential scope by default: OpenAI's fine-tuning endpoints share an
   * organization's request limits, which depend on its tier (5/s is far below every tier's); Vertex
   * AI allows 600 resource-management requests a minute per project and region (10/s); Bedrock
   * publishes no request rate for its customization API, so 2/s stays below AWS's usual
   * control-plane rates. Any other provider: 2/s.
   */
  private static final String DEFAULT_PROVIDER_RATE_LIMITS = "openai=5,vertex=10,bedrock=2";

  public static final String HTTP_CONNECT_TIMEOUT = "HTTP_CONNECT_TIMEOUT";
  public static final String HTTP_READ_TIMEOUT = "HTTP_READ_TIMEOUT";
  public static final String HTTP_CALL_TIMEOUT = "HTTP_CALL_TIMEOUT";

  public static OperatorConfig fromEnv(Map<String, String> env) {
    OperatorConfig config = read(env);
    if (config.intervals().submitSettle().compareTo(config.cancelTimeout()) > 0) {
      // Deletion waits out the settle window to cancel a late job; it must fit the deadline.
      throw new IllegalArgumentException(
          SUBMIT_SETTLE
              + " ("
              + config.intervals().submitSettle()
              + ") must not exceed "
              + CANCEL_TIMEOUT
              + " ("
              + config.cancelTimeout()
              + ")");
    }
    return config;
  }

  private static OperatorConfig read(Map<String, String> variables) {
    Env env = new Env(variables);
    var defaults = RequeuePolicy.Intervals.defaults();
    var intervals =
        new RequeuePolicy.Intervals(
            env.duration(POLL_SUBMITTING, defaults.submitting()),
            env.duration(POLL_QUEUED, defaults.queued()),
            env.duration(POLL_RUNNING, defaults.running()),
            env.duration(POLL_CANCELLING, defaults.cancelling()),
            env.duration(RETRY_BASE, defaults.backoffBase()),
            env.duration(RETRY_MAX, defaults.backoffMax()),
            defaults.authenticationRetry(),
            defaults.quotaRetry(),
            env.duration(SUBMIT_SETTLE, defaults.submitSettle()),
            env.duration(NOT_FOUND_GRACE, defaults.notFoundGrace()),
            env.duration(HTTP_CALL_TIMEOUT, defaults.callTimeout()),
            defaults.jitter());
    return new OperatorConfig(
        Set.copyOf(env.list(WATCH_NAMESPACES)),
        env.get(LABEL_SELECTOR),
        intervals,
        env.duration(CANCEL_TIMEOUT, Duration.ofMinutes(10)),
        env.duration(SYNC_HEARTBEAT, Duration.ofMinutes(5)),
        env.duration(POLL_PROGRESS, Duration.ofMinutes(30)),
        env.integer(HTTP_PORT, 8080),
        // On by default in every install path: a rolling update never runs two reconcilers.
        env.bool(LEADER_ELECTION, true),
        env.get(LEASE_NAME, "tuning-operator-lock"),
        env.get(LEASE_NAMESPACE).or(() -> env.get("POD_NAMESPACE")),
        // Off by default: operator-wide credentials are the operator's identity (docs/design.md
        // section 5).
        env.bool(DEFAULT_CREDENTIALS, false),
        env.allowList(DEFAULT_CREDENTIALS_NAMESPACES),
        env.integer(RECONCILE_THREADS, DEFAULT_RECONCILE_THREADS),
        rateLimits(
            env.list(PROVIDER_RATE_LIMITS, List.of(DEFAULT_PROVIDER_RATE_LIMITS.split(",")))),
        timeouts(env, intervals.submitSettle()));
  }

  /**
   * Provider HTTP timeouts. The settle window is counted from a create attempt's start, so it must
   * outlast the whole call plus a margin (a quarter of the call timeout, at least a second) in
   * which a create the client gave up on may still land at the provider.
   */
  private static HttpClients.Timeouts timeouts(Env env, Duration submitSettle) {
    var defaults = HttpClients.Timeouts.defaults();
    var t =
        new HttpClients.Timeouts(
            env.duration(HTTP_CONNECT_TIMEOUT, defaults.connect()),
            env.duration(HTTP_READ_TIMEOUT, defaults.read()),
            env.duration(HTTP_CALL_TIMEOUT, defaults.call()));
    if (t.read().compareTo(t.call()) > 0 || t.connect().compareTo(t.call()) > 0) {
      throw new IllegalArgumentException(
          HTTP_CALL_TIMEOUT
              + " must be at least "
              + HTTP_READ_TIMEOUT
              + " and "
              + HTTP_CONNECT_TIMEOUT);
    }
    Duration margin = t.call().dividedBy(4);
    Duration minimum =
        t.call().plus(margin.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : margin);
    if (submitSettle.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          SUBMIT_SETTLE
              + " ("
              + submitSettle
              + ") must be at least "
              + minimum
              + ", the "
              + HTTP_CALL_TIMEOUT
              + " plus a quarter: a create that timed out may still land at the provider that late");
    }
    return t;
  }

  /** {@code provider=callsPerSecond} pairs. */
  private static Map<String, Double> rateLimits(List<String> pairs) {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      try {
        double rate = Double.parseDouble(pair.substring(eq + 1).trim());
        if (eq < 1 || !(rate > 0)) {
          throw new NumberFormatException();
        }
        out.put(pair.substring(0, eq).trim(), rate);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            PROVIDER_RATE_LIMITS + ": expected provider=callsPerSecond pairs, e.g. openai=5");
      }
    }
    return Map.copyOf(out);
  }

  /**
   * Durations in Go syntax ("15s", "10m", "1h", "500ms", "1h30m", "1.5s") or ISO-8601 ("PT15S");
   * never negative.
   */
  static Duration parseDuration(String value) {
    return dev.tuning.operator.text.DurationSyntax.parse(value);
  }

  @Override
  public String toString() {
    return "OperatorConfig[watchNamespaces="
        + (watchNamespaces.isEmpty() ? "all" : watchNamespaces)
        + ", labelSelector="
        + labelSelector.orElse("none")
        + ", intervals="
        + intervals
        + ", cancelTimeout="
        + cancelTimeout
        + ", httpTimeouts="
        + httpTimeouts
        + ", httpPort="
        + httpPort
        + ", leaderElection="
        + leaderElection
        + ", defaultCredentials="
        + defaultCredentials
        + (defaultCredentials ? " for namespaces " + defaultCredentialNamespaces : "")
        + "]";
  }
}
