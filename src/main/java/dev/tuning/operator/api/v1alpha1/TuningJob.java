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
 * enforced by the API server (CEL transition rules that read the stored status), composed in {@link
 * ImmutableSpecRules}.
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
    value = ImmutableSpecRules.PROVIDER,
    message = "spec.provider" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.provider")
@ValidationRule(
    value = ImmutableSpecRules.BASE_MODEL,
    message = "spec.baseModel" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.baseModel")
@ValidationRule(
    value = ImmutableSpecRules.METHOD,
    message = "spec.method" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.method")
@ValidationRule(
    value = ImmutableSpecRules.TRAINING_DATA,
    message = "spec.trainingData" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.trainingData")
@ValidationRule(
    value = ImmutableSpecRules.VALIDATION_DATA,
    message = "spec.validationData" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.validationData")
@ValidationRule(
    value = ImmutableSpecRules.HYPERPARAMETERS,
    message = "spec.hyperparameters" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.hyperparameters")
@ValidationRule(
    value = ImmutableSpecRules.TUNED_MODEL_NAME,
    message = "spec.tunedModelName" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.tunedModelName")
@ValidationRule(
    value = ImmutableSpecRules.DESCRIPTION,
    message = "spec.description" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.description")
@ValidationRule(
    value = ImmutableSpecRules.LABELS,
    message = "spec.labels" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.labels")
@ValidationRule(
    value = ImmutableSpecRules.SEED,
    message = "spec.seed" + ImmutableSpecRules.CANNOT_CHANGE,
    fieldPath = ".spec.seed")
@ValidationRule(
    value = ImmutableSpecRules.OPENAI,
    message = ImmutableSpecRules.OPENAI_MESSAGE,
    fieldPath = ".spec.openai")
@ValidationRule(
    value = ImmutableSpecRules.VERTEX,
    message = ImmutableSpecRules.VERTEX_MESSAGE,
    fieldPath = ".spec.vertex")
@ValidationRule(
    value = ImmutableSpecRules.ACTIVE_DEADLINE,
    message = ImmutableSpecRules.ACTIVE_DEADLINE_MESSAGE,
    fieldPath = ".spec.activeDeadlineSeconds")
@ValidationRule(
    value = ImmutableSpecRules.BEDROCK,
    message = ImmutableSpecRules.BEDROCK_MESSAGE,
    fieldPath = ".spec.bedrock")
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

  /**
   * Annotation whose every new value asks for one immediate provider read of this job (the rate
   * budget still applies), like Crossplane's {@code crossplane.io/reconcile-requested-at}; the
   * value served is kept in {@code status.lastSyncRequest}.
   */
  public static final String RECONCILE_REQUESTED_AT = GROUP + "/reconcile-requested-at";

  /** Annotation that adopts an existing provider job instead of creating one. */
  public static final String JOB_ID_ANNOTATION = GROUP + "/job-id";

  @Override
  protected TuningJobStatus initStatus() {
    return new TuningJobStatus();
  }
}
