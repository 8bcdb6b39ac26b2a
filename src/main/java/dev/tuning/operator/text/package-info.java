/**
 * Text the operator shows or reads, shared by every package: {@link
 * dev.tuning.operator.text.SafeText} makes provider and exception text safe for status, Events and
 * logs (secrets redacted, control characters removed, one length limit), and {@link
 * dev.tuning.operator.text.DurationSyntax} reads durations written in Go or ISO-8601 syntax.
 */
package dev.tuning.operator.text;
