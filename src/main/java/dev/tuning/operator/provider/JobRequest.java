package dev.tuning.operator.provider;

/**
 * A provider's own typed view of one TuningJob, built by {@link TuningProvider#prepare} from the
 * spec: the provider reads its block of the spec once, there, and every later call works on this
 * record instead of the CRD classes. Implementations are immutable records in the provider's
 * package.
 */
public interface JobRequest {}
