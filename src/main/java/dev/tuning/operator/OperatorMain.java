package dev.tuning.operator;

import dev.tuning.operator.argocd.ArgoCdConfigCommand;
import dev.tuning.operator.config.Env;
import dev.tuning.operator.credentials.CredentialDefaults;
import dev.tuning.operator.credentials.CredentialResolver;
import dev.tuning.operator.http.HttpClients;
import dev.tuning.operator.observability.HealthServer;
import dev.tuning.operator.observability.JobMetrics;
import dev.tuning.operator.provider.ProviderRegistry;
import dev.tuning.operator.provider.RateBudget;
import dev.tuning.operator.reconciler.RequeuePolicy;
import dev.tuning.operator.reconciler.TuningJobEvents;
import dev.tuning.operator.reconciler.TuningJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring only: reads {@link OperatorConfig} from the environment, builds the shared clients, the
 * providers and the reconciler, starts JOSDK (with leader election through a Lease when enabled)
 * and the health/metrics server, and stops gracefully on SIGTERM.
 */
public final class OperatorMain {

  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.exit(command(List.of(args)));
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("tuning-operator: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    log.info("Starting tuning-operator with {}", config);
    Clock clock = Clock.systemUTC();
    var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    KubernetesClient client = new KubernetesClientBuilder().build();
    OkHttpClient http = HttpClients.shared(meters, config.httpTimeouts());
    ProviderRegistry registry;
    try {
      registry =
          Providers.registry(
              new Env(System.getenv()),
              config.defaultCredentials(),
              http,
              new RateBudget(
                  config.providerRateLimits().entrySet().stream()
                      .collect(
                          java.util.stream.Collectors.toMap(
                              java.util.Map.Entry::getKey, e -> RateBudget.Rate.of(e.getValue()))),
                  RateBudget.Rate.of(2),
                  clock),
              clock);
    } catch (IllegalArgumentException e) {
      System.err.println("tuning-operator: invalid provider configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    var defaults = new CredentialDefaults(config.defaultCredentialNamespaces());
    if (config.defaultCredentials() && config.defaultCredentialNamespaces().isEmpty()) {
      log.warn(
          "DEFAULT_CREDENTIALS is true but DEFAULT_CREDENTIALS_NAMESPACES is empty: no namespace"
              + " may use the operator's default credentials");
    }
    String instance = hostname();
    var events = new TuningJobEvents(client, clock, instance);
    var reconciler =
        new TuningJobReconciler(
            registry,
            new CredentialResolver(client, defaults),
            new RequeuePolicy(config.intervals(), new SecureRandom()),
            events,
            new JobMetrics(meters),
            config.syncHeartbeat(),
            config.cancelTimeout(),
            config.progressEvery(),
            clock);

    AtomicBoolean leading = new AtomicBoolean(!config.leaderElection());
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  // Per-resource meters would grow /metrics with every TuningJob (about 20 KB
                  // each, 20 MB at 1,000 jobs in the benchmark): aggregate metrics only.
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.leaseNamespace().orElseGet(() -> leaseNamespace(client)),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        instance,
                        new LeaderCallbacks(
                            () -> leading.set(true),
                            () -> {
                              leading.set(false);
                              log.warn("Lost leadership; stopping so a standby can take over");
                              System.exit(1);
                            },
                            leader -> log.info("Leader is now {}", leader)),
                        true));
              }
            });
    operator.register(
        reconciler,
        c -> {
          if (!config.watchNamespaces().isEmpty()) {
            c.settingNamespaces(config.watchNamespaces());
          }
          config.labelSelector().ifPresent(c::withLabelSelector);
          reconciler.configure(c);
        });

    var health =
        new HealthServer(
                config.httpPort(),
                meters,
                () -> operator.getRuntimeInfo().isStarted(),
                () ->
                    operator.getRuntimeInfo().isStarted()
                        && (!leading.get()
                            || operator.getRuntimeInfo().allEventSourcesAreHealthy()))
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Shutting down");
                  try {
                    operator.stop();
                  } finally {
                    events.close(); // the Events queued, before the client closes
                    health.close();
                    http.dispatcher().executorService().shutdown();
                    http.connectionPool().evictAll();
                    client.close();
                    log.info("Stopped");
                    // Log4j's own shutdown hook is off (log4j2.xml) so these lines are not lost.
                    org.apache.logging.log4j.LogManager.shutdown();
                    stopped.countDown();
                  }
                },
                "shutdown"));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Without this the JVM would linger (health server, client threads) with a dead operator.
      log.error(
          "Could not start: {} (is the API server reachable, the TuningJob CRD installed and the"
              + " RBAC applied?)",
          rootCause(e));
      System.exit(1);
      return;
    }
    log.info("tuning-operator started; health and metrics on port {}", health.port());
    stopped.await();
  }

  /**
   * Commands other than running the operator: {@code argocd-config} (used by the Helm chart's Argo
   * CD hook Job). Returns the exit code.
   */
  static int command(List<String> args) {
    if (args.get(0).equals(ArgoCdConfigCommand.NAME)) {
      return ArgoCdConfigCommand.main(args.subList(1, args.size()));
    }
    System.err.println(
        "tuning-operator: unknown command '"
            + args.get(0)
            + "'. Run without arguments to start the operator, or: "
            + ArgoCdConfigCommand.NAME
            + " apply|remove|print");
    return 2;
  }

  /**
   * The causes' own messages, without the wrappers' repetitions, and the first real failure's type,
   * e.g. "Error starting operator: Couldn't start informer for tuningjobs... [ConnectException]".
   */
  static String rootCause(Throwable e) {
    List<String> messages = new ArrayList<>();
    String type = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null && (t.getCause() == null || !message.equals(t.getCause().toString()))) {
        messages.add(message);
      }
      if (type == null
          && !(t instanceof ExecutionException
              || t instanceof CompletionException
              || t instanceof OperatorException)) {
        type = t.getClass().getSimpleName();
      }
    }
    return String.join(": ", messages) + (type == null ? "" : " [" + type + "]");
  }

  /** Outside a pod: the kubeconfig context's namespace, else "default". */
  private static String leaseNamespace(KubernetesClient client) {
    String namespace = client.getNamespace();
    return namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  private static String hostname() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "tuning-operator";
    }
  }
}
