/**
 * The Google Vertex AI provider: {@link dev.tuning.operator.provider.vertex.VertexProvider} runs
 * {@code projects.locations.tuningJobs} (aiplatform v1) behind the provider SPI. {@code
 * VertexClient} does the HTTP (auth headers per request, one token refresh on 401), {@code
 * VertexMapper} turns the spec into the wire JSON and the wire JSON into a {@code ProviderJob},
 * {@code VertexErrors} classifies failures, and {@link
 * dev.tuning.operator.provider.vertex.GoogleCredentialsFactory} turns a {@code Credential} into
 * cached, self-refreshing Google credentials (ADC / Workload Identity, service-account keys,
 * workload identity federation).
 */
package dev.tuning.operator.provider.vertex;
