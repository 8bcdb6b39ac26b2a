package dev.tuning.operator.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The providers the operator can use, by id. Adding a provider is one line in the wiring. */
public final class ProviderRegistry {

  private final Map<String, TuningProvider> providers = new LinkedHashMap<>();
  private final RateBudget budget;

  /** Providers called as they are (tests that do not exercise the rate budget). */
  public ProviderRegistry() {
    this(null);
  }

  /** Every provider registered here calls within {@code budget} ({@link BudgetedProvider}). */
  public ProviderRegistry(RateBudget budget) {
    this.budget = budget;
  }

  public ProviderRegistry register(TuningProvider provider) {
    if (budget != null) {
      provider = new BudgetedProvider(provider, budget);
    }
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
