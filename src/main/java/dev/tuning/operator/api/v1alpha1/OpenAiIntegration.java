package dev.tuning.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An integration enabled on an OpenAI job. Only {@code wandb} exists today. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'wandb' || has(self.wandb)",
    message = "wandb settings are required when type is wandb")
public class OpenAiIntegration {

  /** Integration kinds OpenAI supports. */
  public enum Type {
    wandb
  }

  @Required
  @JsonPropertyDescription("Integration type; only 'wandb' is supported.")
  private Type type;

  @JsonPropertyDescription("Weights and Biases settings.")
  private WandbIntegration wandb;

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }

  public WandbIntegration getWandb() {
    return wandb;
  }

  public void setWandb(WandbIntegration wandb) {
    this.wandb = wandb;
  }
}
