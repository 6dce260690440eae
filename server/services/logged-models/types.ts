/** A metric point logged with a model_id: the latest per key and dataset. */
export interface LoggedModelMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  runId: string;
  modelId: string;
  datasetName: string | null;
  datasetDigest: string | null;
}

/** A logged model (MLflow 3) as Tally speaks of it; the MLflow edge maps it to its wire shape. Times are epoch ms. */
export interface LoggedModel {
  id: string;
  /** The MLflow experiment id. */
  experimentId: string;
  name: string;
  artifactUri: string;
  creationTime: number;
  lastUpdateTime: number;
  status: string;
  statusMessage: string | null;
  modelType: string | null;
  sourceRunId: string | null;
  tags: { key: string; value: string }[];
  params: { key: string; value: string }[];
  metrics: LoggedModelMetric[];
}
