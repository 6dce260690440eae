export { importDvcLock } from "./import";
export type { DvcImportInput, DvcImportResult, DvcImportedStage, DvcImportedVersion } from "./types";
