package dev.tuning.operator.argocd;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Argo CD resource customizations for TuningJob: the {@code data} keys of {@code
 * config/argocd/argocd-cm.yaml} (health check, actions, diff and refresh settings), packaged into
 * the jar by the build so the operator image can install them.
 */
public final class ArgoCdCustomizations {

  /** Classpath location; the build copies config/argocd/argocd-cm.yaml here. */
  static final String RESOURCE = "/dev/tuning/operator/argocd/argocd-cm.yaml";

  /** Every key this operator owns in argocd-cm ends with this suffix (Argo's group_Kind form). */
  public static final String KEY_SUFFIX = ".tuning.dev_TuningJob";

  private ArgoCdCustomizations() {}

  /** The keys and values to merge into argocd-cm, sorted by key. */
  public static SortedMap<String, String> data() {
    try (InputStream in = ArgoCdCustomizations.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      ConfigMap cm = Serialization.unmarshal(in, ConfigMap.class);
      Map<String, String> data = cm.getData();
      if (data == null || data.isEmpty()) {
        throw new IllegalStateException(RESOURCE + " has no data");
      }
      for (String key : data.keySet()) {
        if (!key.startsWith("resource.customizations.") || !key.endsWith(KEY_SUFFIX)) {
          throw new IllegalStateException(
              RESOURCE + " holds " + key + ", not a TuningJob resource customization");
        }
      }
      return new TreeMap<>(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
