/**
 * The provider SPI: {@link dev.tuning.operator.provider.TuningProvider} and the normalized types
 * that cross it. One sub-package per provider; the reconciler never sees provider JSON and a
 * provider never touches Kubernetes objects or the Kubernetes client.
 *
 * <p>What providers share lives here once: {@link dev.tuning.operator.provider.ProviderHttp} sends
 * requests and reads answers with bounds, each provider's {@code …Errors} class is an {@link
 * dev.tuning.operator.provider.ErrorClassifier}, and {@link
 * dev.tuning.operator.provider.ProviderJson} is the one Jackson configuration.
 */
package dev.tuning.operator.provider;
