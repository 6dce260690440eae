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
export { LOGGED_MODEL_STATUSES, type LoggedModel, type LoggedModelMetric } from "./types";
