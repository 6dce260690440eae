export {
  DEFAULT_EXPERIMENT_NUMBER,
  ensureDefaultExperiment,
  getExperiment,
  getExperimentByName,
  createExperiment,
  renameExperiment,
  setExperimentLifecycle,
  setExperimentTag,
  deleteExperimentTag,
} from "./experiments";
export { toExperimentView, experimentSelect, type ExperimentView } from "./views";
export { searchExperiments } from "./search";
export { listExperimentSummaries, type ExperimentSummary } from "./overview";
