export { Tally, Run, type TallyOptions, type StartRunOptions, type SearchRunsOptions, type ArtifactTransferOptions } from "./client.ts";
export { TallyError } from "./errors.ts";
export { splitBatches, LIMITS, type Batch } from "./batching.ts";
export { OfflineBuffer, type OfflineEntry, type ReplayResult } from "./offline.ts";
export { backoffDelay, parseRetryAfter, isRetryableStatus, type RetryOptions } from "./http.ts";
export type * from "./types.ts";
export { storagePathOf, type RegisterModelOptions, type VersionRef } from "./registry.ts";
export { dvcTrackedFile, type DvcTrackedFile, type DvcLookupOptions } from "./dvc.ts";
export type { DvcImportOptions, DvcImportResult } from "./dvc-import.ts";
