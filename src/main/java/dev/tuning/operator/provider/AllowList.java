package dev.tuning.operator.provider;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An operator-configured list of names (namespaces, projects, organizations, service accounts) that
 * operator-wide credentials may serve. Empty allows nothing; the single entry {@code *} allows
 * everything (single-tenant clusters only, documented as such). Matching is exact.
 */
public record AllowList(List<String> names) {

  public static final String ANY = "*";

  public AllowList {
    names =
        names == null
            ? List.of()
            : names.stream()
                .filter(Objects::nonNull)
                .map(String::strip)
                .filter(n -> !n.isEmpty())
                .distinct()
                .toList();
  }

  public static AllowList none() {
    return new AllowList(List.of());
  }

  public static AllowList any() {
    return new AllowList(List.of(ANY));
  }

  public static AllowList of(Collection<String> names) {
    return new AllowList(List.copyOf(names));
  }

  public boolean allows(String name) {
    return name != null && (names.contains(ANY) || names.contains(name));
  }

  public boolean isEmpty() {
    return names.isEmpty();
  }

  @Override
  public String toString() {
    return names.isEmpty() ? "none" : names.toString();
  }
}
