/**
 * The {@code TuningJob} custom resource model, group {@code tuning.dev}, version {@code v1alpha1}.
 *
 * <p>Plain data classes without logic. The CRD YAML under {@code crds/} is generated from these
 * classes, so every field carries a description (shown by {@code kubectl explain}) and the
 * validation the API server enforces (OpenAPI types, bounds, patterns and CEL rules).
 */
package dev.tuning.operator.api.v1alpha1;
