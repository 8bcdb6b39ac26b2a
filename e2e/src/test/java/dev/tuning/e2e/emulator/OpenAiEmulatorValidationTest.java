package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiEmulatorValidationTest {

  private static OpenAiEmulator emulator;
  private final EmulatorHttp http = EmulatorHttp.bearer("sk-test");

  @BeforeAll
  static void start() {
    emulator = new OpenAiEmulator(EmulatorConfig.defaults().withClock(new MutableClock()));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static Stream<Arguments> invalidBodies() {
    String ok = "\"model\":\"gpt-4o-mini\",\"training_file\":\"file-abc\"";
    return Stream.of(
        Arguments.of(
            "{\"training_file\":\"file-abc\"}",
            "Missing required parameter: 'model'.",
            "model",
            "missing_required_parameter"),
        Arguments.of(
            "{\"model\":\"gpt-4o-mini\"}",
            "Missing required parameter: 'training_file'.",
            "training_file",
            "missing_required_parameter"),
        Arguments.of(
            "{\"model\":\"gpt-4o-mini\",\"training_file\":\"train.jsonl\"}",
            "Invalid file ID for 'training_file': 'train.jsonl'. Expected an ID like 'file-abc123'.",
            "training_file",
            "invalid_value"),
        Arguments.of(
            "{" + ok + ",\"validation_file\":\"val\"}",
            "Invalid file ID for 'validation_file': 'val'. Expected an ID like 'file-abc123'.",
            "validation_file",
            "invalid_value"),
        Arguments.of(
            "{\"model\":7,\"training_file\":\"file-abc\"}",
            "Invalid type for 'model': expected a string, but got number instead.",
            "model",
            "invalid_type"),
        Arguments.of(
            "{" + ok + ",\"suffix\":\"" + "x".repeat(65) + "\"}",
            "Invalid 'suffix': string too long. Expected a string with maximum length 64, but got"
                + " a string with length 65 instead.",
            "suffix",
            "string_above_max_length"),
        Arguments.of(
            "{" + ok + ",\"suffix\":\"\"}",
            "Invalid 'suffix': empty string. Expected a string with minimum length 1, but got an"
                + " empty string instead.",
            "suffix",
            "empty_string"),
        Arguments.of(
            "{" + ok + ",\"seed\":-1}",
            "Invalid 'seed': integer below minimum value. Expected a value >= 0, but got -1"
                + " instead.",
            "seed",
            "integer_below_min_value"),
        Arguments.of(
            "{" + ok + ",\"seed\":2147483648}",
            "Invalid 'seed': integer above maximum value. Expected a value <= 2147483647, but got"
                + " 2147483648 instead.",
            "seed",
            "integer_above_max_value"),
        Arguments.of(
            "{" + ok + ",\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}}",
            "Invalid 'metadata': string too long. Expected a string with maximum length 64, but"
                + " got a string with length 65 instead.",
            "metadata",
            "string_above_max_length"),
        Arguments.of(
            "{" + ok + ",\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}}",
            "Invalid 'metadata.k': string too long. Expected a string with maximum length 512,"
                + " but got a string with length 513 instead.",
            "metadata.k",
            "string_above_max_length"),
        Arguments.of(
            "{" + ok + ",\"method\":{\"type\":\"rlhf\"}}",
            "Invalid value: 'rlhf'. Supported values are: 'supervised', 'dpo', and"
                + " 'reinforcement'.",
            "method.type",
            "invalid_value"),
        Arguments.of(
            "{"
                + ok
                + ",\"method\":{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":"
                + "{\"n_epochs\":51}}}}",
            "Invalid 'method.supervised.hyperparameters.n_epochs': integer above maximum value."
                + " Expected a value <= 50, but got 51 instead.",
            "method.supervised.hyperparameters.n_epochs",
            "integer_above_max_value"),
        Arguments.of(
            "{"
                + ok
                + ",\"method\":{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":"
                + "{\"batch_size\":0}}}}",
            "Invalid 'method.supervised.hyperparameters.batch_size': integer below minimum value."
                + " Expected a value >= 1, but got 0 instead.",
            "method.supervised.hyperparameters.batch_size",
            "integer_below_min_value"),
        Arguments.of(
            "{"
                + ok
                + ",\"method\":{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":"
                + "{\"learning_rate_multiplier\":0}}}}",
            "Invalid 'method.supervised.hyperparameters.learning_rate_multiplier': number below"
                + " minimum value. Expected a value > 0.0, but got 0 instead.",
            "method.supervised.hyperparameters.learning_rate_multiplier",
            "decimal_below_min_value"),
        Arguments.of(
            "{"
                + ok
                + ",\"method\":{\"type\":\"dpo\",\"dpo\":{\"hyperparameters\":{\"beta\":2.5}}}}",
            "Invalid 'method.dpo.hyperparameters.beta': number above maximum value. Expected a"
                + " value <= 2.0, but got 2.5 instead.",
            "method.dpo.hyperparameters.beta",
            "decimal_above_max_value"),
        Arguments.of(
            "{"
                + ok
                + ",\"method\":{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":"
                + "{\"n_epochs\":\"many\"}}}}",
            "Invalid type for 'method.supervised.hyperparameters.n_epochs': expected one of 'auto'"
                + " or an integer, but got string instead.",
            "method.supervised.hyperparameters.n_epochs",
            "invalid_type"),
        Arguments.of(
            "{" + ok + ",\"method\":{\"type\":\"reinforcement\"}}",
            "Missing required parameter: 'method.reinforcement.grader'.",
            "method.reinforcement.grader",
            "missing_required_parameter"),
        Arguments.of(
            "{"
                + ok
                + ",\"method\":{\"type\":\"reinforcement\",\"reinforcement\":{\"grader\":"
                + "{\"type\":\"python\",\"name\":\"g\"}}}}",
            "Missing required parameter: 'method.reinforcement.grader.source'.",
            "method.reinforcement.grader.source",
            "missing_required_parameter"),
        Arguments.of(
            "{" + ok + ",\"method\":{\"type\":\"supervised\",\"dpo\":{}}}",
            "'method.dpo' cannot be set when 'method.type' is 'supervised'.",
            "method.dpo",
            "invalid_value"),
        Arguments.of(
            "{" + ok + ",\"integrations\":[{\"type\":\"wandb\",\"wandb\":{}}]}",
            "Missing required parameter: 'integrations[0].wandb.project'.",
            "integrations[0].wandb.project",
            "missing_required_parameter"),
        Arguments.of(
            "{" + ok + ",\"hyperparameters\":{},\"method\":{\"type\":\"supervised\"}}",
            "Only one of 'hyperparameters' and 'method' may be provided; 'hyperparameters' is"
                + " deprecated, use 'method'.",
            "hyperparameters",
            "invalid_value"),
        Arguments.of(
            "{" + ok + ",\"epochs\":3}",
            "Unrecognized request argument supplied: epochs",
            null,
            null),
        Arguments.of(
            "not json",
            "We could not parse the JSON body of your request. (HINT: This likely means you"
                + " aren't using your HTTP library correctly. The OpenAI API expects a JSON"
                + " payload, but what was sent was not valid JSON.)",
            null,
            null));
  }

  @ParameterizedTest
  @MethodSource("invalidBodies")
  void shouldRejectInvalidCreateWithTheExactEnvelope(
      String body, String message, String param, String code) {
    Reply r = http.post(emulator.baseUrl() + "/fine_tuning/jobs", body);

    ObjectNode error = EmulatorHttp.MAPPER.createObjectNode();
    error
        .putObject("error")
        .put("message", message)
        .put("type", "invalid_request_error")
        .put("param", param)
        .put("code", code);
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(error);
  }

  @Test
  void shouldRejectMoreThanSixteenMetadataPairsAndAcceptSixteen() {
    StringBuilder sixteen = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sixteen.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    String base = "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-abc\",\"metadata\":{";
    Reply accepted = http.post(emulator.baseUrl() + "/fine_tuning/jobs", base + sixteen + "}}");
    Reply rejected =
        http.post(emulator.baseUrl() + "/fine_tuning/jobs", base + sixteen + ",\"k16\":\"v\"}}");

    assertThat(accepted.code()).isEqualTo(200);
    assertThat(rejected.code()).isEqualTo(400);
    assertThat(rejected.error().get("code").asText()).isEqualTo("object_above_max_properties");
    assertThat(rejected.error().get("param").asText()).isEqualTo("metadata");
  }

  @Test
  void shouldAcceptBoundaryValuesAndAutoEverywhere() {
    Reply r =
        http.post(
            emulator.baseUrl() + "/fine_tuning/jobs",
            "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-abc\",\"seed\":2147483647,"
                + "\"suffix\":\""
                + "s".repeat(64)
                + "\",\"method\":{\"type\":\"dpo\",\"dpo\":{\"hyperparameters\":{\"beta\":2,"
                + "\"batch_size\":256,\"n_epochs\":1,\"learning_rate_multiplier\":\"auto\"}}}}");

    assertThat(r.code()).as(r.text()).isEqualTo(200);
    assertThat(r.json().at("/method/dpo/hyperparameters/batch_size").asInt()).isEqualTo(256);
  }
}
