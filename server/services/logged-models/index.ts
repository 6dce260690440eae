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
  type LoggedModelView,
} from "./logged-models";
