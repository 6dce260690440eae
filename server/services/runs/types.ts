import type { LifecycleStage, RunStatus } from "@/lib/tracking-states";

/** A key and its value: a run's or a logged model's param or tag. */
export type KeyValue = { key: string; value: string };

/** One metric point: the latest of its key when it comes with a run. */
export interface MetricPoint {
  key: string;
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
  step: number;
}

/** A dataset as a run recorded it; schema and profile are present only when the client sent them. */
export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

/** A dataset a run consumed, with the tags of that use (`mlflow.data.context`...). */
export interface DatasetInput {
  dataset: Dataset;
  tags: KeyValue[];
}

/** A run's own fields, without what was logged to it. Times are epoch milliseconds. */
export interface RunInfo {
  id: string;
  name: string;
  /** The MLflow experiment id (the experiment's number in its project). */
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

/** A run as Tally speaks of it; the MLflow edge maps it to its wire shape (server/http/mlflow/tracking-wire.ts). */
export interface Run extends RunInfo {
  /** The latest point of each metric key, by key. */
  metrics: MetricPoint[];
  params: KeyValue[];
  tags: KeyValue[];
  datasetInputs: DatasetInput[];
  modelInputs: { modelId: string }[];
  modelOutputs: { modelId: string; step: number }[];
}
