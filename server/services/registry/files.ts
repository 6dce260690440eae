import { AppError, badInput, notFound } from "@/lib/errors";
import type { ByteRange } from "@/server/storage";
import type { ProjectAccess } from "../access";
import { listArtifactsUnder, readArtifactUnder, runArtifactRoot, storagePathOf, type ListEntry, type ObjectRead } from "../artifacts";
import { getLoggedModel } from "../logged-models";
import { parseMlmodel, type ParsedMlmodel } from "./mlmodel";
import type { ModelVersion } from "./types";
import { getModelVersion } from "./versions";

/**
 * Where a version's files are: under its source run's artifacts (`prefix` is the model's folder there,
 * so the run's own artifact route serves them) or under its logged model's artifacts.
 */
export type VersionFilesRoot =
  | { kind: "run"; runId: string; prefix: string; storageLocation: string }
  | { kind: "logged-model"; loggedModelId: string; prefix: string; storageLocation: string };

/** An MLmodel and its input example are read up to this size. */
const MAX_MLMODEL_BYTES = 256 * 1024;
const MAX_EXAMPLE_BYTES = 64 * 1024;

const isMissing = (error: unknown) => error instanceof AppError && error.code === "NOT_FOUND";

/** `location` below `root` (both storage paths): the folder between them, or null when it is not inside. */
function below(root: string, location: string): string | null {
  const base = root.replace(/\/+$/, "");
  if (location === base) return "";
  return location.startsWith(`${base}/`) ? location.slice(base.length + 1) : null;
}

async function rootOf(access: ProjectAccess, version: ModelVersion): Promise<VersionFilesRoot> {
  const location = storagePathOf(version.storageLocation)?.replace(/\/+$/, "");
  if (location === undefined) throw badInput(`Version ${version.version} of ${version.modelName} stores its files at ${version.storageLocation}, outside Tally`);
  if (version.runId) {
    try {
      const { root } = await runArtifactRoot(access, version.runId);
      const prefix = below(root, location);
      if (prefix !== null) return { kind: "run", runId: version.runId, prefix, storageLocation: version.storageLocation };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  if (version.loggedModelId) {
    try {
      const model = await getLoggedModel(access, version.loggedModelId, true);
      const root = storagePathOf(model.artifactUri);
      const prefix = root === null ? null : below(root, location);
      if (prefix !== null) return { kind: "logged-model", loggedModelId: version.loggedModelId, prefix, storageLocation: version.storageLocation };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  throw notFound(`The files of version ${version.version} of ${version.modelName} are not a run's or logged model's artifacts in this project`);
}

/** Where a version's files are stored; NOT_FOUND when they are not its run's or logged model's artifacts in this project. */
export async function versionFilesRoot(access: ProjectAccess, name: string, version: number): Promise<VersionFilesRoot> {
  return rootOf(access, await getModelVersion(access, name, version));
}

/** A folder of a version's files, `relativePath` under its storage location ("" for the top). */
export async function listVersionFiles(access: ProjectAccess, name: string, version: number, relativePath: string): Promise<ListEntry[]> {
  const root = await versionFilesRoot(access, name, version);
  return listArtifactsUnder(access, root.storageLocation, relativePath);
}

/** Opens one of a version's files, `relativePath` under its storage location. */
export async function readVersionFile(
  access: ProjectAccess,
  name: string,
  version: number,
  relativePath: string,
  range?: ByteRange,
): Promise<ObjectRead> {
  const root = await versionFilesRoot(access, name, version);
  return readArtifactUnder(access, root.storageLocation, relativePath, range);
}

/** The first `limit` bytes of a file as text, and whether it holds more. */
async function readText(object: ObjectRead, limit: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of object.body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buffer);
      length += buffer.length;
      if (length >= limit) break;
    }
  } finally {
    object.body.destroy();
  }
  return { text: Buffer.concat(chunks).subarray(0, limit).toString("utf8"), truncated: object.size > limit };
}

export interface VersionSignature {
  /** The MLmodel's parsed contents; null when the version's files hold no `MLmodel`. */
  mlmodel: ParsedMlmodel | null;
  /** Why the MLmodel could not be read, when it exists but does not parse. */
  problem: string | null;
  /** The start of the input example the MLmodel names, when it is stored. */
  inputExample: { path: string; text: string; truncated: boolean } | null;
}

/** The version's `MLmodel`: flavors, signature and input example, as the version page shows them. */
export async function versionSignature(access: ProjectAccess, name: string, version: number): Promise<VersionSignature> {
  const root = await versionFilesRoot(access, name, version);
  const read = async (relativePath: string, limit: number) => {
    try {
      return await readText(await readArtifactUnder(access, root.storageLocation, relativePath), limit);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  };
  const file = await read("MLmodel", MAX_MLMODEL_BYTES);
  if (!file) return { mlmodel: null, problem: null, inputExample: null };
  let mlmodel: ParsedMlmodel;
  try {
    if (file.truncated) throw new Error(`The MLmodel file is larger than ${MAX_MLMODEL_BYTES / 1024} KiB`);
    mlmodel = parseMlmodel(file.text);
  } catch (error) {
    return { mlmodel: null, problem: error instanceof Error ? error.message : String(error), inputExample: null };
  }
  const examplePath = mlmodel.inputExample?.path;
  const safe = examplePath && !examplePath.startsWith("/") && !examplePath.split("/").includes("..");
  const example = safe ? await read(examplePath, MAX_EXAMPLE_BYTES) : null;
  return { mlmodel, problem: null, inputExample: example && examplePath ? { path: examplePath, ...example } : null };
}
