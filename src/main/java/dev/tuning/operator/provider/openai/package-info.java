/**
 * The OpenAI fine-tuning provider (also Azure OpenAI's v1 API): {@link
 * dev.tuning.operator.provider.openai.OpenAiProvider} implements the provider SPI on top of {@code
 * OpenAiClient} (HTTP against {@code /fine_tuning/jobs}), {@code OpenAiMapper} (spec to request
 * JSON, job JSON to {@link dev.tuning.operator.provider.ProviderJob}), {@code OpenAiErrors} (HTTP
 * status, error codes and rate-limit headers to an {@link dev.tuning.operator.provider.ErrorKind})
 * and {@code OpenAiEndpoints} (which base URL and which key a request may use).
 *
 * <p>The API key is added to each request and nowhere else: it is never held by an interceptor,
 * logged, or copied into an exception message.
 */
package dev.tuning.operator.provider.openai;
