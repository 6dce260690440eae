import path from "node:path";
import { AppError, badInput, notFound } from "@/lib/errors";
import {
  artifactStore,
  joinKey,
  normalizeArtifactPath,
  type ByteRange,
  type CompletedPart,
  type ListEntry,
  type ObjectBody,
  type ObjectRead,
} from "@/server/storage";
import { assertScope, type ProjectAccess } from "../access";
import { findRun } from "../runs/internal";

/**
 * Artifacts of a project, for the MLflow proxied-artifact API and the web app. Paths are MLflow's
 * opaque namespace (`<experiment>/<run_id>/artifacts/<file>`); every key is confined under the
 * project's own prefix, so no path, however encoded, reaches another project's objects.
 */

/** Seconds a presigned link stays valid. */
const PRESIGN_SECONDS = 15 * 60;
const MLFLOW_ARTIFACTS_SCHEME = "mlflow-artifacts:";

/** A raw (still percent-encoded) path from a URL, confined to the project. */
export function projectKeyOf(access: ProjectAccess, rawPath: string): string {
  return joinKey(access.project.id, normalizeArtifactPath(rawPath));
}

/** A path that is already decoded (query parameters, JSON fields), confined to the project. */
function projectKeyOfDecoded(access: ProjectAccess, decodedPath: string): string {
  return joinKey(access.project.id, decodedPath);
}

const objectKey = (key: string) => {
  if (!key.includes("/")) throw badInput("An artifact path must name a file");
  return key;
};

export async function putArtifact(
  access: ProjectAccess,
  rawPath: string,
  body: ObjectBody,
  options: { size?: number; contentType?: string },
): Promise<{ size: number }> {
  assertScope(access, "runs:write");
  return artifactStore().put(objectKey(projectKeyOf(access, rawPath)), body, options);
}

/** Store errors name storage keys (project id included); people know an artifact by its path. */
async function asArtifact<T>(artifactPath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") throw notFound(`No artifact stored at ${JSON.stringify(artifactPath)}`);
    throw error;
  }
}

export async function readArtifact(access: ProjectAccess, rawPath: string, range?: ByteRange): Promise<ObjectRead> {
  assertScope(access, "project:read");
  const key = objectKey(projectKeyOf(access, rawPath));
  return asArtifact(normalizeArtifactPath(rawPath), () => artifactStore().get(key, range));
}

/** Size, type and age of an artifact; NOT_FOUND when missing. */
export async function statArtifact(access: ProjectAccess, rawPath: string) {
  assertScope(access, "project:read");
  const info = await artifactStore().stat(objectKey(projectKeyOf(access, rawPath)));
  if (!info) throw notFound(`No artifact stored at ${JSON.stringify(normalizeArtifactPath(rawPath))}`);
  return info;
}

export async function deleteArtifact(access: ProjectAccess, rawPath: string): Promise<void> {
  assertScope(access, "runs:delete");
  const key = objectKey(projectKeyOf(access, rawPath));
  const store = artifactStore();
  // MLflow's DELETE removes a file or a whole folder.
  if (await store.stat(key)) await store.delete(key);
  else await store.deletePrefix(key);
}

/** The immediate children of a folder (decoded path; "" is the project's root); a missing folder is empty. */
export async function listArtifacts(access: ProjectAccess, decodedPath: string): Promise<ListEntry[]> {
  assertScope(access, "project:read");
  return artifactStore().list(projectKeyOfDecoded(access, decodedPath));
}

/** The storage path of a run's artifact root, from its `mlflow-artifacts:/…` URI; null for other URIs. */
export function storagePathOf(artifactUri: string): string | null {
  if (!artifactUri.startsWith(MLFLOW_ARTIFACTS_SCHEME)) return null;
  return artifactUri.slice(MLFLOW_ARTIFACTS_SCHEME.length).replace(/^\/+/, "");
}

/** The run's artifact folder in storage (decoded); BAD_INPUT when its artifacts live elsewhere. */
export async function runArtifactRoot(access: ProjectAccess, runId: string): Promise<{ root: string; artifactUri: string }> {
  assertScope(access, "project:read");
  const run = await findRun(access, runId);
  const root = storagePathOf(run.artifactUri);
  if (root === null) throw badInput(`Run ${runId} stores its artifacts at ${run.artifactUri}, outside Tally`);
  return { root, artifactUri: run.artifactUri };
}

/** A folder of a run's artifacts, `relativePath` under its artifact root ("" for the root). */
export async function listRunArtifacts(access: ProjectAccess, runId: string, relativePath: string): Promise<ListEntry[]> {
  const { artifactUri } = await runArtifactRoot(access, runId);
  return listArtifactsUnder(access, artifactUri, relativePath);
}

/** A folder under an artifact root URI such as a logged model's, `relativePath` below it. */
export async function listArtifactsUnder(access: ProjectAccess, artifactUri: string, relativePath: string): Promise<ListEntry[]> {
  const root = storagePathOf(artifactUri);
  if (root === null) throw badInput(`Artifacts at ${artifactUri} are stored outside Tally`);
  return listArtifacts(access, path.posix.join(root, relativePathOf(relativePath)));
}

/** Opens one of a run's artifacts, `relativePath` under its artifact root. */
export async function readRunArtifact(access: ProjectAccess, runId: string, relativePath: string, range?: ByteRange) {
  const { root } = await runArtifactRoot(access, runId);
  const key = objectKey(projectKeyOfDecoded(access, path.posix.join(root, relativePathOf(relativePath))));
  return asArtifact(relativePath, () => artifactStore().get(key, range));
}

/** Opens a file under an artifact root URI such as a logged model's or a registered version's, `relativePath` below it. */
export async function readArtifactUnder(access: ProjectAccess, artifactUri: string, relativePath: string, range?: ByteRange): Promise<ObjectRead> {
  const root = storagePathOf(artifactUri);
  if (root === null) throw badInput(`Artifacts at ${artifactUri} are stored outside Tally`);
  assertScope(access, "project:read");
  const key = objectKey(projectKeyOfDecoded(access, path.posix.join(root, relativePathOf(relativePath))));
  return asArtifact(relativePath, () => artifactStore().get(key, range));
}

function relativePathOf(relativePath: string): string {
  // joinKey below refuses "..", absolute paths and backslashes; an empty path is the root itself.
  if (relativePath.startsWith("/") || relativePath.split("/").includes("..")) {
    throw badInput(`Artifact path ${JSON.stringify(relativePath)} must stay inside its artifact folder`);
  }
  return relativePath;
}

/** Whether clients can upload parts straight to storage (S3); the filesystem store cannot sign URLs. */
export function multipartSupported(): boolean {
  return artifactStore().kind === "s3";
}

/** MLflow names a multipart upload by the folder in its URL and the client's local file name. */
const uploadKey = (access: ProjectAccess, rawFolder: string, fileName: string) =>
  objectKey(joinKey(projectKeyOf(access, rawFolder), path.posix.basename(fileName)));

/**
 * Starts a multipart upload of `fileName` into folder `rawFolder` and signs one URL per part, which
 * the client PUTs to directly (MLflow's protocol).
 */
export async function createArtifactUpload(
  access: ProjectAccess,
  rawFolder: string,
  fileName: string,
  parts: number,
): Promise<{ uploadId: string; credentials: { partNumber: number; url: string }[] }> {
  assertScope(access, "runs:write");
  const key = uploadKey(access, rawFolder, fileName);
  if (!Number.isSafeInteger(parts) || parts < 1 || parts > 10_000) throw badInput("num_parts must be from 1 to 10000");
  const store = artifactStore();
  const uploadId = await store.createMultipartUpload(key);
  const credentials = [];
  for (let partNumber = 1; partNumber <= parts; partNumber++) {
    const url = await store.presignPart(key, uploadId, partNumber, PRESIGN_SECONDS);
    if (url === null) throw badInput("This artifact store cannot sign upload URLs");
    credentials.push({ partNumber, url });
  }
  return { uploadId, credentials };
}

export async function completeArtifactUpload(
  access: ProjectAccess,
  rawFolder: string,
  fileName: string,
  uploadId: string,
  parts: CompletedPart[],
): Promise<void> {
  assertScope(access, "runs:write");
  const key = uploadKey(access, rawFolder, fileName);
  await artifactStore().completeMultipartUpload(key, uploadId, parts);
}

export async function abortArtifactUpload(access: ProjectAccess, rawFolder: string, fileName: string, uploadId: string): Promise<void> {
  assertScope(access, "runs:write");
  const key = uploadKey(access, rawFolder, fileName);
  await artifactStore().abortMultipartUpload(key, uploadId);
}

/** A short-lived direct download link, or null when the store cannot sign (the caller streams instead). */
export async function presignArtifactDownload(access: ProjectAccess, rawPath: string): Promise<{ url: string; size: number } | null> {
  assertScope(access, "project:read");
  const key = objectKey(projectKeyOf(access, rawPath));
  const info = await statArtifact(access, rawPath);
  const url = await artifactStore().presignGet(key, PRESIGN_SECONDS);
  return url === null ? null : { url, size: info.size };
}
