/**
 * The one shared OkHttp client every provider uses: timeouts, connection pool, a metrics
 * interceptor by provider/operation/outcome, request logging that never prints headers, query
 * strings or bodies, and Retry-After parsing.
 */
package dev.tuning.operator.http;
