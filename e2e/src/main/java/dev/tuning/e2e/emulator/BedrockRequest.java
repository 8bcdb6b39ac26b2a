package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A validated {@code CreateModelCustomizationJob} request.
 *
 * @param jobName the job name, unique per Region for ever
 * @param customModelName the name of the model the job creates
 * @param roleArn the service role
 * @param clientRequestToken the idempotency token, or null when none was sent
 * @param baseModelIdentifier the base model as sent (model id or ARN)
 * @param customizationType as sent, {@code FINE_TUNING} when absent (an inference: AWS does not
 *     document the default)
 * @param kmsKeyId {@code customModelKmsKeyId} as sent, or null
 * @param jobTags the job's tags in request order
 * @param customModelTags the custom model's tags in request order
 * @param trainingDataUri {@code trainingDataConfig.s3Uri}, or null for invocation logs
 * @param validators how many validation data sets were given
 * @param echo the members returned as sent by Get: {@code trainingDataConfig}, {@code
 *     validationDataConfig}, {@code outputDataConfig}, {@code hyperParameters}, {@code vpcConfig},
 *     {@code customizationConfig}
 */
record BedrockRequest(
    String jobName,
    String customModelName,
    String roleArn,
    String clientRequestToken,
    String baseModelIdentifier,
    String customizationType,
    String kmsKeyId,
    Map<String, String> jobTags,
    Map<String, String> customModelTags,
    String trainingDataUri,
    int validators,
    ObjectNode echo) {}
