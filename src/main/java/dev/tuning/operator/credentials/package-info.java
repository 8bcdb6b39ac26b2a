/**
 * Credentials for provider calls: Secrets read on demand by name in the TuningJob's own namespace
 * (never listed or watched), optional operator-wide defaults, and the last credential each resource
 * used, kept in memory so cleanup can still cancel after namespace deletion removed the Secret.
 */
package dev.tuning.operator.credentials;
