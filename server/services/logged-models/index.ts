export {
  createLoggedModel,
  getLoggedModel,
  finalizeLoggedModel,
  deleteLoggedModel,
  setLoggedModelTags,
  deleteLoggedModelTag,
  logLoggedModelParams,
  listLoggedModelArtifacts,
  listRunLoggedModels,
  searchLoggedModels,
} from "./logged-models";
export type { LoggedModel, LoggedModelMetric } from "./types";
