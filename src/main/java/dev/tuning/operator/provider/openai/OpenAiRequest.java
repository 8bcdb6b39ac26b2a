package dev.tuning.operator.provider.openai;

import dev.tuning.operator.api.v1alpha1.OpenAiIntegration;
import dev.tuning.operator.api.v1alpha1.OpenAiReinforcement;
import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.provider.CommonSpec;
import dev.tuning.operator.provider.JobRequest;
import java.util.List;
import java.util.Objects;

/**
 * An OpenAI (or Azure OpenAI) job as this provider reads it from a TuningJob: the common spec and
 * {@code spec.openai}, read once by {@link OpenAiProvider#prepare}.
 *
 * @param flavor never null: {@link OpenAiSpec.Flavor#OPENAI} by default
 * @param endpoint the custom API base ({@code spec.openai.endpoint}), or null for the operator's
 * @param integrations never null
 * @param reinforcement the reinforcement settings, or null
 */
record OpenAiRequest(
    CommonSpec job,
    OpenAiSpec.Flavor flavor,
    String endpoint,
    String organization,
    String project,
    List<OpenAiIntegration> integrations,
    OpenAiReinforcement reinforcement)
    implements JobRequest {

  OpenAiRequest {
    Objects.requireNonNull(job, "job");
    flavor = Objects.requireNonNullElse(flavor, OpenAiSpec.Flavor.OPENAI);
    endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
    integrations = integrations == null ? List.of() : List.copyOf(integrations);
  }

  static OpenAiRequest of(TuningJobSpec spec) {
    OpenAiSpec openai = spec.getOpenai() == null ? new OpenAiSpec() : spec.getOpenai();
    return new OpenAiRequest(
        CommonSpec.of(spec),
        openai.getFlavor(),
        openai.getEndpoint(),
        openai.getOrganization(),
        openai.getProject(),
        openai.getIntegrations(),
        openai.getReinforcement());
  }
}
