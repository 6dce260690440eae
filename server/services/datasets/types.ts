/** One column of an MLflow `mlflow_colspec` schema. `type` is MLflow's type name, or its JSON for nested types. */
export interface DatasetColumn {
  name: string;
  type: string;
  required: boolean;
}

/**
 * A schema or profile as MLflow logged it: parsed JSON when it is JSON, the raw text otherwise
 * (clients may log anything there), `null` when none was logged.
 */
export type DatasetDocument = { kind: "json"; value: unknown } | { kind: "text"; text: string } | null;

/** A dataset name in the project, across its experiments. Times are epoch milliseconds. */
export interface DatasetSummary {
  name: string;
  /** Distinct digests logged under the name. */
  versionCount: number;
  /** Start time of the latest run that consumed any version; null when no run did. */
  lastUsed: number | null;
}

export interface DatasetPage {
  datasets: DatasetSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** How a run used a dataset version. `context` is the input's `mlflow.data.context` tag (train, eval, test...). */
export interface DatasetVersionRun {
  runId: string;
  runName: string;
  userId: string;
  startTime: number;
  /** The MLflow experiment id (the experiment's number in its project). */
  experimentId: string;
  context: string | null;
}

/** How Tally learnt of a version: an MLflow run's inputs, an OpenLineage event, a DVC lock file. */
export type DatasetOrigin = "mlflow" | "openlineage" | "dvc";

/** One distinct digest of a dataset name: a version. */
export interface DatasetVersion {
  digest: string;
  sourceType: string;
  /** The source as logged (for MLflow clients, the DatasetSource JSON). */
  source: string;
  /** The URI, URL or path inside `source`; `source` itself when it names none. */
  sourceUri: string;
  schema: DatasetDocument;
  /** The schema's columns when it is an `mlflow_colspec` schema; null otherwise. */
  columns: DatasetColumn[] | null;
  profile: DatasetDocument;
  origin: DatasetOrigin;
  /**
   * User id of the first run that consumed this version, and that run's start time; for a version no
   * run used, who imported it and when.
   */
  firstLoggedBy: string | null;
  firstLoggedAt: number | null;
  runCount: number;
  /** The latest runs that used the version (at most RUNS_PER_VERSION); page on with `datasetVersionRuns`. */
  runs: DatasetVersionRun[];
  nextRunsCursor: string | null;
}

export interface DatasetDetail {
  name: string;
  /** Newest first by first use. */
  versions: DatasetVersion[];
}

export interface DatasetVersionRunsPage {
  runs: DatasetVersionRun[];
  nextCursor: string | null;
}

export interface DatasetSchemaDiff {
  added: DatasetColumn[];
  removed: DatasetColumn[];
  typeChanged: { name: string; from: string; to: string }[];
}
