package dev.tuning.operator.argocd;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * {@code tuning-operator argocd-config apply|remove|print}: merges the TuningJob health check and
 * actions into Argo CD's {@code argocd-cm}, or takes them out again, without touching any other
 * key. The Helm chart runs it as a hook Job with the operator's own image ({@code argocd.enabled}).
 *
 * <p>It uses server-side apply with its own field manager, so it owns exactly its keys: Argo's
 * other settings, and whoever manages them (Argo's install, its Helm chart, kubectl), are left
 * alone, and {@code remove} deletes only the keys this manager still owns. It never creates
 * argocd-cm: a missing ConfigMap means Argo CD is not installed where we were told to look.
 */
public final class ArgoCdConfigCommand {

  public static final String NAME = "argocd-config";

  /** The default field manager; the chart passes one per release, so releases co-own keys. */
  public static final String FIELD_MANAGER = "tuning-operator-argocd";

  static final String DEFAULT_NAMESPACE = "argocd";
  static final String DEFAULT_CONFIG_MAP = "argocd-cm";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  static final String USAGE =
      """
      usage: tuning-operator argocd-config apply|remove|print [--namespace NS] [--config-map NAME]
                                             [--field-manager NAME] [--best-effort]
        apply   merge the TuningJob health check and actions into Argo CD's ConfigMap
        remove  delete the keys apply added (keys also managed by someone else stay)
        print   write the ConfigMap patch to standard output, e.g. for
                kubectl -n argocd patch configmap argocd-cm --type merge --patch-file /dev/stdin
        --namespace      Argo CD's namespace (default argocd)
        --config-map     Argo CD's main ConfigMap (default argocd-cm)
        --field-manager  server-side apply field manager (default tuning-operator-argocd)
        --best-effort    remove only: report a failure but exit 0, so an uninstall never waits
                         on Argo CD""";

  /** What to do. */
  public enum Action {
    APPLY,
    REMOVE,
    PRINT
  }

  /** Parsed command line. */
  public record Options(
      Action action, String namespace, String configMap, String fieldManager, boolean bestEffort) {

    public Options(Action action, String namespace, String configMap) {
      this(action, namespace, configMap, FIELD_MANAGER, false);
    }

    /** Parses the arguments after {@code argocd-config}; invalid ones give a clear message. */
    public static Options parse(List<String> args) {
      if (args.isEmpty()) {
        throw new IllegalArgumentException("missing action: apply, remove or print");
      }
      Action action =
          switch (args.get(0)) {
            case "apply" -> Action.APPLY;
            case "remove" -> Action.REMOVE;
            case "print" -> Action.PRINT;
            default ->
                throw new IllegalArgumentException(
                    "unknown action '" + args.get(0) + "': expected apply, remove or print");
          };
      String namespace = DEFAULT_NAMESPACE;
      String configMap = DEFAULT_CONFIG_MAP;
      String fieldManager = FIELD_MANAGER;
      boolean bestEffort = false;
      for (int i = 1; i < args.size(); i++) {
        String flag = args.get(i);
        if (flag.equals("--best-effort")) {
          bestEffort = true;
          continue;
        }
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("missing value after " + flag);
        }
        String value = args.get(++i);
        switch (flag) {
          case "--namespace" -> namespace = value;
          case "--config-map" -> configMap = value;
          case "--field-manager" -> fieldManager = value;
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (!DNS_LABEL.matcher(namespace).matches()) {
        throw new IllegalArgumentException(
            "--namespace '" + namespace + "' is not a valid namespace name");
      }
      if (configMap.length() > 253 || !DNS_SUBDOMAIN.matcher(configMap).matches()) {
        throw new IllegalArgumentException(
            "--config-map '" + configMap + "' is not a valid ConfigMap name");
      }
      if (fieldManager.isEmpty()
          || fieldManager.length() > 128
          || !fieldManager.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "--field-manager must be 1 to 128 printable characters without spaces");
      }
      if (bestEffort && action != Action.REMOVE) {
        throw new IllegalArgumentException("--best-effort applies to remove only");
      }
      return new Options(action, namespace, configMap, fieldManager, bestEffort);
    }
  }

  private final PrintStream out;
  private final PrintStream err;

  public ArgoCdConfigCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Entry point from {@code OperatorMain}: returns the process exit code. */
  public static int main(List<String> args) {
    var command = new ArgoCdConfigCommand(System.out, System.err);
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(NAME + ": " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    if (options.action() == Action.PRINT) {
      return command.print(options);
    }
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      return command.run(client, options);
    }
  }

  /** Runs apply or remove against the cluster; returns the exit code. */
  public int run(KubernetesClient client, Options options) {
    String where = options.namespace() + "/" + options.configMap();
    try {
      return switch (options.action()) {
        case APPLY -> apply(client, options, where);
        case REMOVE -> remove(client, options, where);
        case PRINT -> print(options);
      };
    } catch (KubernetesClientException e) {
      err.println(NAME + ": " + describe(e, where));
      if (options.bestEffort()) {
        err.println(
            NAME
                + ": --best-effort: carrying on. The TuningJob keys may still be in "
                + where
                + "; remove them later with `argocd-config remove --namespace "
                + options.namespace()
                + " --config-map "
                + options.configMap()
                + " --field-manager "
                + options.fieldManager()
                + "` or kubectl.");
        return 0;
      }
      return 1;
    }
  }

  private int apply(KubernetesClient client, Options options, String where) {
    SortedMap<String, String> wanted = ArgoCdCustomizations.data();
    ConfigMap live = configMap(client, options).get();
    if (live == null) {
      err.println(
          NAME
              + ": ConfigMap "
              + where
              + " not found. Install Argo CD in this cluster first, or point --namespace and"
              + " --config-map (chart values argocd.namespace, argocd.configMap) at it.");
      return 1;
    }
    Map<String, String> current = live.getData() == null ? Map.of() : live.getData();
    List<String> added = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    wanted.forEach(
        (key, value) -> {
          if (!current.containsKey(key)) {
            added.add(key);
          } else if (!value.equals(current.get(key))) {
            updated.add(key);
          }
        });
    // Forced: the keys are ours, whoever changed them since. The chart's hook Role has no
    // "create", so even if argocd-cm vanished since the read above, this cannot create it there.
    client
        .configMaps()
        .inNamespace(options.namespace())
        .resource(applyConfiguration(options, wanted))
        .fieldManager(options.fieldManager())
        .forceConflicts()
        .serverSideApply();
    out.printf(
        "%s: %s now holds the %d TuningJob keys (%d added, %d updated, %d unchanged); other keys"
            + " untouched%n",
        NAME,
        where,
        wanted.size(),
        added.size(),
        updated.size(),
        wanted.size() - added.size() - updated.size());
    added.forEach(k -> out.println("  added   " + k));
    updated.forEach(k -> out.println("  updated " + k));
    return 0;
  }

  private int remove(KubernetesClient client, Options options, String where) {
    ConfigMap live = configMap(client, options).get();
    if (live == null) {
      out.println(NAME + ": " + where + " not found; nothing to remove");
      return 0;
    }
    if (!managedBy(live, options.fieldManager())) {
      out.println(NAME + ": " + where + " holds no keys managed by " + options.fieldManager());
      return 0;
    }
    // Applying a configuration without data gives up every key this manager owns; the API server
    // deletes those that no other manager also owns.
    ConfigMap after;
    try {
      after =
          client
              .configMaps()
              .inNamespace(options.namespace())
              .resource(applyConfiguration(options, null))
              .fieldManager(options.fieldManager())
              .serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        out.println(NAME + ": " + where + " was deleted meanwhile; nothing to remove");
        return 0;
      }
      throw e;
    }
    Map<String, String> before = live.getData() == null ? Map.of() : live.getData();
    Map<String, String> left = after.getData() == null ? Map.of() : after.getData();
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String key : ArgoCdCustomizations.data().keySet()) {
      if (before.containsKey(key)) {
        (left.containsKey(key) ? kept : removed).add(key);
      }
    }
    out.printf("%s: removed %d TuningJob keys from %s%n", NAME, removed.size(), where);
    removed.forEach(k -> out.println("  removed " + k));
    kept.forEach(k -> out.println("  kept    " + k + " (also managed by someone else)"));
    return 0;
  }

  /** What this field manager wants in the ConfigMap: only these data keys (none: remove). */
  private static ConfigMap applyConfiguration(Options options, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(options.configMap())
        .withNamespace(options.namespace())
        .endMetadata()
        .withData(data)
        .build();
  }

  private int print(Options options) {
    try (InputStream in =
        ArgoCdCustomizations.class.getResourceAsStream(ArgoCdCustomizations.RESOURCE)) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (options.namespace().equals(DEFAULT_NAMESPACE)
          && options.configMap().equals(DEFAULT_CONFIG_MAP)) {
        out.print(yaml);
      } else {
        ConfigMap cm = Serialization.unmarshal(yaml, ConfigMap.class);
        cm.getMetadata().setNamespace(options.namespace());
        cm.getMetadata().setName(options.configMap());
        out.print(Serialization.asYaml(cm));
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Resource<ConfigMap> configMap(KubernetesClient client, Options options) {
    return client.configMaps().inNamespace(options.namespace()).withName(options.configMap());
  }

  private static boolean managedBy(ConfigMap live, String manager) {
    List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
    return entries != null && entries.stream().anyMatch(e -> manager.equals(e.getManager()));
  }

  /** A one-line explanation of an API error; the server's message names no credential. */
  static String describe(KubernetesClientException e, String where) {
    return switch (e.getCode()) {
      case 401 -> "unauthorized: the API server refused this process's credentials";
      case 403 ->
          "forbidden: reading and patching ConfigMap "
              + where
              + " needs get and patch on it (the chart's Argo CD hook Role grants exactly that)";
      default -> {
        String message =
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        yield (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "") + "on " + where + ": " + message;
      }
    };
  }
}
