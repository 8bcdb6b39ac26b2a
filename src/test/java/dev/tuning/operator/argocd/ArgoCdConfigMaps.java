package dev.tuning.operator.argocd;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/** Argo CD's argocd-cm as an Argo CD install leaves it, for the argocd-config tests. */
public final class ArgoCdConfigMaps {

  /** Settings an Argo CD install keeps in argocd-cm: nothing we do may touch them. */
  public static final Map<String, String> ARGO_SETTINGS =
      Map.of(
          "url", "https://argocd.example.com",
          "resource.customizations.health.apps_Deployment", "hs = {status = 'Healthy'}\nreturn hs",
          "timeout.reconciliation", "180s");

  /** The field manager of the simulated Argo CD install. */
  public static final String ARGO_INSTALL = "argocd-install";

  private ArgoCdConfigMaps() {}

  /** Applies argocd-cm with {@code data} as Argo CD's install would (its manager, its labels). */
  public static void argoInstall(KubernetesClient client, String ns, Map<String, String> data) {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("argocd-cm")
                .withNamespace(ns)
                .addToLabels("app.kubernetes.io/part-of", "argocd")
                .endMetadata()
                .withData(data)
                .build())
        .fieldManager(ARGO_INSTALL)
        .forceConflicts()
        .serverSideApply();
  }

  public static ConfigMap argocdCm(KubernetesClient client, String ns) {
    return client.configMaps().inNamespace(ns).withName("argocd-cm").get();
  }

  /** {@code settings} plus the TuningJob customizations. */
  public static Map<String, String> withTuningJobKeys(Map<String, String> settings) {
    Map<String, String> all = new TreeMap<>(settings);
    all.putAll(ArgoCdCustomizations.data());
    return all;
  }
}
