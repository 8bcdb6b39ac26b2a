package dev.tuning.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD on a real API server: samples accepted, invalid TuningJobs rejected with clear messages.
 */
class CrdValidationIT {

  static final String NS = "crd-validation";
  static KubernetesClient client;

  @BeforeAll
  static void setUp() {
    client = RealApiServer.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  static void tearDown() {
    client.close();
  }

  @Test
  void everySampleIsAccepted() throws IOException {
    List<Path> samples;
    try (Stream<Path> files = Files.list(Path.of("config", "samples"))) {
      samples =
          files
              .filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml"))
              .toList();
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(5);
    for (Path sample : samples) {
      var resource =
          client
              .getKubernetesSerialization()
              .unmarshal(Files.readString(sample), GenericKubernetesResource.class);
      resource.getMetadata().setNamespace(NS);
      assertThatCode(() -> jobs().resource(resource).create())
          .as(sample.toString())
          .doesNotThrowAnyException();
      jobs().resource(resource).delete();
    }
  }

  static Stream<Arguments> invalidJobs() {
    List<Arguments> cases = new ArrayList<>();
    Consumer<Object[]> add = a -> cases.add(Arguments.of(a));
    add.accept(
        c(
            "missing provider",
            openai(s -> s.remove("provider")),
            "spec.provider",
            "Required value"));
    add.accept(
        c(
            "missing baseModel",
            openai(s -> s.remove("baseModel")),
            "spec.baseModel",
            "Required value"));
    add.accept(
        c(
            "missing trainingData",
            openai(s -> s.remove("trainingData")),
            "spec.trainingData",
            "Required value"));
    add.accept(
        c(
            "unknown provider",
            openai(s -> s.put("provider", "anthropic")),
            "spec.provider",
            "Unsupported value"));
    add.accept(
        c(
            "unknown method",
            openai(s -> s.put("method", "rlhf")),
            "spec.method",
            "Unsupported value"));
    add.accept(
        c(
            "unknown deletionPolicy",
            openai(s -> s.put("deletionPolicy", "Delete")),
            "spec.deletionPolicy",
            "Unsupported value"));
    add.accept(
        c(
            "epochs 0",
            openai(s -> hp(s).put("epochs", 0)),
            "spec.hyperparameters.epochs",
            "greater than or equal to 1"));
    add.accept(
        c(
            "epochs 51",
            openai(s -> hp(s).put("epochs", 51)),
            "spec.hyperparameters.epochs",
            "less than or equal to 50"));
    add.accept(
        c(
            "learning rate 0",
            openai(s -> hp(s).put("learningRateMultiplier", 0)),
            "spec.hyperparameters.learningRateMultiplier",
            "greater than 0"));
    add.accept(
        c(
            "batchSize 300",
            openai(s -> hp(s).put("batchSize", 300)),
            "spec.hyperparameters.batchSize",
            "less than or equal to 256"));
    add.accept(
        c(
            "epochs as text",
            openai(s -> hp(s).put("epochs", "three")),
            "spec.hyperparameters.epochs",
            "must be of type integer"));
    add.accept(
        c(
            "adapterSize 3",
            vertex(s -> hp(s).put("adapterSize", 3)),
            "spec.hyperparameters.adapterSize",
            "adapterSize must be one of 1, 2, 4, 8, 16 or 32"));
    add.accept(
        c(
            "beta 3",
            openai(
                s -> {
                  s.put("method", "preference");
                  hp(s).put("beta", 3);
                }),
            "spec.hyperparameters.beta",
            "less than or equal to 2"));
    add.accept(
        c(
            "negative seed",
            openai(s -> s.put("seed", -1)),
            "spec.seed",
            "greater than or equal to 0"));
    add.accept(
        c(
            "openai without openai block",
            openai(s -> s.remove("openai")),
            "spec.openai",
            "spec.openai is required when provider is openai"));
    add.accept(
        c(
            "vertex without vertex block",
            vertex(s -> s.remove("vertex")),
            "spec.vertex",
            "spec.vertex is required when provider is vertex"));
    add.accept(
        c(
            "openai with vertex block",
            openai(
                s -> s.put("vertex", Map.of("project", "my-project", "location", "us-central1"))),
            "spec.vertex",
            "spec.vertex must not be set unless provider is vertex"));
    add.accept(
        c(
            "vertex with openai block",
            vertex(s -> s.put("openai", Map.of("organization", "org-1"))),
            "spec.openai",
            "spec.openai must not be set unless provider is openai"));
    add.accept(
        c(
            "bedrock without its block",
            bedrock(s -> s.remove("bedrock")),
            "spec.bedrock",
            "spec.bedrock is required when provider is bedrock"));
    add.accept(
        c(
            "openai with a bedrock block",
            openai(s -> s.put("bedrock", bedrockBlock())),
            "spec.bedrock",
            "spec.bedrock must not be set unless provider is bedrock"));
    add.accept(
        c(
            "bedrock gs:// training data",
            bedrock(s -> s.put("trainingData", "gs://b/train.jsonl")),
            "spec.trainingData",
            "must be an S3 URI"));
    add.accept(
        c(
            "bedrock region that forms a foreign host",
            bedrock(s -> bedrockOf(s).put("region", "evil.example")),
            "spec.bedrock.region",
            "should match"));
    add.accept(
        c(
            "bedrock role that is not an IAM role ARN",
            bedrock(s -> bedrockOf(s).put("roleArn", "arn:aws:iam::123456789012:user/x")),
            "spec.bedrock.roleArn",
            "should match"));
    add.accept(
        c(
            "bedrock output that is not S3",
            bedrock(s -> bedrockOf(s).put("outputDataUri", "https://example.com/out/")),
            "spec.bedrock.outputDataUri",
            "should match"));
    add.accept(
        c(
            "bedrock preference",
            bedrock(s -> s.put("method", "preference")),
            "spec.method",
            "method preference is not available with provider bedrock"));
    add.accept(
        c(
            "bedrock reinforcement without a grader",
            bedrock(s -> s.put("method", "reinforcement")),
            "spec.method",
            "spec.bedrock.reinforcement (with lambdaGraderArn) is required"));
    add.accept(
        c(
            "bedrock distillation without a teacher",
            bedrock(s -> bedrockOf(s).put("customizationType", "DISTILLATION")),
            "spec.bedrock.distillation",
            "spec.bedrock.distillation is required when customizationType is DISTILLATION"));
    add.accept(
        c(
            "bedrock seed",
            bedrock(s -> s.put("seed", 7)),
            "spec.seed",
            "seed is only supported with provider openai"));
    add.accept(
        c(
            "bedrock aws: label",
            bedrock(s -> s.put("labels", Map.of("aws:cost", "x"))),
            "spec.labels",
            "no key starting with aws:"));
    add.accept(
        c(
            "bedrock custom model name with a dot",
            bedrock(s -> s.put("tunedModelName", "support.v3")),
            "spec.tunedModelName",
            "Bedrock custom model name"));
    add.accept(
        c(
            "bedrock hyperparameter key with a dash",
            bedrock(s -> bedrockOf(s).put("hyperParameters", Map.of("learning-rate", "1"))),
            "spec.bedrock.hyperParameters",
            "keys are 1 to 64 letters and digits"));
    add.accept(
        c(
            "openai gs:// training data",
            openai(s -> s.put("trainingData", "gs://b/train.jsonl")),
            "spec.trainingData",
            "must be an OpenAI file id"));
    add.accept(
        c(
            "vertex file id training data",
            vertex(s -> s.put("trainingData", "file-abc")),
            "spec.trainingData",
            "must be a Cloud Storage URI"));
    add.accept(
        c(
            "vertex bad validation URI",
            vertex(s -> s.put("validationData", "https://x/y")),
            "spec.validationData",
            "must be a Cloud Storage URI"));
    add.accept(
        c(
            "reinforcement on vertex",
            vertex(s -> s.put("method", "reinforcement")),
            "spec.method",
            "only available with provider openai"));
    add.accept(
        c(
            "reinforcement without grader block",
            openai(s -> s.put("method", "reinforcement")),
            "spec.method",
            "spec.openai.reinforcement (with a grader) is required"));
    add.accept(
        c(
            "reinforcement block with supervised",
            openai(
                s -> oa(s).put("reinforcement", Map.of("grader", Map.of("type", "string_check")))),
            "spec.openai.reinforcement",
            "only allowed when method is reinforcement"));
    add.accept(
        c(
            "adapterSize on openai",
            openai(s -> hp(s).put("adapterSize", 4)),
            "spec.hyperparameters.adapterSize",
            "only supported with provider vertex"));
    add.accept(
        c(
            "batchSize on vertex",
            vertex(s -> hp(s).put("batchSize", 4)),
            "spec.hyperparameters.batchSize",
            "only supported with provider openai"));
    add.accept(
        c(
            "beta with supervised",
            openai(s -> hp(s).put("beta", 0.1)),
            "spec.hyperparameters.beta",
            "only allowed when method is preference"));
    add.accept(
        c(
            "seed on vertex",
            vertex(s -> s.put("seed", 1)),
            "spec.seed",
            "only supported with provider openai"));
    add.accept(
        c(
            "description on openai",
            openai(s -> s.put("description", "x")),
            "spec.description",
            "only supported with provider vertex"));
    add.accept(
        c(
            "openai suffix with spaces",
            openai(s -> s.put("tunedModelName", "my model")),
            "spec.tunedModelName",
            "OpenAI model suffix"));
    add.accept(
        c(
            "vertex uppercase label value",
            vertex(s -> s.put("labels", Map.of("team", "Support"))),
            "spec.labels",
            "lowercase letters"));
    add.accept(
        c(
            "vertex uppercase label key",
            vertex(s -> s.put("labels", Map.of("Team", "support"))),
            "spec.labels",
            "keys start with a lowercase letter"));
    add.accept(
        c(
            "vertex label value of 64 characters",
            vertex(s -> s.put("labels", Map.of("team", "a".repeat(64)))),
            "spec.labels",
            "at most 63 characters"));
    add.accept(
        c(
            "vertex label value over 128 bytes",
            vertex(s -> s.put("labels", Map.of("team", "日".repeat(43)))),
            "spec.labels",
            "128 bytes"));
    add.accept(
        c(
            "reserved label",
            vertex(s -> s.put("labels", Map.of("tuningjob-uid", "x"))),
            "spec.labels",
            "reserved for the operator"));
    add.accept(
        c(
            "16 openai labels",
            openai(s -> s.put("labels", sixteenLabels())),
            "spec.labels",
            "at most 15"));
    add.accept(
        c(
            "plain http endpoint",
            openai(s -> oa(s).put("endpoint", "http://evil.example/v1")),
            "spec.openai.endpoint",
            "should match"));
    add.accept(
        c(
            "azure without endpoint",
            openai(s -> oa(s).put("flavor", "azure")),
            "spec.openai.endpoint",
            "endpoint is required when flavor is azure"));
    add.accept(
        c(
            "bad vertex project",
            vertex(s -> vx(s).put("project", "X")),
            "spec.vertex.project",
            "should"));
    add.accept(
        c(
            "bad vertex location",
            vertex(s -> vx(s).put("location", "moon")),
            "spec.vertex.location",
            "should match"));
    add.accept(
        c(
            "bad kms key",
            vertex(s -> vx(s).put("kmsKeyName", "my-key")),
            "spec.vertex.kmsKeyName",
            "should match"));
    add.accept(
        c(
            "bad secret name",
            openai(s -> oa(s).put("apiKeySecretRef", Map.of("name", "Bad_Name"))),
            "spec.openai.apiKeySecretRef.name",
            "should match"));
    add.accept(
        c(
            "wandb integration without settings",
            openai(s -> oa(s).put("integrations", List.of(Map.of("type", "wandb")))),
            "spec.openai.integrations[0]",
            "wandb settings are required"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidJobs")
  void shouldRejectInvalidJobNamingTheField(
      String description, Map<String, Object> spec, String field, String message) {
    var resource = job("invalid-" + Math.abs(description.hashCode()), spec);
    var error =
        catchThrowableOfType(
            KubernetesClientException.class, () -> jobs().resource(resource).create());
    assertThat(error).as(description + " was accepted").isNotNull();
    assertThat(error.getCode()).isEqualTo(422);
    assertThat(causes(error))
        .as(description)
        .anySatisfy(
            cause -> {
              assertThat(cause.getField()).isEqualTo(field);
              assertThat(cause.getMessage()).contains(message);
            });
  }

  @Test
  void shouldRejectSpecChangesOnceSubmittedButAllowSuspendAndDeletionPolicy() {
    var created = jobs().resource(job("immutable", openai(s -> {}))).create();
    // Edits are fine before submission.
    created =
        jobs()
            .withName("immutable")
            .edit(
                j -> {
                  spec(j).put("baseModel", "gpt-4o-mini-2024-07-18");
                  return j;
                });
    created.setAdditionalProperty("status", Map.of("phase", "Running", "jobId", "ftjob-1"));
    jobs().resource(created).updateStatus();

    for (var change :
        List.<Object[]>of(
            new Object[] {"baseModel", "gpt-4o"},
            new Object[] {"trainingData", "file-other"},
            new Object[] {"seed", 7})) {
      var error =
          catchThrowableOfType(
              KubernetesClientException.class,
              () ->
                  jobs()
                      .withName("immutable")
                      .edit(
                          j -> {
                            spec(j).put((String) change[0], change[1]);
                            return j;
                          }));
      assertThat(error).as("change of " + change[0]).isNotNull();
      assertThat(causes(error))
          .anySatisfy(
              c -> {
                assertThat(c.getField()).isEqualTo("spec." + change[0]);
                assertThat(c.getMessage()).contains("create a new TuningJob");
              });
    }
    var orgChange =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                jobs()
                    .withName("immutable")
                    .edit(
                        j -> {
                          ((Map<String, Object>) spec(j).get("openai"))
                              .put("organization", "org-x");
                          return j;
                        }));
    assertThat(causes(orgChange))
        .anySatisfy(c -> assertThat(c.getField()).isEqualTo("spec.openai"));

    assertThatCode(
            () ->
                jobs()
                    .withName("immutable")
                    .edit(
                        j -> {
                          spec(j).put("suspend", true);
                          spec(j).put("deletionPolicy", "Orphan");
                          return j;
                        }))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                jobs()
                    .withName("immutable")
                    .edit(
                        j -> {
                          ((Map<String, Object>) spec(j).get("openai"))
                              .put("apiKeySecretRef", Map.of("name", "rotated"));
                          return j;
                        }))
        .doesNotThrowAnyException();
  }

  /** A deadline may be added or lowered once submitted, never raised or removed. */
  @Test
  void shouldLetTheDeadlineOnlyGoDownOnceSubmitted() {
    var created =
        jobs()
            .resource(job("deadline", openai(s -> s.put("activeDeadlineSeconds", 3600))))
            .create();
    created.setAdditionalProperty("status", Map.of("phase", "Running", "jobId", "ftjob-d1"));
    jobs().resource(created).updateStatus();

    assertThatCode(
            () ->
                jobs()
                    .withName("deadline")
                    .edit(
                        j -> {
                          spec(j).put("activeDeadlineSeconds", 1800);
                          return j;
                        }))
        .doesNotThrowAnyException();
    for (java.util.function.UnaryOperator<GenericKubernetesResource> change :
        List.<java.util.function.UnaryOperator<GenericKubernetesResource>>of(
            j -> {
              spec(j).put("activeDeadlineSeconds", 7200);
              return j;
            },
            j -> {
              spec(j).remove("activeDeadlineSeconds");
              return j;
            })) {
      var error =
          catchThrowableOfType(
              KubernetesClientException.class, () -> jobs().withName("deadline").edit(change));
      assertThat(causes(error))
          .anySatisfy(
              c -> {
                assertThat(c.getField()).isEqualTo("spec.activeDeadlineSeconds");
                assertThat(c.getMessage()).contains("may only be lowered");
              });
    }
  }

  /** spec.bedrock is frozen once submitted, except the Secret reference (key rotation). */
  @Test
  @SuppressWarnings("unchecked")
  void shouldFreezeTheBedrockBlockOnceSubmittedExceptItsSecret() {
    var created = jobs().resource(job("bedrock-frozen", bedrock(s -> {}))).create();
    created.setAdditionalProperty(
        "status",
        Map.of(
            "phase",
            "Running",
            "jobId",
            "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/m/abcdefabcdef"));
    jobs().resource(created).updateStatus();

    var roleChange =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                jobs()
                    .withName("bedrock-frozen")
                    .edit(
                        j -> {
                          ((Map<String, Object>) spec(j).get("bedrock"))
                              .put("roleArn", "arn:aws:iam::123456789012:role/other");
                          return j;
                        }));
    assertThat(causes(roleChange))
        .anySatisfy(
            c -> {
              assertThat(c.getField()).isEqualTo("spec.bedrock");
              assertThat(c.getMessage()).contains("only credentialsSecretRef may");
            });
    assertThatCode(
            () ->
                jobs()
                    .withName("bedrock-frozen")
                    .edit(
                        j -> {
                          ((Map<String, Object>) spec(j).get("bedrock"))
                              .put("credentialsSecretRef", Map.of("name", "rotated"));
                          return j;
                        }))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptInternationalVertexLabelsOfSixtyThreeCharacters() {
    var labels =
        Map.of("équipe", "café_1", "日本", "東京", "empty", "", "k".repeat(63), "v".repeat(63));
    var resource = job("vertex-labels", vertex(s -> s.put("labels", labels)));

    assertThatCode(() -> jobs().resource(resource).create()).doesNotThrowAnyException();
    jobs().resource(resource).delete();
  }

  @Test
  void shouldAllowFixingTheSpecAfterARejection() {
    var created = jobs().resource(job("rejected", openai(s -> {}))).create();
    created.setAdditionalProperty("status", Map.of("phase", "Failed"));
    jobs().resource(created).updateStatus();
    assertThatCode(
            () ->
                jobs()
                    .withName("rejected")
                    .edit(
                        j -> {
                          spec(j).put("trainingData", "file-fixed");
                          return j;
                        }))
        .doesNotThrowAnyException();
  }

  // --- fixtures ------------------------------------------------------------------------------

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      jobs() {
    return client.genericKubernetesResources("tuning.dev/v1alpha1", "TuningJob").inNamespace(NS);
  }

  private static Object[] c(
      String description, Map<String, Object> spec, String field, String message) {
    return new Object[] {description, spec, field, message};
  }

  private static Map<String, Object> openai(Consumer<Map<String, Object>> change) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("provider", "openai");
    s.put("baseModel", "gpt-4.1-mini-2025-04-14");
    s.put("trainingData", "file-train123");
    s.put("openai", new HashMap<>(Map.of("apiKeySecretRef", Map.of("name", "openai"))));
    change.accept(s);
    return s;
  }

  private static Map<String, Object> vertex(Consumer<Map<String, Object>> change) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("provider", "vertex");
    s.put("baseModel", "gemini-2.5-flash");
    s.put("trainingData", "gs://bucket/train.jsonl");
    s.put("vertex", new HashMap<>(Map.of("project", "my-project", "location", "us-central1")));
    change.accept(s);
    return s;
  }

  private static Map<String, Object> bedrock(Consumer<Map<String, Object>> change) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("provider", "bedrock");
    s.put("baseModel", "amazon.nova-micro-v1:0:128k");
    s.put("trainingData", "s3://ml-tuning-data/support-bot/train.jsonl");
    s.put("bedrock", bedrockBlock());
    change.accept(s);
    return s;
  }

  private static Map<String, Object> bedrockBlock() {
    return new HashMap<>(
        Map.of(
            "region", "us-east-1",
            "roleArn", "arn:aws:iam::123456789012:role/tuning/ml/BedrockCustomization",
            "outputDataUri", "s3://ml-tuning-output/support-bot/"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> bedrockOf(Map<String, Object> s) {
    return (Map<String, Object>) s.get("bedrock");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> hp(Map<String, Object> s) {
    return (Map<String, Object>) s.computeIfAbsent("hyperparameters", k -> new HashMap<>());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> oa(Map<String, Object> s) {
    return (Map<String, Object>) s.get("openai");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> vx(Map<String, Object> s) {
    return (Map<String, Object>) s.get("vertex");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private static Map<String, String> sixteenLabels() {
    return Stream.iterate(1, i -> i + 1)
        .limit(16)
        .collect(Collectors.toMap(i -> "k" + i, i -> "v"));
  }

  private static GenericKubernetesResource job(String name, Map<String, Object> spec) {
    var r = new GenericKubernetesResource();
    r.setApiVersion("tuning.dev/v1alpha1");
    r.setKind("TuningJob");
    r.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  private static List<StatusCause> causes(KubernetesClientException e) {
    if (e.getStatus() == null || e.getStatus().getDetails() == null) {
      return List.of();
    }
    return e.getStatus().getDetails().getCauses();
  }
}
