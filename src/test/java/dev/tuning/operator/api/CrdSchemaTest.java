package dev.tuning.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every field has a description, so {@code kubectl explain tj.spec...} always says something. */
class CrdSchemaTest {

  @Test
  void everySpecAndStatusFieldHasADescription() throws Exception {
    JSONSchemaProps root =
        CrdDriftTest.canonical().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    List<String> missing = new ArrayList<>();
    walk("spec", root.getProperties().get("spec"), missing);
    walk("status", root.getProperties().get("status"), missing);
    assertThat(missing).isEmpty();
  }

  @Test
  void statusIsASubresourceAndTheShortNameIsTj() throws Exception {
    var crd = CrdDriftTest.canonical();
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("tj");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }

  private static void walk(String path, JSONSchemaProps schema, List<String> missing) {
    if (schema.getProperties() == null) {
      if (schema.getItems() != null && schema.getItems().getSchema() != null) {
        walk(path + "[]", schema.getItems().getSchema(), missing);
      }
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> e : schema.getProperties().entrySet()) {
      String p = path + "." + e.getKey();
      if (e.getValue().getDescription() == null || e.getValue().getDescription().isBlank()) {
        missing.add(p);
      }
      walk(p, e.getValue(), missing);
    }
  }
}
