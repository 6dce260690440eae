import path from "node:path";
import type { Env } from "@/lib/env";
import { config } from "@/server/config";
import { FilesystemObjectStore } from "./fs-store";
import type { ObjectStore } from "./object-store";
import { S3ObjectStore } from "./s3-store";

export { decodeArtifactPath, joinKey, normalizeArtifactPath } from "./keys";
export { MAX_PROXIED_PART_BYTES, MIN_PART_BYTES } from "./rules";
export {
  DEFAULT_CONTENT_TYPE,
  type ByteRange,
  type CompletedPart,
  type ListEntry,
  type ObjectBody,
  type ObjectInfo,
  type ObjectRead,
  type ObjectStore,
  type PutOptions,
} from "./object-store";

let store: ObjectStore | undefined;

/** The artifact store this process is configured for (one per process, so its bucket check runs once). */
export function artifactStore(): ObjectStore {
  store ??= storeFor(config());
  return store;
}

/** Replaces the process's store, e.g. to run the same integration tests against each backend. */
export function useArtifactStore(replacement: ObjectStore): void {
  store = replacement;
}

/** Where the filesystem backend keeps artifacts (when S3_ENDPOINT is unset). */
export const artifactFolder = (env: Env) => path.resolve(env.TALLY_HOME, "artifacts");

/** S3 when S3_ENDPOINT is set; otherwise files under TALLY_HOME/artifacts. */
export function storeFor(env: Env): ObjectStore {
  if (!env.S3_ENDPOINT) return new FilesystemObjectStore(artifactFolder(env));
  // parseEnv guarantees these when S3_ENDPOINT is set.
  if (!env.S3_BUCKET || !env.S3_ACCESS_KEY || !env.S3_SECRET_KEY) throw new Error("S3 settings are incomplete");
  return new S3ObjectStore({
    endpoint: env.S3_ENDPOINT,
    publicEndpoint: env.S3_PUBLIC_ENDPOINT ?? env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    accessKey: env.S3_ACCESS_KEY,
    secretKey: env.S3_SECRET_KEY,
    pathStyle: env.S3_FORCE_PATH_STYLE,
  });
}
