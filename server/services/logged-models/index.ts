export {
  createLoggedModel,
  getLoggedModel,
  finalizeLoggedModel,
  deleteLoggedModel,
  setLoggedModelTags,
  deleteLoggedModelTag,
  logLoggedModelParams,
  listLoggedModelArtifacts,
  searchLoggedModels,
} from "./logged-models";
export type { LoggedModel, LoggedModelMetric } from "./types";
