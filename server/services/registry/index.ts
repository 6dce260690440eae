export {
  createRegisteredModel,
  getRegisteredModel,
  renameRegisteredModel,
  updateRegisteredModel,
  deleteRegisteredModel,
  setRegisteredModelTag,
  deleteRegisteredModelTag,
} from "./models";
export {
  createModelVersion,
  getModelVersion,
  modelVersionDownloadUri,
  updateModelVersion,
  deleteModelVersion,
  transitionModelVersionStage,
  latestModelVersions,
  setModelVersionTag,
  deleteModelVersionTag,
  type NewModelVersion,
} from "./versions";
export { setModelAlias, deleteModelAlias, modelVersionByAlias } from "./aliases";
export { modelHistory } from "./history";
export type { RegisteredModel, ModelVersion, RegistryHistoryEntry, RegistryEventKind } from "./types";
export { searchRegisteredModels, searchModelVersions, quotedSearchValue, type RegistrySearch } from "./search";
export { runRegistry, registerLoggedModel, type RunRegistry } from "./from-runs";
export { registeredModelDetail, modelVersionDetail, type SourceRunSummary } from "./detail";
export { versionFilesRoot, listVersionFiles, readVersionFile, versionSignature, type VersionFilesRoot, type VersionSignature } from "./files";
export { parseMlmodel, type ParsedMlmodel, type SignatureField, type SignatureParam, type MlmodelFlavor } from "./mlmodel";
export { compareModelVersions, type VersionComparison, type ComparedVersion, type ComparedDataset } from "./compare-versions";
