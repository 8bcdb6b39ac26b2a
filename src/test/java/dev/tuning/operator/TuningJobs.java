package dev.tuning.operator;

import dev.tuning.operator.api.v1alpha1.BedrockSpec;
import dev.tuning.operator.api.v1alpha1.OpenAiSpec;
import dev.tuning.operator.api.v1alpha1.ProviderType;
import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.api.v1alpha1.VertexSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one fixture builder for TuningJobs and their Secrets. */
public final class TuningJobs {

  /** AWS's documented example access key id: well-formed, never a real key. */
  public static final String AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

  /** AWS's documented example secret access key. */
  public static final String AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private TuningJobs() {}

  public static TuningJob openAi(String namespace, String name) {
    TuningJobSpec spec = new TuningJobSpec();
    spec.setProvider(ProviderType.OPENAI);
    spec.setBaseModel("gpt-4.1-mini-2025-04-14");
    spec.setTrainingData("file-train123");
    OpenAiSpec openai = new OpenAiSpec();
    openai.setApiKeySecretRef(new SecretKeyRef("openai", "apiKey"));
    spec.setOpenai(openai);
    return withSpec(namespace, name, spec);
  }

  public static TuningJob vertex(String namespace, String name) {
    TuningJobSpec spec = new TuningJobSpec();
    spec.setProvider(ProviderType.VERTEX);
    spec.setBaseModel("gemini-2.5-flash");
    spec.setTrainingData("gs://bucket/train.jsonl");
    VertexSpec vertex = new VertexSpec();
    vertex.setProject("my-project");
    vertex.setLocation("us-central1");
    vertex.setCredentialsSecretRef(new SecretKeyRef("gcp", "key.json"));
    spec.setVertex(vertex);
    return withSpec(namespace, name, spec);
  }

  /** Supervised fine-tuning of Nova Micro in us-east-1, keys from the Secret {@code aws-ml}. */
  public static TuningJob bedrock(String namespace, String name) {
    TuningJobSpec spec = new TuningJobSpec();
    spec.setProvider(ProviderType.BEDROCK);
    spec.setBaseModel("amazon.nova-micro-v1:0:128k");
    spec.setTrainingData("s3://ml-tuning-data/support-bot/train.jsonl");
    BedrockSpec bedrock = new BedrockSpec();
    bedrock.setRegion("us-east-1");
    bedrock.setRoleArn("arn:aws:iam::123456789012:role/BedrockCustomization-ml");
    bedrock.setOutputDataUri("s3://ml-tuning-output/support-bot/");
    bedrock.setCredentialsSecretRef(new SecretKeyRef("aws-ml", null));
    spec.setBedrock(bedrock);
    return withSpec(namespace, name, spec);
  }

  public static TuningJob withSpec(String namespace, String name, TuningJobSpec spec) {
    TuningJob job = new TuningJob();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    job.setSpec(spec);
    return job;
  }

  public static Secret secret(String namespace, String name, String key, String value) {
    return secret(namespace, name, Map.of(key, value));
  }

  /** A Bedrock job's Secret with these keys. */
  public static Secret awsSecret(String namespace, String name, String keyId, String secret) {
    return secret(namespace, name, Map.of("accessKeyId", keyId, "secretAccessKey", secret));
  }

  /** The Secret a Bedrock job names: {@code accessKeyId} and {@code secretAccessKey}. */
  public static Secret awsSecret(String namespace, String name) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("accessKeyId", AWS_ACCESS_KEY_ID);
    data.put("secretAccessKey", AWS_SECRET_ACCESS_KEY);
    return secret(namespace, name, data);
  }

  /** A Secret with these entries (values as text, stored base64-encoded). */
  public static Secret secret(String namespace, String name, Map<String, String> entries) {
    Map<String, String> data = new LinkedHashMap<>();
    entries.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withData(data)
        .build();
  }
}
