package dev.tuning.operator.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The providers the operator can use, by id. Adding a provider is one line in the wiring. */
public final class ProviderRegistry {

  private final Map<String, TuningProvider> providers = new LinkedHashMap<>();

  public ProviderRegistry register(TuningProvider provider) {
    if (providers.putIfAbsent(provider.id(), provider) != null) {
      throw new IllegalArgumentException("provider " + provider.id() + " registered twice");
    }
    return this;
  }

  public Optional<TuningProvider> find(String id) {
    return Optional.ofNullable(providers.get(id));
  }

  public Set<String> ids() {
    return Set.copyOf(providers.keySet());
  }
}
