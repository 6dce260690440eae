/**
 * Artifacts through the server's proxied artifact API (`/api/2.0/mlflow-artifacts`). Uploads stream the
 * file (never read whole into memory); downloads stream to a temporary file renamed into place.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { TallyError } from "./errors.ts";
import type { HttpClient } from "./http.ts";
import type { FileInfo, TransferProgress } from "./types.ts";

/** What artifact transfers need from the client. */
export interface ArtifactContext {
  base: string;
  http: HttpClient;
}

type Progress = ((progress: TransferProgress) => void) | undefined;

const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".txt": "text/plain",
  ".log": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".html": "text/html",
  ".yaml": "application/x-yaml",
  ".yml": "application/x-yaml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
};

/** Joins artifact path parts, dropping empty segments; rejects `..` and absolute paths. */
export function joinArtifactPath(...parts: string[]): string {
  const segments = parts.flatMap((part) => part.split(/[\\/]+/)).filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw new TallyError("INVALID_PARAMETER_VALUE", `artifact paths may not contain "..": ${parts.join("/")}`);
  return segments.join("/");
}

function encodePath(storagePath: string): string {
  return storagePath.split("/").map(encodeURIComponent).join("/");
}

function artifactsUrl(tally: ArtifactContext, storagePath?: string): string {
  const root = `${tally.base}/api/2.0/mlflow-artifacts/artifacts`;
  return storagePath === undefined ? root : `${root}/${encodePath(storagePath)}`;
}

/** Every file under a folder, as paths relative to it (sorted, so uploads are deterministic). */
async function walk(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await walk(dir, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

async function* counting(source: AsyncIterable<Buffer | Uint8Array>, onChunk: (bytes: number) => void) {
  for await (const chunk of source) {
    onChunk(chunk.length);
    yield chunk instanceof Buffer ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) : chunk;
  }
}

async function putFile(tally: ArtifactContext, file: string, storagePath: string, size: number, report: (delta: number) => void) {
  let sentThisAttempt = 0;
  await tally.http.request(artifactsUrl(tally, storagePath), {
    method: "PUT",
    headers: {
      "Content-Type": CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      // The size seen before sending: the server refuses a body of any other length (a file that
      // changed while being read) instead of storing it truncated.
      "Content-Length": String(size),
    },
    body: () => {
      // A retry re-reads the file from the start: take back what the failed attempt reported.
      if (sentThisAttempt > 0) report(-sentThisAttempt);
      sentThisAttempt = 0;
      return counting(createReadStream(file), (bytes) => {
        sentThisAttempt += bytes;
        report(bytes);
      });
    },
  });
}

/** Stores bytes held in memory as one artifact, `artifactPath` under the run's artifact root. */
export async function putBytes(tally: ArtifactContext, root: string, artifactPath: string, bytes: Uint8Array, contentType: string): Promise<void> {
  await tally.http.request(artifactsUrl(tally, joinArtifactPath(root, artifactPath)), {
    method: "PUT",
    headers: { "Content-Type": contentType, "Content-Length": String(bytes.length) },
    body: () => bytes,
  });
}

export async function upload(
  tally: ArtifactContext,
  root: string,
  localPath: string,
  artifactPath: string | undefined,
  onProgress: Progress,
): Promise<{ files: number; bytes: number }> {
  const info = await stat(localPath).catch(() => undefined);
  if (!info) throw new TallyError("RESOURCE_DOES_NOT_EXIST", `no such file or folder: ${localPath}`);
  const jobs: { file: string; storagePath: string; size: number }[] = [];
  if (info.isDirectory()) {
    for (const relative of await walk(localPath)) {
      const file = path.join(localPath, relative);
      jobs.push({ file, storagePath: joinArtifactPath(root, artifactPath ?? "", relative), size: (await stat(file)).size });
    }
  } else {
    jobs.push({ file: localPath, storagePath: joinArtifactPath(root, artifactPath ?? "", path.basename(localPath)), size: info.size });
  }
  const total = jobs.reduce((sum, job) => sum + job.size, 0);
  let bytes = 0;
  for (const job of jobs) {
    const label = job.storagePath.slice(root.length + 1);
    await putFile(tally, job.file, job.storagePath, job.size, (delta) => {
      bytes += delta;
      onProgress?.({ path: label, bytes, total });
    });
  }
  return { files: jobs.length, bytes };
}

export async function list(tally: ArtifactContext, root: string, artifactPath: string): Promise<FileInfo[]> {
  const dir = joinArtifactPath(root, artifactPath);
  const body = await tally.http.json<{ files?: { path: string; is_dir?: boolean; file_size?: number | string }[] }>(
    artifactsUrl(tally),
    { method: "GET", query: { path: dir } },
  );
  const relativeDir = joinArtifactPath(artifactPath);
  return (body.files ?? []).map((file) => {
    // The server sends basenames; some send paths relative to the root: keep the last segment.
    const name = file.path.split("/").filter(Boolean).pop() ?? file.path;
    const entry: FileInfo = { path: joinArtifactPath(relativeDir, name), isDir: Boolean(file.is_dir) };
    if (!file.is_dir && file.file_size !== undefined) entry.fileSize = Number(file.file_size);
    return entry;
  });
}

export async function download(
  tally: ArtifactContext,
  root: string,
  artifactPath: string,
  dest: string,
  onProgress: Progress,
): Promise<string> {
  const relative = joinArtifactPath(artifactPath);
  const target = relative ? path.join(dest, path.basename(relative)) : dest;
  const files: { artifact: string; local: string; size?: number }[] = [];
  const collect = async (dir: string, localDir: string): Promise<boolean> => {
    const entries = await list(tally, root, dir);
    if (entries.length === 0) return false;
    for (const entry of entries) {
      const local = path.join(localDir, path.basename(entry.path));
      if (entry.isDir) await collect(entry.path, local);
      else files.push({ artifact: entry.path, local, size: entry.fileSize });
    }
    return true;
  };
  const isDir = await collect(relative, target);
  if (!isDir) {
    if (!relative) throw new TallyError("RESOURCE_DOES_NOT_EXIST", "the run has no artifacts", { status: 404 });
    files.push({ artifact: relative, local: target });
  }
  const known = files.every((file) => file.size !== undefined);
  const total = known ? files.reduce((sum, file) => sum + (file.size ?? 0), 0) : undefined;
  let bytes = 0;
  for (const file of files) {
    await mkdir(path.dirname(file.local), { recursive: true });
    const response = await tally.http.request(artifactsUrl(tally, joinArtifactPath(root, file.artifact)), { method: "GET" });
    const length = Number(response.headers.get("content-length"));
    const fileTotal = total ?? (files.length === 1 && length > 0 ? length : undefined);
    const temp = `${file.local}.tally-part-${process.pid}`;
    try {
      if (!response.body) throw new TallyError("INVALID_RESPONSE", `empty body for ${file.artifact}`);
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        (source: AsyncIterable<Uint8Array>) =>
          counting(source, (delta) => {
            bytes += delta;
            onProgress?.({ path: file.artifact, bytes, ...(fileTotal !== undefined ? { total: fileTotal } : {}) });
          }),
        createWriteStream(temp),
      );
      await rename(temp, file.local);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  return target;
}
