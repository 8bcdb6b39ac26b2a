package dev.tuning.operator.api.v1alpha1;

/**
 * The CEL transition rules on {@link TuningJob} that freeze the spec once the job was submitted.
 * Annotation values must be compile-time constants, so the rules are composed here by string
 * concatenation: the "already submitted" guard is written once and every rule starts with it.
 *
 * <p>An optional field {@code f} is unchanged when {@code has(self.spec.f) == has(oldSelf.spec.f)
 * && (!has(self.spec.f) || self.spec.f == oldSelf.spec.f)}: CEL cannot compare a field that is
 * absent, and adding or removing it is a change too.
 */
final class ImmutableSpecRules {

  /**
   * The stored object was submitted: its phase is past Pending, unless a provider rejection left it
   * Failed without a job (then the spec may be fixed and the job submitted again).
   */
  static final String SUBMITTED =
      "has(oldSelf.status) && has(oldSelf.status.phase) && oldSelf.status.phase != 'Pending'"
          + " && !(oldSelf.status.phase == 'Failed' && !has(oldSelf.status.jobId))";

  /** Every rule reads "not submitted, or the field is unchanged". */
  private static final String UNLESS_SUBMITTED = "!(" + SUBMITTED + ") || ";

  /** The message after the field name. */
  static final String CANNOT_CHANGE =
      " cannot change once the job was submitted to the provider; create a new TuningJob instead";

  static final String PROVIDER = UNLESS_SUBMITTED + "self.spec.provider == oldSelf.spec.provider";

  static final String BASE_MODEL =
      UNLESS_SUBMITTED + "self.spec.baseModel == oldSelf.spec.baseModel";

  static final String METHOD =
      UNLESS_SUBMITTED
          + "(has(self.spec.method) == has(oldSelf.spec.method)"
          + " && (!has(self.spec.method) || self.spec.method == oldSelf.spec.method))";

  static final String TRAINING_DATA =
      UNLESS_SUBMITTED + "self.spec.trainingData == oldSelf.spec.trainingData";

  static final String VALIDATION_DATA =
      UNLESS_SUBMITTED
          + "(has(self.spec.validationData) == has(oldSelf.spec.validationData)"
          + " && (!has(self.spec.validationData)"
          + " || self.spec.validationData == oldSelf.spec.validationData))";

  static final String HYPERPARAMETERS =
      UNLESS_SUBMITTED
          + "(has(self.spec.hyperparameters) == has(oldSelf.spec.hyperparameters)"
          + " && (!has(self.spec.hyperparameters)"
          + " || self.spec.hyperparameters == oldSelf.spec.hyperparameters))";

  static final String TUNED_MODEL_NAME =
      UNLESS_SUBMITTED
          + "(has(self.spec.tunedModelName) == has(oldSelf.spec.tunedModelName)"
          + " && (!has(self.spec.tunedModelName)"
          + " || self.spec.tunedModelName == oldSelf.spec.tunedModelName))";

  static final String DESCRIPTION =
      UNLESS_SUBMITTED
          + "(has(self.spec.description) == has(oldSelf.spec.description)"
          + " && (!has(self.spec.description)"
          + " || self.spec.description == oldSelf.spec.description))";

  static final String LABELS =
      UNLESS_SUBMITTED
          + "(has(self.spec.labels) == has(oldSelf.spec.labels)"
          + " && (!has(self.spec.labels) || self.spec.labels == oldSelf.spec.labels))";

  static final String SEED =
      UNLESS_SUBMITTED
          + "(has(self.spec.seed) == has(oldSelf.spec.seed)"
          + " && (!has(self.spec.seed) || self.spec.seed == oldSelf.spec.seed))";

  /** A deadline may be added or lowered once submitted, never raised or removed. */
  static final String ACTIVE_DEADLINE =
      UNLESS_SUBMITTED
          + "!has(oldSelf.spec.activeDeadlineSeconds)"
          + " || (has(self.spec.activeDeadlineSeconds)"
          + " && self.spec.activeDeadlineSeconds <= oldSelf.spec.activeDeadlineSeconds)";

  static final String ACTIVE_DEADLINE_MESSAGE =
      "spec.activeDeadlineSeconds may only be lowered once the job was submitted";

  /** Every field of spec.openai except apiKeySecretRef, when both versions have the block. */
  static final String OPENAI =
      UNLESS_SUBMITTED
          + "(!has(self.spec.openai) || !has(oldSelf.spec.openai) || ("
          + "(has(self.spec.openai.organization) == has(oldSelf.spec.openai.organization)"
          + " && (!has(self.spec.openai.organization)"
          + " || self.spec.openai.organization == oldSelf.spec.openai.organization))"
          + " && (has(self.spec.openai.project) == has(oldSelf.spec.openai.project)"
          + " && (!has(self.spec.openai.project)"
          + " || self.spec.openai.project == oldSelf.spec.openai.project))"
          + " && (has(self.spec.openai.endpoint) == has(oldSelf.spec.openai.endpoint)"
          + " && (!has(self.spec.openai.endpoint)"
          + " || self.spec.openai.endpoint == oldSelf.spec.openai.endpoint))"
          + " && (has(self.spec.openai.flavor) == has(oldSelf.spec.openai.flavor)"
          + " && (!has(self.spec.openai.flavor)"
          + " || self.spec.openai.flavor == oldSelf.spec.openai.flavor))"
          + " && (has(self.spec.openai.integrations) == has(oldSelf.spec.openai.integrations)"
          + " && (!has(self.spec.openai.integrations)"
          + " || self.spec.openai.integrations == oldSelf.spec.openai.integrations))"
          + " && (has(self.spec.openai.reinforcement) == has(oldSelf.spec.openai.reinforcement)"
          + " && (!has(self.spec.openai.reinforcement)"
          + " || self.spec.openai.reinforcement == oldSelf.spec.openai.reinforcement))))";

  static final String OPENAI_MESSAGE =
      "spec.openai cannot change once the job was submitted (only apiKeySecretRef may); create a"
          + " new TuningJob instead";

  /** Every field of spec.vertex except credentialsSecretRef, when both versions have the block. */
  static final String VERTEX =
      UNLESS_SUBMITTED
          + "(!has(self.spec.vertex) || !has(oldSelf.spec.vertex) || ("
          + "(has(self.spec.vertex.project) == has(oldSelf.spec.vertex.project)"
          + " && (!has(self.spec.vertex.project)"
          + " || self.spec.vertex.project == oldSelf.spec.vertex.project))"
          + " && (has(self.spec.vertex.location) == has(oldSelf.spec.vertex.location)"
          + " && (!has(self.spec.vertex.location)"
          + " || self.spec.vertex.location == oldSelf.spec.vertex.location))"
          + " && (has(self.spec.vertex.serviceAccount) == has(oldSelf.spec.vertex.serviceAccount)"
          + " && (!has(self.spec.vertex.serviceAccount)"
          + " || self.spec.vertex.serviceAccount == oldSelf.spec.vertex.serviceAccount))"
          + " && (has(self.spec.vertex.kmsKeyName) == has(oldSelf.spec.vertex.kmsKeyName)"
          + " && (!has(self.spec.vertex.kmsKeyName)"
          + " || self.spec.vertex.kmsKeyName == oldSelf.spec.vertex.kmsKeyName))"
          + " && (has(self.spec.vertex.exportLastCheckpointOnly)"
          + " == has(oldSelf.spec.vertex.exportLastCheckpointOnly)"
          + " && (!has(self.spec.vertex.exportLastCheckpointOnly)"
          + " || self.spec.vertex.exportLastCheckpointOnly"
          + " == oldSelf.spec.vertex.exportLastCheckpointOnly))))";

  static final String VERTEX_MESSAGE =
      "spec.vertex cannot change once the job was submitted (only credentialsSecretRef may);"
          + " create a new TuningJob instead";

  /** Every field of spec.bedrock except credentialsSecretRef, when both versions have the block. */
  static final String BEDROCK =
      UNLESS_SUBMITTED
          + "(!has(self.spec.bedrock) || !has(oldSelf.spec.bedrock) || ("
          + "(has(self.spec.bedrock.region)"
          + " == has(oldSelf.spec.bedrock.region)"
          + " && (!has(self.spec.bedrock.region)"
          + " || self.spec.bedrock.region"
          + " == oldSelf.spec.bedrock.region))"
          + " && (has(self.spec.bedrock.roleArn)"
          + " == has(oldSelf.spec.bedrock.roleArn)"
          + " && (!has(self.spec.bedrock.roleArn)"
          + " || self.spec.bedrock.roleArn"
          + " == oldSelf.spec.bedrock.roleArn))"
          + " && (has(self.spec.bedrock.outputDataUri)"
          + " == has(oldSelf.spec.bedrock.outputDataUri)"
          + " && (!has(self.spec.bedrock.outputDataUri)"
          + " || self.spec.bedrock.outputDataUri"
          + " == oldSelf.spec.bedrock.outputDataUri))"
          + " && (has(self.spec.bedrock.customizationType)"
          + " == has(oldSelf.spec.bedrock.customizationType)"
          + " && (!has(self.spec.bedrock.customizationType)"
          + " || self.spec.bedrock.customizationType"
          + " == oldSelf.spec.bedrock.customizationType))"
          + " && (has(self.spec.bedrock.kmsKeyId)"
          + " == has(oldSelf.spec.bedrock.kmsKeyId)"
          + " && (!has(self.spec.bedrock.kmsKeyId)"
          + " || self.spec.bedrock.kmsKeyId"
          + " == oldSelf.spec.bedrock.kmsKeyId))"
          + " && (has(self.spec.bedrock.vpcConfig)"
          + " == has(oldSelf.spec.bedrock.vpcConfig)"
          + " && (!has(self.spec.bedrock.vpcConfig)"
          + " || self.spec.bedrock.vpcConfig"
          + " == oldSelf.spec.bedrock.vpcConfig))"
          + " && (has(self.spec.bedrock.hyperParameters)"
          + " == has(oldSelf.spec.bedrock.hyperParameters)"
          + " && (!has(self.spec.bedrock.hyperParameters)"
          + " || self.spec.bedrock.hyperParameters"
          + " == oldSelf.spec.bedrock.hyperParameters))"
          + " && (has(self.spec.bedrock.distillation)"
          + " == has(oldSelf.spec.bedrock.distillation)"
          + " && (!has(self.spec.bedrock.distillation)"
          + " || self.spec.bedrock.distillation"
          + " == oldSelf.spec.bedrock.distillation))"
          + " && (has(self.spec.bedrock.reinforcement)"
          + " == has(oldSelf.spec.bedrock.reinforcement)"
          + " && (!has(self.spec.bedrock.reinforcement)"
          + " || self.spec.bedrock.reinforcement"
          + " == oldSelf.spec.bedrock.reinforcement))"
          + "))";

  static final String BEDROCK_MESSAGE =
      "spec.bedrock cannot change once the job was submitted (only credentialsSecretRef may);"
          + " create a new TuningJob instead";

  private ImmutableSpecRules() {}
}
