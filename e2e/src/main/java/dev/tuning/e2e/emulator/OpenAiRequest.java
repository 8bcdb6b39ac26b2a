package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated create-job request.
 *
 * @param model base model
 * @param trainingFile training file id
 * @param validationFile validation file id or null
 * @param suffix suffix or null
 * @param seed requested seed or null
 * @param integrations integrations as sent ([] when absent)
 * @param metadata metadata as sent, or null
 * @param methodType supervised, dpo or reinforcement
 * @param hyperparameters requested hyperparameters ("auto" or a number, missing = "auto")
 * @param grader reinforcement grader as sent, or null
 */
record OpenAiRequest(
    String model,
    String trainingFile,
    String validationFile,
    String suffix,
    Long seed,
    ArrayNode integrations,
    ObjectNode metadata,
    String methodType,
    ObjectNode hyperparameters,
    JsonNode grader) {}
