package dev.tuning.operator.provider.vertex;

import dev.tuning.operator.api.v1alpha1.Hyperparameters;
import dev.tuning.operator.api.v1alpha1.TuningMethod;
import dev.tuning.operator.provider.CommonSpec;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobContext;
import dev.tuning.operator.provider.ProviderException;
import dev.tuning.operator.provider.ProviderJob;
import dev.tuning.operator.provider.ProviderJobState;
import dev.tuning.operator.provider.TuningProvider;
import dev.tuning.operator.provider.vertex.VertexDtos.DatasetCounts;
import dev.tuning.operator.provider.vertex.VertexDtos.EncryptionSpec;
import dev.tuning.operator.provider.vertex.VertexDtos.HyperParameters;
import dev.tuning.operator.provider.vertex.VertexDtos.TuningJob;
import dev.tuning.operator.provider.vertex.VertexDtos.TuningSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a {@link VertexRequest} to the create body and a returned {@code TuningJob} to a {@link
 * ProviderJob}. Pure: no I/O, no clock.
 *
 * <p>State mapping: QUEUED/PENDING → QUEUED; RUNNING/UPDATING → RUNNING; CANCELLING, PAUSED,
 * SUCCEEDED, FAILED, CANCELLED as named; EXPIRED → FAILED; PARTIALLY_SUCCEEDED → FAILED (terminal;
 * the tuned model, if any, is still reported, but a job with missing results is not a success a
 * pipeline should build on); UNSPECIFIED or unknown → UNKNOWN. The raw value is always kept.
 */
final class VertexMapper {

  static final String STATE_PREFIX = "JOB_STATE_";
  static final int MAX_LABELS = VertexLabels.MAX_LABELS;

  private static final Map<Integer, String> ADAPTER_SIZES =
      Map.of(
          1, "ADAPTER_SIZE_ONE",
          2, "ADAPTER_SIZE_TWO",
          4, "ADAPTER_SIZE_FOUR",
          8, "ADAPTER_SIZE_EIGHT",
          16, "ADAPTER_SIZE_SIXTEEN",
          32, "ADAPTER_SIZE_THIRTY_TWO");

  /** The create body; every spec problem is a PERMANENT error raised before any HTTP call. */
  TuningJob toCreateRequest(JobContext ctx) throws ProviderException {
    VertexRequest vertex = ctx.request(VertexRequest.class);
    CommonSpec spec = vertex.job();
    TuningMethod method = spec.method();
    if (method == TuningMethod.REINFORCEMENT) {
      throw invalid(
          "spec.method: reinforcement tuning is not available on Vertex AI v1; use supervised or"
              + " preference");
    }
    if (spec.seed() != null) {
      throw invalid("spec.seed is not supported by Vertex AI");
    }
    TuningSpec tuning =
        new TuningSpec(
            spec.trainingData(),
            spec.validationData(),
            hyperParameters(spec.hyperparameters(), method),
            vertex.exportLastCheckpointOnly());
    boolean preference = method == TuningMethod.PREFERENCE;
    String kms = vertex.kmsKeyName();
    return TuningJob.forCreate(
        spec.baseModel(),
        spec.tunedModelName(),
        spec.description(),
        preference ? null : tuning,
        preference ? tuning : null,
        labels(spec.labels(), ctx.resourceUid()),
        kms == null ? null : new EncryptionSpec(kms),
        vertex.serviceAccount());
  }

  private static HyperParameters hyperParameters(Hyperparameters hp, TuningMethod method)
      throws ProviderException {
    if (hp == null) {
      return null;
    }
    if (hp.getBatchSize() != null) {
      throw invalid("spec.hyperparameters.batchSize is not supported by Vertex AI");
    }
    if (hp.getBeta() != null && method != TuningMethod.PREFERENCE) {
      throw invalid("spec.hyperparameters.beta is only allowed when method is preference");
    }
    String adapter = null;
    if (hp.getAdapterSize() != null) {
      adapter = ADAPTER_SIZES.get(hp.getAdapterSize());
      if (adapter == null) {
        throw invalid("spec.hyperparameters.adapterSize must be one of 1, 2, 4, 8, 16 or 32");
      }
    }
    if (hp.getEpochs() == null
        && hp.getLearningRateMultiplier() == null
        && adapter == null
        && hp.getBeta() == null) {
      return null;
    }
    return new HyperParameters(
        hp.getEpochs() == null ? null : Long.toString(hp.getEpochs()),
        hp.getLearningRateMultiplier(),
        adapter,
        hp.getBeta());
  }

  private static Map<String, String> labels(Map<String, String> user, String uid)
      throws ProviderException {
    Map<String, String> labels = new LinkedHashMap<>();
    if (user != null) {
      if (user.size() >= MAX_LABELS) {
        throw invalid(
            "spec.labels: at most "
                + (MAX_LABELS - 1)
                + " labels (Vertex AI allows "
                + MAX_LABELS
                + " and the operator uses one)");
      }
      for (Map.Entry<String, String> e : user.entrySet()) {
        String key = e.getKey();
        if (TuningProvider.TAG_KEY.equals(key)) {
          throw invalid("spec.labels: the key " + key + " is reserved for the operator");
        }
        if (!VertexLabels.isValidKey(key)) {
          throw invalid(
              "spec.labels: key '"
                  + key
                  + "' is not a valid Vertex AI label key ("
                  + VertexLabels.RULE
                  + ")");
        }
        String value = e.getValue() == null ? "" : e.getValue();
        if (!VertexLabels.isValidValue(value)) {
          throw invalid(
              "spec.labels: the value of '"
                  + key
                  + "' is not a valid Vertex AI label value ("
                  + VertexLabels.RULE
                  + ")");
        }
        labels.put(key, value);
      }
    }
    if (!VertexLabels.isValidValue(uid)) {
      throw invalid("the resource UID is not usable as a Vertex AI label value");
    }
    labels.put(TuningProvider.TAG_KEY, uid);
    return labels;
  }

  /** The normalized view of a returned job. The caller guarantees {@code name} is set. */
  ProviderJob toProviderJob(TuningJob job) {
    String raw = job.state();
    ProviderJobState state = state(raw);
    ProviderJob.Failure failure = failure(job);
    if (failure == null && state == ProviderJobState.FAILED) {
      failure = synthesizedFailure(raw);
    }
    return ProviderJob.builder(job.name(), state)
        .rawState(raw)
        .createTime(instant(job.createTime()))
        .startTime(instant(job.startTime()))
        .endTime(instant(job.endTime()))
        .updateTime(instant(job.updateTime()))
        .tunedModel(job.tunedModel() == null ? null : job.tunedModel().model())
        .tunedModelEndpoint(job.tunedModel() == null ? null : job.tunedModel().endpoint())
        .dataStats(dataStats(job))
        .error(failure)
        .hyperparameters(resolvedHyperparameters(job))
        .tags(job.labels())
        .experiment(job.experiment())
        .build();
  }

  static ProviderJobState state(String raw) {
    if (raw == null) {
      return ProviderJobState.UNKNOWN;
    }
    return switch (bare(raw)) {
      case "QUEUED", "PENDING" -> ProviderJobState.QUEUED;
      case "RUNNING", "UPDATING" -> ProviderJobState.RUNNING;
      case "CANCELLING" -> ProviderJobState.CANCELLING;
      case "PAUSED" -> ProviderJobState.PAUSED;
      case "SUCCEEDED" -> ProviderJobState.SUCCEEDED;
      case "FAILED", "EXPIRED", "PARTIALLY_SUCCEEDED" -> ProviderJobState.FAILED;
      case "CANCELLED" -> ProviderJobState.CANCELLED;
      default -> ProviderJobState.UNKNOWN;
    };
  }

  private static ProviderJob.Failure failure(TuningJob job) {
    if (job.error() == null) {
      return null;
    }
    Integer code = job.error().code();
    String message = dev.tuning.operator.text.SafeText.sanitize(job.error().message());
    if (code == null && (message == null || message.isBlank())) {
      return null;
    }
    return new ProviderJob.Failure(code == null ? null : code.toString(), message, null);
  }

  private static ProviderJob.Failure synthesizedFailure(String raw) {
    return switch (bare(raw)) {
      case "EXPIRED" ->
          new ProviderJob.Failure("EXPIRED", "the tuning job expired before it finished", null);
      case "PARTIALLY_SUCCEEDED" ->
          new ProviderJob.Failure(
              "PARTIALLY_SUCCEEDED",
              "the tuning job partially succeeded: some of its results are missing",
              null);
      default -> null;
    };
  }

  private static String bare(String raw) {
    return raw.startsWith(STATE_PREFIX) ? raw.substring(STATE_PREFIX.length()) : raw;
  }

  private static ProviderJob.DataStats dataStats(TuningJob job) {
    if (job.tuningDataStats() == null) {
      return null;
    }
    DatasetCounts c = job.tuningDataStats().supervisedTuningDataStats();
    if (c == null) {
      c = job.tuningDataStats().preferenceOptimizationDataStats();
    }
    if (c == null
        || (c.tuningDatasetExampleCount() == null
            && c.totalBillableTokenCount() == null
            && c.tuningStepCount() == null)) {
      return null;
    }
    return new ProviderJob.DataStats(
        c.tuningDatasetExampleCount(), c.totalBillableTokenCount(), c.tuningStepCount());
  }

  /** The hyperparameters the service resolved, under the CRD's names (epochs, adapterSize, …). */
  private static Map<String, String> resolvedHyperparameters(TuningJob job) {
    TuningSpec spec =
        job.supervisedTuningSpec() != null
            ? job.supervisedTuningSpec()
            : job.preferenceOptimizationSpec();
    Map<String, String> out = new LinkedHashMap<>();
    if (spec == null || spec.hyperParameters() == null) {
      return out;
    }
    HyperParameters hp = spec.hyperParameters();
    if (hp.epochCount() != null) {
      out.put("epochs", hp.epochCount());
    }
    if (hp.learningRateMultiplier() != null) {
      out.put("learningRateMultiplier", plain(hp.learningRateMultiplier()));
    }
    if (hp.adapterSize() != null) {
      out.put("adapterSize", adapterSize(hp.adapterSize()));
    }
    if (hp.beta() != null) {
      out.put("beta", plain(hp.beta()));
    }
    return out;
  }

  private static String adapterSize(String wire) {
    return ADAPTER_SIZES.entrySet().stream()
        .filter(e -> e.getValue().equals(wire))
        .map(e -> e.getKey().toString())
        .findFirst()
        .orElse(wire);
  }

  private static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** RFC 3339 with 0-9 fractional digits and Z or an offset; unparseable values become null. */
  static Instant instant(String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static ProviderException invalid(String message) {
    return new ProviderException(ErrorKind.PERMANENT, message);
  }
}
