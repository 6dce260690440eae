import { lifecycleStageOf, runStatusOf, type LifecycleStage, type RunStatus } from "@/lib/tracking-states";

/** MLflow wire shapes of a run (docs/mlflow-compat.md, "Entities"). */
export interface RunInfoView {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

export interface MetricView {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface DatasetView {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface RunView {
  info: RunInfoView;
  data: {
    metrics: MetricView[];
    params: { key: string; value: string }[];
    tags: { key: string; value: string }[];
  };
  inputs: {
    dataset_inputs: { tags: { key: string; value: string }[]; dataset: DatasetView }[];
    model_inputs: { model_id: string }[];
  };
  outputs: { model_outputs: { model_id: string; step: number }[] };
}

export interface RunInfoRow {
  id: string;
  name: string;
  userId: string;
  status: string;
  startTime: bigint;
  endTime: bigint | null;
  artifactUri: string;
  lifecycleStage: string;
  experiment: { number: number };
}

export const runInfoSelect = {
  id: true,
  seq: true,
  name: true,
  userId: true,
  status: true,
  startTime: true,
  endTime: true,
  artifactUri: true,
  lifecycleStage: true,
  experiment: { select: { number: true } },
} as const;

export function toRunInfoView(row: RunInfoRow): RunInfoView {
  return {
    run_id: row.id,
    run_uuid: row.id,
    run_name: row.name,
    experiment_id: String(row.experiment.number),
    user_id: row.userId,
    status: runStatusOf(row.status),
    start_time: Number(row.startTime),
    ...(row.endTime !== null ? { end_time: Number(row.endTime) } : {}),
    artifact_uri: row.artifactUri,
    lifecycle_stage: lifecycleStageOf(row.lifecycleStage),
  };
}
