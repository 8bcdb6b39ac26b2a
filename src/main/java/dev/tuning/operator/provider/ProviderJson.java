package dev.tuning.operator.provider;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The operator's one Jackson configuration for its own JSON: provider requests and responses,
 * Google credential documents, status copies and comparisons. Fabric8 keeps its own mapper for
 * Kubernetes objects.
 *
 * <p>Reading is lenient, because providers add fields and send nulls freely: unknown properties are
 * ignored and a null for a primitive reads as its default. Thread-safe; never reconfigure it (use
 * {@link ObjectMapper#copy()} or a reader/writer with other features).
 */
public final class ProviderJson {

  /** The shared, configured mapper. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private ProviderJson() {}
}
