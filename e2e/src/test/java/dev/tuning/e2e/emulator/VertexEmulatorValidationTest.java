package dev.tuning.e2e.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuning.e2e.emulator.EmulatorHttp.Reply;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VertexEmulatorValidationTest {

  private static final String SPEC =
      "\"supervisedTuningSpec\":{\"trainingDatasetUri\":\"gs://b/t.jsonl\"";
  private static final String BASE = "\"baseModel\":\"gemini-2.5-flash\"";

  private static VertexEmulator emulator;
  private final EmulatorHttp http = EmulatorHttp.bearer("ya29.test");

  @BeforeAll
  static void start() {
    emulator = new VertexEmulator(EmulatorConfig.defaults().withClock(new MutableClock()));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private String jobs() {
    return emulator.baseUrl() + "/v1/projects/p/locations/us-central1/tuningJobs";
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        Arguments.of(
            "{" + SPEC + "}}", "tuning_job.base_model", "tuning_job.base_model is required."),
        Arguments.of(
            "{" + BASE + "}",
            "tuning_job.supervised_tuning_spec",
            "Exactly one of supervised_tuning_spec and preference_optimization_spec must be set."),
        Arguments.of(
            "{"
                + BASE
                + ","
                + SPEC
                + "},\"preferenceOptimizationSpec\":{\"trainingDatasetUri\":\"gs://b/p.jsonl\"}}",
            "tuning_job.supervised_tuning_spec",
            "Only one of supervised_tuning_spec and preference_optimization_spec may be set."),
        Arguments.of(
            "{" + BASE + ",\"supervisedTuningSpec\":{}}",
            "tuning_job.supervised_tuning_spec.training_dataset_uri",
            "training_dataset_uri is required."),
        Arguments.of(
            "{" + BASE + ",\"supervisedTuningSpec\":{\"trainingDatasetUri\":\"/data/t.jsonl\"}}",
            "tuning_job.supervised_tuning_spec.training_dataset_uri",
            "training_dataset_uri must be a Cloud Storage URI like gs://bucket/file.jsonl, got"
                + " \"/data/t.jsonl\"."),
        Arguments.of(
            "{"
                + BASE
                + ","
                + SPEC
                + ",\"hyperParameters\":{\"adapterSize\":\"ADAPTER_SIZE_THREE\"}}}",
            "tuning_job.supervised_tuning_spec.hyper_parameters.adapter_size",
            "Invalid value at 'tuning_job.supervised_tuning_spec.hyper_parameters.adapter_size'"
                + " (type.googleapis.com/google.cloud.aiplatform.v1.AdapterSize),"
                + " \"ADAPTER_SIZE_THREE\""),
        Arguments.of(
            "{" + BASE + "," + SPEC + ",\"hyperParameters\":{\"epochCount\":\"three\"}}}",
            "tuning_job.supervised_tuning_spec.hyper_parameters.epoch_count",
            "Invalid value at 'tuning_job.supervised_tuning_spec.hyper_parameters.epoch_count'"
                + " (TYPE_INT64), \"three\""),
        Arguments.of(
            "{" + BASE + "," + SPEC + ",\"hyperParameters\":{\"epochCount\":2.5}}}",
            "tuning_job.supervised_tuning_spec.hyper_parameters.epoch_count",
            "Invalid value at 'tuning_job.supervised_tuning_spec.hyper_parameters.epoch_count'"
                + " (TYPE_INT64), 2.5"),
        Arguments.of(
            "{" + BASE + "," + SPEC + ",\"hyperParameters\":{\"epochCount\":0}}}",
            "tuning_job.supervised_tuning_spec.hyper_parameters.epoch_count",
            "epoch_count must be a positive integer, got 0."),
        Arguments.of(
            "{" + BASE + "," + SPEC + ",\"hyperParameters\":{\"beta\":0.1}}}",
            "tuning_job.supervised_tuning_spec.hyper_parameters",
            "Invalid JSON payload received. Unknown name \"beta\" at"
                + " 'tuning_job.supervised_tuning_spec.hyper_parameters': Cannot find field."),
        Arguments.of(
            "{" + BASE + "," + SPEC + "},\"labels\":{\"Team\":\"a\"}}",
            "tuning_job.labels",
            "Label key \"Team\" is invalid: keys must start with a lowercase letter, contain only"
                + " lowercase letters, digits, underscores and dashes, and be at most 63"
                + " characters (128 bytes) long."),
        Arguments.of(
            "{" + BASE + "," + SPEC + "},\"labels\":{\"" + "k".repeat(64) + "\":\"a\"}}",
            "tuning_job.labels",
            "Label key \""
                + "k".repeat(64)
                + "\" is invalid: keys must start with a lowercase letter, contain only lowercase"
                + " letters, digits, underscores and dashes, and be at most 63 characters (128"
                + " bytes) long."),
        Arguments.of(
            "{" + BASE + "," + SPEC + "},\"labels\":{\"team\":\"" + "a".repeat(64) + "\"}}",
            "tuning_job.labels",
            "Label value \""
                + "a".repeat(64)
                + "\" of key \"team\" is invalid: values may contain only lowercase letters,"
                + " digits, underscores and dashes, and be at most 63 characters (128 bytes)"
                + " long."),
        Arguments.of(
            "{" + BASE + "," + SPEC + "},\"labels\":{\"team\":\"" + "日".repeat(43) + "\"}}",
            "tuning_job.labels",
            "Label value \""
                + "日".repeat(43)
                + "\" of key \"team\" is invalid: values may contain only lowercase letters,"
                + " digits, underscores and dashes, and be at most 63 characters (128 bytes)"
                + " long."),
        Arguments.of(
            "{" + BASE + "," + SPEC + "},\"labels\":{\"team\":\"a.b\"}}",
            "tuning_job.labels",
            "Label value \"a.b\" of key \"team\" is invalid: values may contain only lowercase"
                + " letters, digits, underscores and dashes, and be at most 63 characters (128"
                + " bytes) long."),
        Arguments.of(
            "{" + BASE + "," + SPEC + "},\"epochs\":3}",
            "tuning_job",
            "Invalid JSON payload received. Unknown name \"epochs\" at 'tuning_job': Cannot find"
                + " field."));
  }

  @ParameterizedTest
  @MethodSource("invalidBodies")
  void shouldRejectInvalidCreateWithInvalidArgument(String body, String field, String message) {
    Reply r = http.post(jobs(), body);

    String expected =
        "{\"error\":{\"code\":400,\"message\":"
            + EmulatorHttp.MAPPER.valueToTree(message)
            + ",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
            + "\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":[{\"field\":\""
            + field
            + "\",\"description\":"
            + EmulatorHttp.MAPPER.valueToTree(message)
            + "}]}]}}";
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(EmulatorHttp.json(expected));
  }

  @Test
  void shouldAcceptInt64AsStringOrNumberAndIgnoreOutputOnlyFields() {
    Reply asString =
        http.post(
            jobs(),
            "{"
                + BASE
                + ","
                + SPEC
                + ",\"hyperParameters\":{\"epochCount\":\"4\"}},\"state\":\"JOB_STATE_SUCCEEDED\"}");
    Reply asNumber =
        http.post(jobs(), "{" + BASE + "," + SPEC + ",\"hyperParameters\":{\"epochCount\":4}}}");

    assertThat(asString.code()).as(asString.text()).isEqualTo(200);
    assertThat(asString.json().get("state").asText()).isEqualTo("JOB_STATE_PENDING");
    assertThat(asNumber.json().at("/supervisedTuningSpec/hyperParameters/epochCount"))
        .isEqualTo(asString.json().at("/supervisedTuningSpec/hyperParameters/epochCount"));
  }

  @Test
  void shouldAcceptInternationalLowercaseLabelsOfSixtyThreeCharacters() {
    Reply r =
        http.post(
            jobs(),
            "{"
                + BASE
                + ","
                + SPEC
                + "},\"labels\":{\""
                + "k".repeat(63)
                + "\":\"ü_-9\",\"équipe\":\""
                + "v".repeat(63)
                + "\",\"empty\":\"\",\"日本\":\"東京\"}}");

    assertThat(r.code()).as(r.text()).isEqualTo(200);
  }

  @Test
  void shouldRejectAMissingBody() {
    Reply r = http.post(jobs(), "");

    assertThat(r.code()).isEqualTo(400);
    assertThat(r.error().get("status").asText()).isEqualTo("INVALID_ARGUMENT");
  }
}
