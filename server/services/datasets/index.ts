export { listDatasets } from "./list";
export { getDataset, datasetVersionRuns, RUNS_PER_VERSION } from "./detail";
export { datasetSchemaDiff } from "./schema-diff";
export { sourceLocation } from "./documents";
export type {
  DatasetColumn,
  DatasetDocument,
  DatasetSummary,
  DatasetPage,
  DatasetVersion,
  DatasetVersionRun,
  DatasetDetail,
  DatasetVersionRunsPage,
  DatasetSchemaDiff,
  DatasetOrigin,
} from "./types";
