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
import java.util.Map;

/** The one fixture builder for TuningJobs and their Secrets. */
public final class TuningJobs {

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

  /** A Bedrock job on Nova Micro in us-east-1, keys in the Secret {@code aws-ml}. */
  public static TuningJob bedrock(String namespace, String name) {
    TuningJobSpec spec = new TuningJobSpec();
    spec.setProvider(ProviderType.BEDROCK);
    spec.setBaseModel("amazon.nova-micro-v1:0:128k");
    spec.setTrainingData("s3://ml-tuning-data/support-bot/train.jsonl");
    BedrockSpec bedrock = new BedrockSpec();
    bedrock.setRegion("us-east-1");
    bedrock.setRoleArn("arn:aws:iam::123456789012:role/tuning/ml/BedrockCustomization");
    bedrock.setOutputDataUri("s3://ml-tuning-output/support-bot/");
    bedrock.setCredentialsSecretRef(new SecretKeyRef("aws-ml", null));
    spec.setBedrock(bedrock);
    return withSpec(namespace, name, spec);
  }

  /** The Secret of {@link #bedrock}: an access key id and secret access key. */
  public static Secret awsSecret(String namespace, String name, String keyId, String secret) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withData(
            Map.of(
                "accessKeyId", base64(keyId),
                "secretAccessKey", base64(secret)))
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
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

  public static TuningJob withSpec(String namespace, String name, TuningJobSpec spec) {
    TuningJob job = new TuningJob();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    job.setSpec(spec);
    return job;
  }

  public static Secret secret(String namespace, String name, String key, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withData(
            Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
        .build();
  }
}
