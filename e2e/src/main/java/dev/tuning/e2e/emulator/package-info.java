/**
 * Stateful provider emulators for end-to-end tests, the local demo and benchmarks: a fake OpenAI
 * fine-tuning API ({@link dev.tuning.e2e.emulator.OpenAiEmulator}), a fake Vertex AI tuningJobs API
 * with Google token endpoints ({@link dev.tuning.e2e.emulator.VertexEmulator}) and a fake Amazon
 * Bedrock model customization API for the AWS SDK ({@link
 * dev.tuning.e2e.emulator.BedrockEmulator}), all on loopback only.
 *
 * <p>Jobs move through their provider's real state sequence, computed lazily on every read from an
 * injectable {@link java.time.Clock} ({@link dev.tuning.e2e.emulator.MutableClock} in tests).
 * Faults ({@link dev.tuning.e2e.emulator.Faults}) and request recording ({@link
 * dev.tuning.e2e.emulator.RequestLog}) are reachable from Java and, for an emulator in another
 * process, from the admin endpoints under {@code /_emulator/}.
 */
package dev.tuning.e2e.emulator;
