/** Decoded MLflow entities as the SDK returns them (numbers decoded, NaN/Infinity restored). */

export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId?: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: string;
}

export interface RunData {
  metrics: Metric[];
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface RunRecord {
  info: RunInfo;
  data: RunData;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
}

export interface WhoAmI {
  project: { slug: string; name: string };
  token: { id: string; name: string; scopes: string[]; expiresAt: string | null };
}

export interface FileInfo {
  path: string;
  isDir: boolean;
  fileSize?: number;
}

export interface TransferProgress {
  /** Artifact path (relative to the run's artifact root) or local file being moved. */
  path: string;
  bytes: number;
  /** Total bytes when known. */
  total?: number;
}

/** MLflow's model version stages (aliases are the preferred way to name versions). */
export type ModelVersionStage = "None" | "Staging" | "Production" | "Archived";

export interface ModelVersion {
  /** The registered model's name. */
  name: string;
  version: number;
  /** As registered: `runs:/<run_id>/<path>`, `models:/<model_id>`, or a storage URI. */
  source: string;
  runId?: string;
  /** The MLflow 3 logged model it registers. */
  modelId?: string;
  status: string;
  stage: ModelVersionStage;
  description: string;
  /** Who registered it (a user's email or a token's label). */
  userId?: string;
  createdAt: number;
  updatedAt: number;
  aliases: string[];
  tags: Record<string, string>;
}

/** A dataset a run read (or, with context "output", wrote), as MLflow's `log_input` sends it. */
export interface DatasetInput {
  name: string;
  digest: string;
  /** Where it lives: `local`, `s3`, `http`, `dvc`... */
  sourceType: string;
  /** The source as JSON, e.g. `{"uri": "s3://bucket/train.parquet"}`. */
  source: string;
  schema?: string;
  profile?: string;
  /** How the run used it (train, eval, test...): the input tag `mlflow.data.context`. */
  context?: string;
}
