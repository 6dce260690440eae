import path from "node:path";
import type { Env } from "@/lib/env";
import { artifactFolder, storeFor } from "@/server/storage";
import { S3ObjectStore } from "@/server/storage/s3-store";
import type { Inventory } from "./s3-inventory";

/** Where an instance keeps what a backup holds besides its database. */
export interface InstanceFiles {
  /** TALLY_HOME, where the instance secret lives unless TALLY_AUTH_SECRET is set. */
  home: string;
  authSecretFromEnvironment: boolean;
  artifacts: { store: "filesystem"; folder: string } | { store: "s3"; inventory: Inventory };
}

export const AUTH_SECRET_FILE = "auth-secret";

/** The instance this process is configured for (the same TALLY_HOME and artifact store the server uses). */
export function instanceFilesOf(env: Env): InstanceFiles {
  const common = { home: path.resolve(env.TALLY_HOME), authSecretFromEnvironment: env.TALLY_AUTH_SECRET !== undefined };
  if (!env.S3_ENDPOINT) return { ...common, artifacts: { store: "filesystem", folder: artifactFolder(env) } };
  const store = storeFor(env);
  if (!(store instanceof S3ObjectStore)) throw new Error("S3_ENDPOINT is set but the artifact store is not S3");
  return { ...common, artifacts: { store: "s3", inventory: { bucket: store.bucket, objects: () => store.inventory() } } };
}
