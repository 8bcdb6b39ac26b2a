package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A validated create-tuningJob request.
 *
 * @param specField {@code supervisedTuningSpec} or {@code preferenceOptimizationSpec}
 * @param spec the tuning spec, normalized (int64 as strings)
 * @param trainingDatasetUri the training dataset
 * @param labels labels as sent (empty when none)
 * @param echo the other input fields to return as sent (baseModel / preTunedModel,
 *     tunedModelDisplayName, description, encryptionSpec, serviceAccount)
 */
record VertexRequest(
    String specField,
    ObjectNode spec,
    String trainingDatasetUri,
    Map<String, String> labels,
    ObjectNode echo) {}
