package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Weights and Biases settings for an OpenAI job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WandbIntegration {

  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("The Weights and Biases project that receives the run.")
  private String project;

  @Size(max = 256)
  @JsonPropertyDescription("Display name of the run. Defaults to the job id.")
  private String name;

  @Size(max = 256)
  @JsonPropertyDescription("The Weights and Biases entity (team or user).")
  private String entity;

  @Size(max = 20)
  @JsonPropertyDescription("Tags added to the run.")
  private List<@Size(max = 64) String> tags;

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getEntity() {
    return entity;
  }

  public void setEntity(String entity) {
    this.entity = entity;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }
}
