export {
  getExperiment,
  getExperimentByName,
  createExperiment,
  renameExperiment,
  setExperimentLifecycle,
  setExperimentTag,
  deleteExperimentTag,
} from "./experiments";
export type { Experiment } from "./types";
export { searchExperiments } from "./search";
export { listExperimentSummaries, type ExperimentSummary } from "./overview";
