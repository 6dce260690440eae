/**
 * The model registry over the MLflow REST API (`registered-models/*`, `model-versions/*`): register a
 * version, move aliases, read versions, and download a version's files through the artifact API.
 */
import * as artifacts from "./artifacts.ts";
import type { ArtifactContext } from "./artifacts.ts";
import { TallyError } from "./errors.ts";
import type { ModelVersion, ModelVersionStage, TransferProgress } from "./types.ts";
import { decodeInt } from "./wire.ts";

/** What the registry calls need from the client. */
export interface RegistryContext extends ArtifactContext {
  mlflowUrl(apiPath: string): string;
}

export interface RegisterModelOptions {
  /** Registered model name; the model is created when it does not exist. */
  name: string;
  /** Where the files are: `runs:/<run_id>/<path>`, `models:/<model_id>` or an `mlflow-artifacts:/` URI. */
  source: string;
  runId?: string;
  /** The MLflow 3 logged model the version registers. */
  modelId?: string;
  description?: string;
  tags?: Record<string, string>;
}

/** A version by number, or the version an alias points at. */
export type VersionRef = number | string | { alias: string };

type Json = Record<string, unknown>;

function call<T = Json>(tally: RegistryContext, method: "GET" | "POST" | "DELETE", apiPath: string, fields: Json): Promise<T> {
  const url = tally.mlflowUrl(apiPath);
  if (method === "GET") {
    const query = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
    return tally.http.json<T>(url, { method, query });
  }
  return tally.http.json<T>(url, { method, json: fields });
}

function checkVersion(version: number | string): string {
  const text = String(version);
  if (!/^[1-9]\d*$/.test(text)) throw new TallyError("INVALID_PARAMETER_VALUE", `a model version is a positive integer, got ${JSON.stringify(version)}`);
  return text;
}

/**
 * Registers a new version of `name` from `source`, creating the registered model first when needed. As
 * in mlflow's `register_model`, a model that already exists (or is created concurrently) is fine.
 * Not retried blindly by the caller: every successful create is a new version number.
 */
export async function registerModel(tally: RegistryContext, options: RegisterModelOptions): Promise<ModelVersion> {
  try {
    await call(tally, "POST", "/registered-models/create", { name: options.name });
  } catch (error) {
    if (!(error instanceof TallyError && error.errorCode === "RESOURCE_ALREADY_EXISTS")) throw error;
  }
  const body = await call(tally, "POST", "/model-versions/create", {
    name: options.name,
    source: options.source,
    ...(options.runId ? { run_id: options.runId } : {}),
    ...(options.modelId ? { model_id: options.modelId } : {}),
    ...(options.description ? { description: options.description } : {}),
    tags: Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value: String(value) })),
  });
  return decodeModelVersion(body.model_version);
}

export async function getVersion(tally: RegistryContext, name: string, version: number | string): Promise<ModelVersion> {
  const body = await call(tally, "GET", "/model-versions/get", { name, version: checkVersion(version) });
  return decodeModelVersion(body.model_version);
}

export async function getVersionByAlias(tally: RegistryContext, name: string, alias: string): Promise<ModelVersion> {
  const body = await call(tally, "GET", "/registered-models/alias", { name, alias });
  return decodeModelVersion(body.model_version);
}

/** Points `alias` at a version of `name`, moving it if it pointed at another. */
export async function setAlias(tally: RegistryContext, name: string, alias: string, version: number | string): Promise<void> {
  await call(tally, "POST", "/registered-models/alias", { name, alias, version: checkVersion(version) });
}

/** Removes an alias (removing one that does not exist is not an error). */
export async function deleteAlias(tally: RegistryContext, name: string, alias: string): Promise<void> {
  await call(tally, "DELETE", "/registered-models/alias", { name, alias });
}

export async function resolveVersion(tally: RegistryContext, name: string, ref: VersionRef): Promise<ModelVersion> {
  return typeof ref === "object" ? getVersionByAlias(tally, name, ref.alias) : getVersion(tally, name, ref);
}

/**
 * Storage path of an `mlflow-artifacts:` URI (`mlflow-artifacts:/1/<run>/artifacts/model` →
 * `1/<run>/artifacts/model`), or of the proxied artifact API's URL; undefined for anything else.
 */
export function storagePathOf(uri: string): string | undefined {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.+?)\/*$/.exec(uri);
  if (match?.[1]) return match[1];
  return /\/api\/2\.0\/mlflow-artifacts\/artifacts\/(.+?)\/*$/.exec(uri)?.[1];
}

/**
 * Downloads a version's files (get-download-uri, then the artifact API): a folder's contents into
 * `dest`, a single file to `dest/<its name>`. Returns the local path and the version downloaded.
 */
export async function downloadVersion(
  tally: RegistryContext,
  name: string,
  ref: VersionRef,
  dest: string,
  onProgress?: (progress: TransferProgress) => void,
): Promise<{ path: string; version: ModelVersion }> {
  const version = await resolveVersion(tally, name, ref);
  const body = await call(tally, "GET", "/model-versions/get-download-uri", { name, version: String(version.version) });
  const uri = String(body.artifact_uri ?? "");
  const root = storagePathOf(uri);
  if (!root) {
    throw new TallyError("UNSUPPORTED_SOURCE", `version ${version.version} of "${name}" is stored at ${uri || "(nothing)"}, not in Tally's artifact store`);
  }
  if ((await artifacts.list(tally, root, "")).length > 0) {
    return { path: await artifacts.download(tally, root, "", dest, onProgress), version };
  }
  // Nothing listed under it: a single file (or nothing, which the GET reports as not found).
  const cut = root.lastIndexOf("/");
  const local = await artifacts.download(tally, cut < 0 ? "" : root.slice(0, cut), root.slice(cut + 1), dest, onProgress);
  return { path: local, version };
}

function keyValues(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) for (const item of raw as Json[]) out[String(item.key)] = String(item.value ?? "");
  return out;
}

export function decodeModelVersion(raw: unknown): ModelVersion {
  const v = (raw ?? {}) as Json;
  return {
    name: String(v.name ?? ""),
    version: decodeInt(v.version),
    source: String(v.source ?? ""),
    ...(v.run_id ? { runId: String(v.run_id) } : {}),
    ...(v.model_id ? { modelId: String(v.model_id) } : {}),
    status: String(v.status ?? "READY"),
    stage: String(v.current_stage ?? "None") as ModelVersionStage,
    description: String(v.description ?? ""),
    ...(v.user_id ? { userId: String(v.user_id) } : {}),
    createdAt: decodeInt(v.creation_timestamp),
    updatedAt: decodeInt(v.last_updated_timestamp),
    aliases: Array.isArray(v.aliases) ? v.aliases.map(String) : [],
    tags: keyValues(v.tags),
  };
}
