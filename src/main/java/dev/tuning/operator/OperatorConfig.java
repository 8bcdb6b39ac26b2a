package dev.tuning.operator;

import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.provider.AllowList;
import dev.tuning.operator.provider.openai.OpenAiProvider;
import dev.tuning.operator.reconciler.RequeuePolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read once from environment variables (documented in README.md and
 * the chart's values). Secret-bearing variables are never echoed.
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Optional<String> labelSelector,
    RequeuePolicy.Intervals intervals,
    Duration cancelTimeout,
    Duration syncHeartbeat,
    int httpPort,
    boolean leaderElection,
    String leaseName,
    Optional<String> leaseNamespace,
    boolean defaultCredentials,
    AllowList defaultCredentialNamespaces,
    Optional<String> openAiApiKey,
    String openAiBaseUrl,
    List<String> openAiEndpointAllowList,
    AllowList openAiDefaultOrganizations,
    AllowList openAiDefaultProjects,
    Optional<String> vertexEndpoint,
    AllowList vertexDefaultProjects,
    AllowList vertexDefaultServiceAccounts,
    boolean googleExternalAccountSecrets,
    List<String> googleExternalAccountUrlHosts,
    int reconcileThreads,
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
  public static final String HTTP_PORT = "HTTP_PORT";
  public static final String LEADER_ELECTION = "LEADER_ELECTION";
  public static final String LEASE_NAME = "LEASE_NAME";
  public static final String LEASE_NAMESPACE = "LEASE_NAMESPACE";
  public static final String DEFAULT_CREDENTIALS = "DEFAULT_CREDENTIALS";
  public static final String DEFAULT_CREDENTIALS_NAMESPACES = "DEFAULT_CREDENTIALS_NAMESPACES";
  public static final String OPENAI_DEFAULT_ORGANIZATIONS = "OPENAI_DEFAULT_ORGANIZATIONS";
  public static final String OPENAI_DEFAULT_PROJECTS = "OPENAI_DEFAULT_PROJECTS";
  public static final String VERTEX_DEFAULT_PROJECTS = "VERTEX_DEFAULT_PROJECTS";
  public static final String VERTEX_DEFAULT_SERVICE_ACCOUNTS = "VERTEX_DEFAULT_SERVICE_ACCOUNTS";
  public static final String GOOGLE_EXTERNAL_ACCOUNT_SECRETS = "GOOGLE_EXTERNAL_ACCOUNT_SECRETS";
  public static final String GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS =
      "GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS";
  public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
  public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
  public static final String OPENAI_ENDPOINT_ALLOWLIST = "OPENAI_ENDPOINT_ALLOWLIST";
  public static final String VERTEX_ENDPOINT = "VERTEX_ENDPOINT";
  public static final String RECONCILE_THREADS = "RECONCILE_THREADS";
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

  private static OperatorConfig read(Map<String, String> env) {
    Function<String, Optional<String>> get =
        k -> Optional.ofNullable(env.get(k)).map(String::trim).filter(v -> !v.isEmpty());
    var defaults = RequeuePolicy.Intervals.defaults();
    var intervals =
        new RequeuePolicy.Intervals(
            duration(get, POLL_SUBMITTING, defaults.submitting()),
            duration(get, POLL_QUEUED, defaults.queued()),
            duration(get, POLL_RUNNING, defaults.running()),
            duration(get, POLL_CANCELLING, defaults.cancelling()),
            duration(get, RETRY_BASE, defaults.backoffBase()),
            duration(get, RETRY_MAX, defaults.backoffMax()),
            defaults.authenticationRetry(),
            defaults.quotaRetry(),
            duration(get, SUBMIT_SETTLE, defaults.submitSettle()),
            duration(get, NOT_FOUND_GRACE, defaults.notFoundGrace()),
            duration(get, HTTP_CALL_TIMEOUT, defaults.callTimeout()),
            defaults.jitter());
    return new OperatorConfig(
        list(get.apply(WATCH_NAMESPACES)).stream().collect(Collectors.toUnmodifiableSet()),
        get.apply(LABEL_SELECTOR),
        intervals,
        duration(get, CANCEL_TIMEOUT, Duration.ofMinutes(10)),
        duration(get, SYNC_HEARTBEAT, Duration.ofMinutes(5)),
        Integer.parseInt(get.apply(HTTP_PORT).orElse("8080")),
        // On by default in every install path: a rolling update never runs two reconcilers.
        bool(get, LEADER_ELECTION, true),
        get.apply(LEASE_NAME).orElse("tuning-operator-lock"),
        get.apply(LEASE_NAMESPACE).or(() -> get.apply("POD_NAMESPACE")),
        // Off by default: operator-wide credentials are the operator's identity (DESIGN.md 5).
        bool(get, DEFAULT_CREDENTIALS, false),
        allowList(get, DEFAULT_CREDENTIALS_NAMESPACES),
        get.apply(OPENAI_API_KEY),
        get.apply(OPENAI_BASE_URL).orElse("https://api.openai.com/v1"),
        get.apply(OPENAI_ENDPOINT_ALLOWLIST)
            .map(v -> list(Optional.of(v)))
            .orElse(OpenAiProvider.Settings.DEFAULT_ALLOWED_HOSTS),
        allowList(get, OPENAI_DEFAULT_ORGANIZATIONS),
        allowList(get, OPENAI_DEFAULT_PROJECTS),
        get.apply(VERTEX_ENDPOINT),
        allowList(get, VERTEX_DEFAULT_PROJECTS),
        allowList(get, VERTEX_DEFAULT_SERVICE_ACCOUNTS),
        bool(get, GOOGLE_EXTERNAL_ACCOUNT_SECRETS, false),
        list(get.apply(GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS)),
        Integer.parseInt(get.apply(RECONCILE_THREADS).orElse("10")),
        timeouts(get, intervals.submitSettle()));
  }

  /**
   * Provider HTTP timeouts. The settle window is counted from a create attempt's start, so it must
   * outlast the whole call plus a margin (a quarter of the call timeout, at least a second) in
   * which a create the client gave up on may still land at the provider.
   */
  private static HttpClients.Timeouts timeouts(
      Function<String, Optional<String>> get, Duration submitSettle) {
    var defaults = HttpClients.Timeouts.defaults();
    var t =
        new HttpClients.Timeouts(
            duration(get, HTTP_CONNECT_TIMEOUT, defaults.connect()),
            duration(get, HTTP_READ_TIMEOUT, defaults.read()),
            duration(get, HTTP_CALL_TIMEOUT, defaults.call()));
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

  /**
   * Durations in Go syntax ("15s", "10m", "1h", "500ms", "1h30m", "1.5s") or ISO-8601 ("PT15S");
   * never negative.
   */
  static Duration parseDuration(String value) {
    return dev.tuning.operator.text.DurationSyntax.parse(value);
  }

  private static Duration duration(
      Function<String, Optional<String>> get, String key, Duration fallback) {
    try {
      return get.apply(key).map(OperatorConfig::parseDuration).orElse(fallback);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static boolean bool(
      Function<String, Optional<String>> get, String key, boolean fallback) {
    Optional<String> v = get.apply(key);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + ": expected true or false");
    };
  }

  private static AllowList allowList(Function<String, Optional<String>> get, String key) {
    return new AllowList(list(get.apply(key)));
  }

  private static List<String> list(Optional<String> value) {
    return value
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
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
        + ", openAiApiKey="
        + (openAiApiKey.isPresent() ? "set" : "unset")
        + ", openAiBaseUrl="
        + openAiBaseUrl
        + ", openAiEndpointAllowList="
        + openAiEndpointAllowList
        + ", vertexEndpoint="
        + vertexEndpoint.orElse("regional default")
        + ", googleExternalAccountSecrets="
        + googleExternalAccountSecrets
        + "]";
  }
}
