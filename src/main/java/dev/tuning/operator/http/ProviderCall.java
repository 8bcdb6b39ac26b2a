package dev.tuning.operator.http;

/**
 * Tag that providers put on each request ({@code Request.Builder.tag(ProviderCall.class, …)}) so
 * the shared interceptors can label metrics and logs by provider and operation.
 *
 * @param provider provider id, e.g. {@code openai}
 * @param operation operation name, e.g. {@code create}, {@code get}, {@code list}, {@code cancel}
 */
public record ProviderCall(String provider, String operation) {}
