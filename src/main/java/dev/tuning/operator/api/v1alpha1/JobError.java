package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** The provider's error for a failed job or a rejected request, as the provider reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobError {

  @JsonPropertyDescription("The provider's error code (e.g. invalid_training_file, 3).")
  @Size(max = 256)
  private String code;

  @JsonPropertyDescription("The provider's error message.")
  @Size(max = 4096)
  private String message;

  @JsonPropertyDescription("The request field the provider blamed, when it named one.")
  @Size(max = 256)
  private String param;

  public JobError() {}

  public JobError(String code, String message, String param) {
    this.code = code;
    this.message = message;
    this.param = param;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getParam() {
    return param;
  }

  public void setParam(String param) {
    this.param = param;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobError e
        && Objects.equals(code, e.code)
        && Objects.equals(message, e.message)
        && Objects.equals(param, e.param);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, message, param);
  }
}
