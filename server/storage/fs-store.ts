import { createHash, type Hash, randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError, conflict, insufficientStorage } from "@/lib/errors";
import { folderKey, objectKey } from "./keys";
import {
  type ByteRange,
  type CompletedPart,
  DEFAULT_CONTENT_TYPE,
  type ListEntry,
  type ObjectBody,
  type ObjectInfo,
  type ObjectRead,
  type ObjectStore,
  type PutOptions,
} from "./object-store";
import {
  MAX_PROXIED_PART_BYTES,
  MIN_PART_BYTES,
  byPath,
  checkArguments,
  checkDeletablePrefix,
  objectNotFound,
  partMissing,
  partTooLarge,
  partTooSmall,
  resolveRange,
  uploadNotFound,
} from "./rules";
import { byteMeter, chunksOf } from "./streams";

/**
 * The zero-configuration backend: objects are files under `<root>/objects`, mirroring their keys.
 *
 * - Writes go to `<root>/staging` first and are renamed into place (same filesystem, so the rename is
 *   atomic); readers never see a partial file and listings never show temporary ones.
 * - Content types live in a parallel tree `<root>/types` (only for non-default types), so a key can
 *   never collide with its own metadata.
 * - Empty folders are removed after deletes, because S3 has no empty folders to list.
 * - Limitation S3 lacks: a key cannot be both an object and a folder ("a" and "a/b"); storing the
 *   second is a CONFLICT.
 */
export class FilesystemObjectStore implements ObjectStore {
  readonly kind = "filesystem";
  private readonly objects: string;
  private readonly types: string;
  private readonly staging: string;
  private ready: Promise<void> | undefined;

  constructor(root: string) {
    this.objects = path.join(root, "objects");
    this.types = path.join(root, "types");
    this.staging = path.join(root, "staging");
  }

  prepare(): Promise<void> {
    this.ready ??= mkdir(this.staging, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ size: number }> {
    const { contentType } = checkArguments.put(key, options);
    await this.prepare();
    const temp = path.join(this.staging, `put-${randomUUID()}`);
    try {
      const meter = byteMeter({ expected: options.size });
      await writeNewFile(temp, meter.pass(chunksOf(body)));
      await this.commit(temp, key, contentType);
      return { size: meter.bytes() };
    } catch (error) {
      throw this.diskFullAsAppError(error);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(key: string, range?: ByteRange): Promise<ObjectRead> {
    checkArguments.get(key, range);
    // Read through the opened handle: a concurrent replace swaps the name, not the bytes we stream.
    const handle = await open(this.objectPath(key), "r").catch((error: unknown) => {
      throw isMissing(error) ? objectNotFound(key) : error;
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw objectNotFound(key);
      const resolved = resolveRange(range, info.size);
      const contentType = await this.readContentType(key);
      // `end` is inclusive; for an empty file, reading "0 to 0" yields nothing, as it should.
      const body = handle.createReadStream({
        start: resolved.offset,
        end: Math.max(resolved.offset, resolved.offset + resolved.length - 1),
      });
      return { body, size: info.size, contentType, lastModified: info.mtime, range: resolved };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    objectKey(key);
    const info = await stat(this.objectPath(key)).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (!info?.isFile()) return null;
    return { size: info.size, contentType: await this.readContentType(key), lastModified: info.mtime };
  }

  async delete(key: string): Promise<void> {
    objectKey(key);
    for (const tree of [this.objects, this.types]) {
      const file = this.pathIn(tree, key);
      await removeFile(file).catch((error: unknown) => {
        // A folder at that name is not an object; S3 would have nothing to delete either.
        if (code(error) !== "EISDIR" && code(error) !== "EPERM") throw error;
      });
      await pruneEmptyFolders(path.dirname(file), tree);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    checkDeletablePrefix(prefix);
    for (const tree of [this.objects, this.types]) {
      const folder = this.pathIn(tree, prefix);
      const info = await lstat(folder).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      // Only a folder: an object named exactly `prefix` is not under `prefix/`.
      if (!info?.isDirectory()) continue;
      await rm(folder, { recursive: true, force: true });
      await pruneEmptyFolders(path.dirname(folder), tree);
    }
  }

  async list(prefix: string): Promise<ListEntry[]> {
    const folder = this.pathIn(this.objects, folderKey(prefix));
    const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw error;
    });
    const listed = await Promise.all(
      entries.map(async (entry): Promise<ListEntry | null> => {
        if (entry.isDirectory()) return { path: entry.name, isDir: true };
        if (!entry.isFile()) return null;
        const info = await stat(path.join(folder, entry.name)).catch((error: unknown) => {
          if (isMissing(error)) return null; // deleted while listing
          throw error;
        });
        return info && { path: entry.name, isDir: false, size: info.size };
      }),
    );
    return listed.filter((entry) => entry !== null).sort(byPath);
  }

  async createMultipartUpload(key: string, options: { contentType?: string } = {}): Promise<string> {
    const { contentType } = checkArguments.createUpload(key, options);
    await this.prepare();
    const uploadId = randomBytes(16).toString("hex");
    const folder = this.uploadFolder(uploadId);
    try {
      await mkdir(folder);
      const upload: UploadRecord = { key, contentType };
      await writeFile(path.join(folder, "upload.json"), JSON.stringify(upload));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw this.diskFullAsAppError(error);
    }
    return uploadId;
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: ObjectBody,
    options: { size?: number } = {},
  ): Promise<string> {
    checkArguments.uploadPart(key, uploadId, partNumber, options);
    await this.findUpload(key, uploadId);
    const folder = this.uploadFolder(uploadId);
    const temp = path.join(folder, `receiving-${randomUUID()}`);
    const md5 = createHash("md5");
    const meter = byteMeter({ expected: options.size, limit: { bytes: MAX_PROXIED_PART_BYTES, error: partTooLarge } });
    try {
      await writeNewFile(temp, hashed(md5, meter.pass(chunksOf(body))));
      // Like S3, the ETag of a part is the MD5 of its bytes; the file name records both.
      const etag = md5.digest("hex");
      await rename(temp, path.join(folder, partFileName(partNumber, etag)));
      return etag;
    } catch (error) {
      const aborted = isMissing(error) && !(await stat(folder).catch(() => null));
      throw aborted ? uploadNotFound(uploadId) : this.diskFullAsAppError(error);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<void> {
    const wanted = checkArguments.complete(key, uploadId, parts);
    const upload = await this.findUpload(key, uploadId);
    const folder = this.uploadFolder(uploadId);
    const files = await Promise.all(
      wanted.map(async ({ partNumber, etag }, index) => {
        if (!/^[0-9a-f]{32}$/.test(etag)) throw partMissing(partNumber);
        const file = path.join(folder, partFileName(partNumber, etag));
        const info = await stat(file).catch((error: unknown) => {
          throw isMissing(error) ? partMissing(partNumber) : error;
        });
        if (index < wanted.length - 1 && info.size < MIN_PART_BYTES) throw partTooSmall(partNumber);
        return file;
      }),
    );
    const temp = path.join(this.staging, `assemble-${randomUUID()}`);
    try {
      await writeNewFile(temp, concatenated(files));
      await this.commit(temp, key, upload.contentType);
    } catch (error) {
      throw this.diskFullAsAppError(error);
    } finally {
      await rm(temp, { force: true });
    }
    await rm(folder, { recursive: true, force: true });
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    checkArguments.upload(key, uploadId);
    const upload = await this.findUpload(key, uploadId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "NOT_FOUND") return null;
      throw error;
    });
    if (upload) await rm(this.uploadFolder(uploadId), { recursive: true, force: true });
  }

  // A folder cannot sign URLs: callers stream through the server instead.
  async presignGet(key: string, expirySeconds: number): Promise<null> {
    checkArguments.presign(key, expirySeconds);
    return null;
  }

  async presignPut(key: string, expirySeconds: number): Promise<null> {
    checkArguments.presign(key, expirySeconds);
    return null;
  }

  async presignPart(key: string, uploadId: string, partNumber: number, expirySeconds: number): Promise<null> {
    checkArguments.presignPart(key, uploadId, partNumber, expirySeconds);
    return null;
  }

  /** Moves a finished temporary file to `key`, recording its content type first so readers never see the object without it. */
  private async commit(temp: string, key: string, contentType: string): Promise<void> {
    const target = this.objectPath(key);
    const typeFile = this.pathIn(this.types, key);
    for (let attempt = 1; ; attempt++) {
      try {
        // The object tree first: a name clash shows there before anything is written.
        await mkdir(path.dirname(target), { recursive: true });
        if (contentType === DEFAULT_CONTENT_TYPE) {
          await removeFile(typeFile);
        } else {
          await mkdir(path.dirname(typeFile), { recursive: true });
          await writeFile(typeFile, contentType);
        }
        await rename(temp, target);
        return;
      } catch (error) {
        // A concurrent delete may prune a folder between mkdir and rename: make it again.
        if (code(error) === "ENOENT" && attempt < 3) continue;
        if (["EEXIST", "ENOTDIR", "EISDIR", "ENOTEMPTY"].includes(code(error) ?? "")) {
          await removeFile(typeFile).catch(() => undefined); // no object, so no type either
          throw conflict(`${JSON.stringify(key)} collides with an existing artifact or folder of the same name`);
        }
        throw error;
      }
    }
  }

  /**
   * A full disk (or quota) is for an operator to fix, so the client hears it plainly and does not
   * retry; the server log names the folder. The temporary file is removed by the caller either way.
   */
  private diskFullAsAppError(error: unknown): unknown {
    if (code(error) !== "ENOSPC" && code(error) !== "EDQUOT") return error;
    console.error(`Artifact storage under ${path.dirname(this.objects)} is full (${code(error)}): an upload was refused`);
    return insufficientStorage(
      "The server's artifact storage is full, so this artifact was not stored. An administrator must free disk space before uploads can succeed.",
    );
  }

  private async findUpload(key: string, uploadId: string): Promise<UploadRecord> {
    // Our ids are 32 hex digits; anything else cannot name an upload folder (nor escape staging).
    if (!/^[0-9a-f]{32}$/.test(uploadId)) throw uploadNotFound(uploadId);
    const text = await readFile(path.join(this.uploadFolder(uploadId), "upload.json"), "utf8").catch(
      (error: unknown) => {
        throw isMissing(error) ? uploadNotFound(uploadId) : error;
      },
    );
    const upload = JSON.parse(text) as UploadRecord;
    if (upload.key !== key) throw uploadNotFound(uploadId);
    return upload;
  }

  private async readContentType(key: string): Promise<string> {
    const stored = await readFile(this.pathIn(this.types, key), "utf8").catch((error: unknown) => {
      if (isMissing(error)) return "";
      throw error;
    });
    return stored || DEFAULT_CONTENT_TYPE;
  }

  private objectPath(key: string): string {
    return this.pathIn(this.objects, key);
  }

  /** `key` was checked by keys.ts (no "..", no absolute path), so the result stays inside `tree`. */
  private pathIn(tree: string, key: string): string {
    return key === "" ? tree : path.join(tree, ...key.split("/"));
  }

  private uploadFolder(uploadId: string): string {
    return path.join(this.staging, `upload-${uploadId}`);
  }
}

interface UploadRecord {
  key: string;
  contentType: string;
}

/**
 * Streams `source` into a new file, flushed to disk before it counts as written. On failure it waits
 * for the file to be closed: the open may still be pending, and a cleanup that ran first would miss
 * the file it is about to create.
 */
async function writeNewFile(file: string, source: AsyncIterable<Uint8Array>): Promise<void> {
  const output = createWriteStream(file, { flags: "wx", flush: true });
  try {
    await pipeline(source, output);
  } catch (error) {
    if (!output.closed) await once(output, "close");
    throw error;
  }
}

async function* hashed(hash: Hash, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

async function* concatenated(files: string[]): AsyncGenerator<Uint8Array> {
  for (const file of files) yield* createReadStream(file);
}

const partFileName = (partNumber: number, etag: string) => `part-${partNumber}-${etag}`;

/** Removes `folder` and its parents up to (not including) `stop` while they are empty. */
async function pruneEmptyFolders(folder: string, stop: string): Promise<void> {
  for (let current = folder; current.startsWith(stop + path.sep); current = path.dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or already gone): its parents are not empty either
    }
  }
}

/** Deletes a file; a missing one is fine. */
async function removeFile(file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
}

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const isMissing = (error: unknown) => code(error) === "ENOENT" || code(error) === "ENOTDIR";
