package dev.tuning.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A fine-tuning job on a hosted provider.
 *
 * <p>The spec is editable until the operator submits the job (phase Submitting or later) and again
 * after a provider rejection left it Failed without a job; from then on every field except {@code
 * suspend}, {@code deletionPolicy} and the credential references is immutable, because provider
 * jobs cannot be updated: a changed spec must never be silently ignored. The rules below are
 * enforced by the API server (CEL transition rules that read the stored status).
 */
@Group(TuningJob.GROUP)
@Version(TuningJob.VERSION)
@Kind("TuningJob")
@Plural("tuningjobs")
@Singular("tuningjob")
@ShortNames("tj")
@AdditionalPrinterColumn(
    name = "Provider",
    jsonPath = ".spec.provider",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Base Model",
    jsonPath = ".spec.baseModel",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Tuned Model",
    jsonPath = ".status.tunedModel",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || self.spec.provider == oldSelf.spec.provider",
    message =
        "spec.provider cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.provider")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || self.spec.baseModel == oldSelf.spec.baseModel",
    message =
        "spec.baseModel cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.baseModel")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (has(self.spec.method) == has(oldSelf.spec.method) && (!has(self.spec.method) || self.spec.method == oldSelf.spec.method))",
    message =
        "spec.method cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.method")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || self.spec.trainingData == oldSelf.spec.trainingData",
    message =
        "spec.trainingData cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.trainingData")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (has(self.spec.validationData) == has(oldSelf.spec.validationData) && (!has(self.spec.validationData) || self.spec.validationData == oldSelf.spec.validationData))",
    message =
        "spec.validationData cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.validationData")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (has(self.spec.hyperparameters) == has(oldSelf.spec.hyperparameters) && (!has(self.spec.hyperparameters) || self.spec.hyperparameters == oldSelf.spec.hyperparameters))",
    message =
        "spec.hyperparameters cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.hyperparameters")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (has(self.spec.tunedModelName) == has(oldSelf.spec.tunedModelName) && (!has(self.spec.tunedModelName) || self.spec.tunedModelName == oldSelf.spec.tunedModelName))",
    message =
        "spec.tunedModelName cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.tunedModelName")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (has(self.spec.description) == has(oldSelf.spec.description) && (!has(self.spec.description) || self.spec.description == oldSelf.spec.description))",
    message =
        "spec.description cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.description")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (has(self.spec.labels) == has(oldSelf.spec.labels) && (!has(self.spec.labels) || self.spec.labels == oldSelf.spec.labels))",
    message =
        "spec.labels cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.labels")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (has(self.spec.seed) == has(oldSelf.spec.seed) && (!has(self.spec.seed) || self.spec.seed == oldSelf.spec.seed))",
    message =
        "spec.seed cannot change once the job was submitted to the provider; create a new TuningJob instead",
    fieldPath = ".spec.seed")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (!has(self.spec.openai) || !has(oldSelf.spec.openai) || ((has(self.spec.openai.organization) == has(oldSelf.spec.openai.organization) && (!has(self.spec.openai.organization) || self.spec.openai.organization == oldSelf.spec.openai.organization)) && (has(self.spec.openai.project) == has(oldSelf.spec.openai.project) && (!has(self.spec.openai.project) || self.spec.openai.project == oldSelf.spec.openai.project)) && (has(self.spec.openai.endpoint) == has(oldSelf.spec.openai.endpoint) && (!has(self.spec.openai.endpoint) || self.spec.openai.endpoint == oldSelf.spec.openai.endpoint)) && (has(self.spec.openai.flavor) == has(oldSelf.spec.openai.flavor) && (!has(self.spec.openai.flavor) || self.spec.openai.flavor == oldSelf.spec.openai.flavor)) && (has(self.spec.openai.integrations) == has(oldSelf.spec.openai.integrations) && (!has(self.spec.openai.integrations) || self.spec.openai.integrations == oldSelf.spec.openai.integrations)) && (has(self.spec.openai.reinforcement) == has(oldSelf.spec.openai.reinforcement) && (!has(self.spec.openai.reinforcement) || self.spec.openai.reinforcement == oldSelf.spec.openai.reinforcement))))",
    message =
        "spec.openai cannot change once the job was submitted (only apiKeySecretRef may); create a new TuningJob instead",
    fieldPath = ".spec.openai")
@ValidationRule(
    value =
        "!(has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending' && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))) || (!has(self.spec.vertex) || !has(oldSelf.spec.vertex) || ((has(self.spec.vertex.project) == has(oldSelf.spec.vertex.project) && (!has(self.spec.vertex.project) || self.spec.vertex.project == oldSelf.spec.vertex.project)) && (has(self.spec.vertex.location) == has(oldSelf.spec.vertex.location) && (!has(self.spec.vertex.location) || self.spec.vertex.location == oldSelf.spec.vertex.location)) && (has(self.spec.vertex.serviceAccount) == has(oldSelf.spec.vertex.serviceAccount) && (!has(self.spec.vertex.serviceAccount) || self.spec.vertex.serviceAccount == oldSelf.spec.vertex.serviceAccount)) && (has(self.spec.vertex.kmsKeyName) == has(oldSelf.spec.vertex.kmsKeyName) && (!has(self.spec.vertex.kmsKeyName) || self.spec.vertex.kmsKeyName == oldSelf.spec.vertex.kmsKeyName)) && (has(self.spec.vertex.exportLastCheckpointOnly) == has(oldSelf.spec.vertex.exportLastCheckpointOnly) && (!has(self.spec.vertex.exportLastCheckpointOnly) || self.spec.vertex.exportLastCheckpointOnly == oldSelf.spec.vertex.exportLastCheckpointOnly))))",
    message =
        "spec.vertex cannot change once the job was submitted (only credentialsSecretRef may); create a new TuningJob instead",
    fieldPath = ".spec.vertex")
public class TuningJob extends CustomResource<TuningJobSpec, TuningJobStatus>
    implements Namespaced {

  public static final String GROUP = "tuning.dev";
  public static final String VERSION = "v1alpha1";

  /**
   * Annotation {@code "true"} asks the operator to cancel the provider job and keep the resource
   * (status ends Cancelled); before submission it prevents the create. Used by the Argo CD cancel
   * action.
   */
  public static final String CANCEL_ANNOTATION = GROUP + "/cancel-requested";

  /** Annotation that adopts an existing provider job instead of creating one. */
  public static final String JOB_ID_ANNOTATION = GROUP + "/job-id";

  @Override
  protected TuningJobStatus initStatus() {
    return new TuningJobStatus();
  }
}
