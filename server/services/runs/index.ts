export { createRun, getRun, updateRun, setRunLifecycle, RUN_NAME_TAG } from "./runs";
export { logBatch, deleteRunTag, logInputs, logOutputs, type LogBatchInput } from "./logging";
export { recordLoggedModel } from "./log-model";
export { getMetricHistory, getMetricHistoryBulkInterval, getDownsampledHistory, MAX_HISTORY_PAGE } from "./history";
export type { Run, RunInfo, MetricPoint, KeyValue, Dataset, DatasetInput } from "./types";
export { searchRuns } from "./search";
export { getRunDetail, type RunDetail, type RunLink } from "./detail";
