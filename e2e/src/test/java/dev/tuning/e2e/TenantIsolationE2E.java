package dev.tuning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuning.e2e.emulator.EmulatorConfig;
import dev.tuning.operator.TuningJobs;
import dev.tuning.operator.api.v1alpha1.Phase;
import dev.tuning.operator.api.v1alpha1.SecretKeyRef;
import dev.tuning.operator.api.v1alpha1.TuningJob;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tenants on the real API server with the operator as a process (docs/design.md section 5):
 * tenant A runs a job on the operator's default key; tenant B, in a namespace the operator does not
 * serve with its own credentials, and tenant C, in one it does, try to adopt, mirror and cancel it
 * through the annotations, and to make the operator send its own credentials to an address they
 * chose.
 */
class TenantIsolationE2E {

  static final Duration WAIT = Duration.ofMinutes(2);
  static final String A = "tenant-a";
  static final String B = "tenant-b";
  static final String C = "tenant-c";
  static final String OPERATOR_KEY = "sk-operator-default-SENTINEL-91d3";
  static E2eEnvironment env;
  static MockWebServer sink;

  @BeforeAll
  static void start() throws Exception {
    // A's job keeps running for the whole test.
    env = new E2eEnvironment(EmulatorConfig.defaults().withRunning(Duration.ofMinutes(10)));
    sink = new MockWebServer();
    sink.start();
  }

  @AfterAll
  static void stop() throws Exception {
    sink.shutdown();
    env.close();
  }

  @Test
  void anotherTenantCannotAdoptMirrorOrCancelAJobNorExfiltrateTheOperatorsCredentials()
      throws Exception {
    for (String ns : List.of(A, B, C)) {
      env.namespace(ns);
    }
    Map<String, String> vars = env.operatorEnv();
    vars.put("WATCH_NAMESPACES", A + "," + B + "," + C);
    vars.put("OPENAI_API_KEY", OPERATOR_KEY);
    vars.put("DEFAULT_CREDENTIALS_NAMESPACES", A + "," + C);
    vars.put("VERTEX_DEFAULT_PROJECTS", "tenant-a-project");
    vars.put("GOOGLE_EXTERNAL_ACCOUNT_SECRETS", "true");
    vars.put("GOOGLE_EXTERNAL_ACCOUNT_URL_HOSTS", "subject-tokens.example.com");
    try (var operator = new OperatorProcess(env.kubeconfig(), vars).start().awaitReady(WAIT)) {
      TuningJob ownJob = TuningJobs.openAi(A, "a-train");
      ownJob.getSpec().getOpenai().setApiKeySecretRef(null);
      jobs(A).resource(ownJob).create();
      await().atMost(WAIT).until(() -> phase(job(A, "a-train")) == Phase.Running);
      String victim = job(A, "a-train").getStatus().getJobId();

      // B may not use the operator's credentials at all: refused before any request.
      int requestsBefore = env.openAi().requests().all().size();
      jobs(B).resource(stealing(B, "b-steal", victim)).create();
      assertRefused(B, "b-steal", "CredentialsRejected", "may not use the operator's default");
      assertThat(env.openAi().requests().all()).hasSize(requestsBefore);

      // C may, but only for jobs tagged with its own TuningJob's UID: nothing adopted or cancelled.
      jobs(C).resource(stealing(C, "c-steal", victim)).create();
      assertRefused(C, "c-steal", "JobNotOwned", "is not tagged with this TuningJob's UID");
      TuningJob stolen = job(C, "c-steal");
      assertThat(stolen.getStatus().getJobId()).isNull();
      assertThat(stolen.getStatus().getProviderState()).isNull();
      assertThat(stolen.getStatus().getPhase()).isEqualTo(Phase.Pending);

      // Deleting the thieves' resources must not cancel A's job either.
      env.kubectl("delete", "-n", B, "tj/b-steal", "--wait=true", "--timeout=60s");
      env.kubectl("delete", "-n", C, "tj/c-steal", "--wait=true", "--timeout=60s");
      assertThat(env.openAi().count("POST", ".*/fine_tuning/jobs/" + victim + "/cancel")).isZero();
      assertThat(phase(job(A, "a-train"))).isEqualTo(Phase.Running);
      assertThat(job(A, "a-train").getStatus().getJobId()).isEqualTo(victim);

      // B's Google document asks the operator to read its own credentials file and send it to
      // B's server, and B's Vertex job names A's project with the operator's identity.
      String kubeconfig = env.kubeconfig().toAbsolutePath().toString();
      String document =
          """
          {"type": "external_account",
           "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k",
           "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
           "token_url": "%s",
           "credential_source": {"file": "%s"}}
          """
              .formatted(sink.url("/token"), kubeconfig);
      env.client()
          .secrets()
          .inNamespace(B)
          .resource(TuningJobs.secret(B, "gcp", "key.json", document))
          .create();
      TuningJob exfiltrate = TuningJobs.vertex(B, "b-exfiltrate");
      exfiltrate.getSpec().getVertex().setCredentialsSecretRef(new SecretKeyRef("gcp", "key.json"));
      jobs(B).resource(exfiltrate).create();
      assertRefused(
          B,
          "b-exfiltrate",
          "CredentialsRejected",
          "external_account credential_source.file is not allowed in a TuningJob Secret");
      TuningJob ambient = TuningJobs.vertex(C, "c-other-project");
      ambient.getSpec().getVertex().setCredentialsSecretRef(null);
      jobs(C).resource(ambient).create();
      assertRefused(
          C,
          "c-other-project",
          "CredentialsRejected",
          "spec.vertex.project my-project may not use the operator's Google identity");

      assertThat(sink.getRequestCount()).as("the tenant's sink saw nothing").isZero();
      assertThat(env.vertex().requests().all()).as("no Vertex request at all").isEmpty();
      String kubeconfigText = Files.readString(env.kubeconfig());
      assertThat(operator.logs()).doesNotContain(OPERATOR_KEY);
      for (String line : kubeconfigText.lines().filter(l -> l.contains("token:")).toList()) {
        assertThat(operator.logs()).doesNotContain(line.substring(line.indexOf(':') + 1).strip());
      }
    }
  }

  private static TuningJob stealing(String ns, String name, String victim) {
    TuningJob job = TuningJobs.openAi(ns, name);
    job.getSpec().getOpenai().setApiKeySecretRef(null);
    var annotations = new HashMap<String, String>();
    annotations.put(TuningJob.JOB_ID_ANNOTATION, victim);
    annotations.put(TuningJob.CANCEL_ANNOTATION, "true");
    job.getMetadata().setAnnotations(annotations);
    return job;
  }

  private static void assertRefused(String ns, String name, String reason, String message) {
    await().atMost(WAIT).until(() -> reason.equals(syncedReason(job(ns, name))));
    Condition synced = synced(job(ns, name));
    assertThat(synced.getStatus()).isEqualTo("False");
    assertThat(synced.getMessage()).contains(message).doesNotContain(OPERATOR_KEY);
    await()
        .atMost(WAIT)
        .until(
            () ->
                env.client().v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(
                        e ->
                            name.equals(e.getInvolvedObject().getName())
                                && reason.equals(e.getReason())));
  }

  private static String syncedReason(TuningJob job) {
    Condition synced = synced(job);
    return synced == null ? null : synced.getReason();
  }

  private static Condition synced(TuningJob job) {
    if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Synced"))
        .findFirst()
        .orElse(null);
  }

  private static io.fabric8.kubernetes.client.dsl.MixedOperation<
          TuningJob,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<TuningJob>,
          io.fabric8.kubernetes.client.dsl.Resource<TuningJob>>
      jobsAll() {
    return env.client().resources(TuningJob.class);
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          TuningJob,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<TuningJob>,
          io.fabric8.kubernetes.client.dsl.Resource<TuningJob>>
      jobs(String ns) {
    return jobsAll().inNamespace(ns);
  }

  private static TuningJob job(String ns, String name) {
    return jobs(ns).withName(name).get();
  }

  private static Phase phase(TuningJob job) {
    return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
  }
}
