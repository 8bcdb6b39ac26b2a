/**
 * The provider SPI: {@link dev.tuning.operator.provider.TuningProvider} and the normalized types
 * that cross it. One sub-package per provider; the reconciler never sees provider JSON and a
 * provider never touches Kubernetes objects or the Kubernetes client.
 */
package dev.tuning.operator.provider;
