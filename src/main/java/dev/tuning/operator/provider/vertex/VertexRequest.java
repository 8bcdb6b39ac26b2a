package dev.tuning.operator.provider.vertex;

import dev.tuning.operator.api.v1alpha1.TuningJobSpec;
import dev.tuning.operator.api.v1alpha1.VertexSpec;
import dev.tuning.operator.provider.CommonSpec;
import dev.tuning.operator.provider.ErrorKind;
import dev.tuning.operator.provider.JobRequest;
import dev.tuning.operator.provider.ProviderException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Vertex AI tuning job as this provider reads it from a TuningJob: the common spec and {@code
 * spec.vertex}, read and checked once by {@link VertexProvider#prepare}.
 *
 * @param project a project id or number (one path segment)
 * @param location a region name (never forms a host by itself, see {@link VertexProvider})
 */
record VertexRequest(
    CommonSpec job,
    String project,
    String location,
    String serviceAccount,
    String kmsKeyName,
    Boolean exportLastCheckpointOnly)
    implements JobRequest {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  VertexRequest {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(location, "location");
  }

  /** {@code spec.vertex} with a project and a location; the project is one path segment. */
  static VertexRequest of(TuningJobSpec spec) throws ProviderException {
    VertexSpec vertex = spec.getVertex();
    if (vertex == null || vertex.getProject() == null || vertex.getLocation() == null) {
      throw new ProviderException(
          ErrorKind.PERMANENT, "spec.vertex with project and location is required");
    }
    if (!SEGMENT.matcher(vertex.getProject()).matches()) {
      throw new ProviderException(ErrorKind.PERMANENT, "spec.vertex.project is not a project id");
    }
    return new VertexRequest(
        CommonSpec.of(spec),
        vertex.getProject(),
        vertex.getLocation(),
        vertex.getServiceAccount(),
        vertex.getKmsKeyName(),
        vertex.getExportLastCheckpointOnly());
  }

  /** {@code projects/P/locations/L}. */
  String parent() {
    return "projects/" + project + "/locations/" + location;
  }
}
