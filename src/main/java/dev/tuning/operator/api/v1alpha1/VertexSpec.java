package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Google Vertex AI settings. Required when {@code provider: vertex}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VertexSpec {

  @Required
  @Size(min = 6, max = 30)
  @Pattern("^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
  @JsonPropertyDescription("Google Cloud project id that runs the tuning job.")
  private String project;

  @Required
  @Size(min = 1, max = 64)
  @Pattern("^[a-z]+-[a-z]+[0-9]+$")
  @JsonPropertyDescription("Vertex AI region, e.g. us-central1.")
  private String location;

  @JsonPropertyDescription(
      "Secret key holding a service-account key or an external-account (workload identity"
          + " federation) JSON (default key 'key.json'). Without it the operator's Application"
          + " Default Credentials (e.g. GKE Workload Identity) are used, if enabled.")
  private SecretKeyRef credentialsSecretRef;

  @Size(max = 256)
  @Pattern("^[a-z0-9-]+@[a-z0-9.-]+\\.iam\\.gserviceaccount\\.com$")
  @JsonPropertyDescription("Service account the tuning workload runs as.")
  private String serviceAccount;

  @Size(max = 512)
  @Pattern("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$")
  @JsonPropertyDescription(
      "Cloud KMS key (projects/.../locations/.../keyRings/.../cryptoKeys/...) that encrypts the"
          + " job's outputs; must be in the job's region.")
  private String kmsKeyName;

  @JsonPropertyDescription(
      "Export only the last checkpoint instead of intermediate checkpoints too.")
  private Boolean exportLastCheckpointOnly;

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public SecretKeyRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretKeyRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public String getKmsKeyName() {
    return kmsKeyName;
  }

  public void setKmsKeyName(String kmsKeyName) {
    this.kmsKeyName = kmsKeyName;
  }

  public Boolean getExportLastCheckpointOnly() {
    return exportLastCheckpointOnly;
  }

  public void setExportLastCheckpointOnly(Boolean exportLastCheckpointOnly) {
    this.exportLastCheckpointOnly = exportLastCheckpointOnly;
  }
}
