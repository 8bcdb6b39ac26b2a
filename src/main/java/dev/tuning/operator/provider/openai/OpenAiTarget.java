package dev.tuning.operator.provider.openai;

import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import okhttp3.HttpUrl;

/**
 * Where and as whom one request goes: the API base URL, the header flavour, the key and the
 * optional organization and project. Built per call from the job's context; {@link #toString()}
 * never shows the key.
 */
record OpenAiTarget(
    HttpUrl baseUrl, OpenAiSpec.Flavor flavor, String apiKey, String organization, String project) {

  @Override
  public String toString() {
    return "OpenAiTarget[" + baseUrl.host() + ", " + flavor + ", key redacted]";
  }
}
