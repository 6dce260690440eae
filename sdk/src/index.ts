export { Tally, Run, type TallyOptions, type StartRunOptions, type SearchRunsOptions, type ArtifactTransferOptions } from "./client.ts";
export { TallyError } from "./errors.ts";
export { splitBatches, LIMITS, type Batch } from "./batching.ts";
export { OfflineBuffer, type OfflineEntry, type ReplayResult } from "./offline.ts";
export { backoffDelay, parseRetryAfter, isRetryableStatus, type RetryOptions } from "./http.ts";
export type * from "./types.ts";
export { storagePathOf, type RegisterModelOptions, type VersionRef } from "./registry.ts";
export { captureSource, SOURCE_TAGS, SOURCE_DIFF_ARTIFACT, MAX_DIFF_BYTES, type SourceCaptureOptions, type CapturedSource } from "./source.ts";
