package dev.tuning.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's RBAC, pinned as "apiGroup:resource:verb" ("" is the core group): exactly the
 * requests the operator makes. config/rbac and the chart grant this and nothing more
 * (RbacRulesTest, HelmChartTest, ChartKustomizeParityIT); RbacIT and HelmChartIT prove on a real
 * API server that it is enough for the whole lifecycle and that the ServiceAccount may do nothing
 * else.
 */
public final class OperatorRbac {

  /** Every rule, with the request that needs it. */
  public static final Set<String> OPERATOR_RULES =
      Set.of(
          // the informer
          "tuning.dev:tuningjobs:list",
          "tuning.dev:tuningjobs:watch",
          // fresh reads: updateErrorStatus, JOSDK's retries after a conflict
          "tuning.dev:tuningjobs:get",
          // JOSDK adds and removes the finalizer with a JSON patch (server-side apply is off)
          "tuning.dev:tuningjobs:patch",
          // spec.ttlSecondsAfterFinished: a finished TuningJob is deleted
          "tuning.dev:tuningjobs:delete",
          // StatusWriter: a status PUT carrying the resourceVersion
          "tuning.dev:tuningjobs/status:update",
          // CredentialResolver: the job's Secret by name, in the job's namespace
          ":secrets:get",
          // TuningJobEvents: every Event is a new object
          ":events:create");

  /** Verbs the operator never uses, each with the reason (a regression is named by the tests). */
  public static final Map<String, String> NEVER =
      Map.of(
          "tuning.dev:tuningjobs:update",
          "the finalizer is patched (JOSDK with SSA off: Resource.edit, a JSON patch), never PUT",
          "tuning.dev:tuningjobs/status:patch",
          "status is written with a PUT (PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource)",
          "tuning.dev:tuningjobs/status:get",
          "nothing reads the status subresource; the informer and get read whole TuningJobs",
          "tuning.dev:tuningjobs/finalizers:update",
          "only checked for ownerReferences with blockOwnerDeletion to a TuningJob; the operator"
              + " creates no objects that own-reference one",
          ":events:patch",
          "TuningJobEvents creates a new Event each time and never patches one",
          ":secrets:list",
          "Secrets are read by name only",
          ":secrets:watch",
          "Secrets are read by name only");

  /**
   * The leader-election Lease, in the operator's namespace: Fabric8's LeaderElector gets, creates
   * and renews it with PATCH; JOSDK's start-up check (a SelfSubjectRulesReview) demands create,
   * update and get, so update stays although no request uses it.
   */
  public static final Set<String> LEADER_ELECTION_RULES =
      Set.of(
          "coordination.k8s.io:leases:get",
          "coordination.k8s.io:leases:create",
          "coordination.k8s.io:leases:update",
          "coordination.k8s.io:leases:patch");

  /** What {@link #allowed} asks about: the operator's resources and a few it must not touch. */
  static final List<String> PROBED_RESOURCES =
      List.of(
          "tuning.dev:tuningjobs",
          "tuning.dev:tuningjobs/status",
          "tuning.dev:tuningjobs/finalizers",
          ":secrets",
          ":events",
          "events.k8s.io:events",
          ":configmaps",
          ":pods",
          "coordination.k8s.io:leases");

  static final List<String> PROBED_VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  private OperatorRbac() {}

  /** The rules flattened to "apiGroup:resource:verb" (resourceNames and URLs are refused). */
  public static Set<String> flatten(List<PolicyRule> rules) {
    Set<String> out = new TreeSet<>();
    for (PolicyRule r : rules) {
      if (!r.getResourceNames().isEmpty() || !r.getNonResourceURLs().isEmpty()) {
        throw new IllegalArgumentException("unexpected resourceNames or nonResourceURLs: " + r);
      }
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          for (String verb : r.getVerbs()) {
            out.add(group + ":" + resource + ":" + verb);
          }
        }
      }
    }
    return out;
  }

  /** The rules of the (Cluster)Role in a YAML file that may hold several documents. */
  public static List<PolicyRule> rulesOf(Path yaml) throws IOException {
    List<PolicyRule> rules = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (var docs =
        new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml.toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        String kind = doc == null ? "" : doc.path("kind").asText();
        if (kind.equals("Role") || kind.equals("ClusterRole")) {
          for (JsonNode rule : doc.path("rules")) {
            rules.add(json.treeToValue(rule, PolicyRule.class));
          }
        }
      }
    }
    return rules;
  }

  /**
   * What the client's identity may do in {@code namespace} ("" for all namespaces), asked of the
   * API server's authorizer with one SelfSubjectAccessReview per probed resource and verb.
   */
  public static Set<String> allowed(KubernetesClient as, String namespace) {
    Set<String> allowed = new TreeSet<>();
    for (String probe : PROBED_RESOURCES) {
      String[] gr = probe.split(":", 2);
      String[] resource = gr[1].split("/", 2);
      for (String verb : PROBED_VERBS) {
        SelfSubjectAccessReview review =
            new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withGroup(gr[0])
                .withResource(resource[0])
                .withSubresource(resource.length > 1 ? resource[1] : null)
                .withVerb(verb)
                .withNamespace(namespace)
                .endResourceAttributes()
                .endSpec()
                .build();
        var status = as.authorization().v1().selfSubjectAccessReview().create(review).getStatus();
        if (status.getAllowed()) {
          allowed.add(probe + ":" + verb);
        }
      }
    }
    return allowed;
  }
}
