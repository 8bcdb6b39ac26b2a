/** Metrics about jobs, and the one small HTTP server for /metrics, /healthz and /readyz. */
package dev.tuning.operator.observability;
