export { listDatasets } from "./list";
export { getDataset, datasetVersionRuns, RUNS_PER_VERSION } from "./detail";
export { datasetSchemaDiff } from "./schema-diff";
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
export { sourceLocation } from "./documents";
