import type { Experiment } from "@/server/services/experiments";
import type { LoggedModel } from "@/server/services/logged-models";
import type { MetricPoint, Run, RunInfo } from "@/server/services/runs";

/**
 * MLflow's wire shapes of runs, experiments and logged models (snake_case, ids as strings, epoch
 * milliseconds; docs/mlflow-compat.md, "Entities"). Field order follows MLflow's server, and an absent
 * optional field is left out rather than sent as null.
 */

export function runInfoWire(run: RunInfo) {
  return {
    run_id: run.id,
    run_uuid: run.id,
    run_name: run.name,
    experiment_id: run.experimentId,
    user_id: run.userId,
    status: run.status,
    start_time: run.startTime,
    ...(run.endTime !== null ? { end_time: run.endTime } : {}),
    artifact_uri: run.artifactUri,
    lifecycle_stage: run.lifecycleStage,
  };
}

export function metricWire({ key, value, timestamp, step }: MetricPoint) {
  return { key, value, timestamp, step };
}

const keyValueWire = ({ key, value }: { key: string; value: string }) => ({ key, value });

export function runWire(run: Run) {
  return {
    info: runInfoWire(run),
    data: {
      metrics: run.metrics.map(metricWire),
      params: run.params.map(keyValueWire),
      tags: run.tags.map(keyValueWire),
    },
    inputs: {
      dataset_inputs: run.datasetInputs.map(({ dataset, tags }) => ({
        tags: tags.map(keyValueWire),
        dataset: {
          name: dataset.name,
          digest: dataset.digest,
          source_type: dataset.sourceType,
          source: dataset.source,
          ...(dataset.schema !== undefined ? { schema: dataset.schema } : {}),
          ...(dataset.profile !== undefined ? { profile: dataset.profile } : {}),
        },
      })),
      model_inputs: run.modelInputs.map((input) => ({ model_id: input.modelId })),
    },
    outputs: { model_outputs: run.modelOutputs.map((output) => ({ model_id: output.modelId, step: output.step })) },
  };
}

export function experimentWire(experiment: Experiment) {
  return {
    experiment_id: experiment.id,
    name: experiment.name,
    artifact_location: experiment.artifactLocation,
    lifecycle_stage: experiment.lifecycleStage,
    creation_time: experiment.creationTime,
    last_update_time: experiment.lastUpdateTime,
    tags: experiment.tags.map(keyValueWire),
  };
}

export function loggedModelWire(model: LoggedModel) {
  return {
    info: {
      model_id: model.id,
      experiment_id: model.experimentId,
      name: model.name,
      artifact_uri: model.artifactUri,
      creation_timestamp_ms: model.creationTime,
      last_updated_timestamp_ms: model.lastUpdateTime,
      status: model.status,
      ...(model.statusMessage ? { status_message: model.statusMessage } : {}),
      ...(model.modelType ? { model_type: model.modelType } : {}),
      ...(model.sourceRunId ? { source_run_id: model.sourceRunId } : {}),
      tags: model.tags.map(keyValueWire),
    },
    data: {
      params: model.params.map(keyValueWire),
      metrics: model.metrics.map((metric) => ({
        key: metric.key,
        value: metric.value,
        timestamp: metric.timestamp,
        step: metric.step,
        run_id: metric.runId,
        model_id: metric.modelId,
        ...(metric.datasetName !== null ? { dataset_name: metric.datasetName } : {}),
        ...(metric.datasetDigest !== null ? { dataset_digest: metric.datasetDigest } : {}),
      })),
    },
  };
}

/** A search page: the entities under `key`, and the token only when there is another page. */
export function pageWire<K extends string, T>(key: K, items: T[], nextPageToken: string | undefined) {
  return { [key]: items, ...(nextPageToken ? { next_page_token: nextPageToken } : {}) } as { [P in K]: T[] } & { next_page_token?: string };
}
