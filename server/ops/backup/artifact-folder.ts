import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, opendir, readdir, rename, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { cleanPath } from "@/server/storage/keys";
import type { ArchiveEntry } from "./archive-writer";

/**
 * The filesystem artifact store's folder (server/storage/fs-store.ts): `objects/` mirrors the keys and
 * `types/` holds non-default content types. `staging/` only holds uploads in flight and is left out.
 */
const TREES = ["objects", "types"] as const;
const ENTRY_PREFIX = "artifacts/";
/** Fewer, larger reads than the default 64 KiB: a large model is read at disk speed. */
const READ_CHUNK_BYTES = 1024 * 1024;

export interface FolderTotals {
  files: number;
  bytes: number;
}

/**
 * Every file of the store as an archive entry. Objects are replaced by renames, never rewritten, so
 * a file opened here is read whole as it was; one deleted since the listing is skipped.
 */
export async function* folderEntries(folder: string, totals: FolderTotals): AsyncGenerator<ArchiveEntry> {
  for (const tree of TREES) {
    for await (const relative of filesUnder(path.join(folder, tree), "")) {
      const handle = await open(path.join(folder, tree, ...relative.split("/")), "r").catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!handle) continue;
      try {
        const info = await handle.stat();
        const body = info.size === 0 ? Buffer.alloc(0) : handle.createReadStream({ start: 0, end: info.size - 1, autoClose: false, highWaterMark: READ_CHUNK_BYTES });
        yield { path: `${ENTRY_PREFIX}${tree}/${relative}`, size: info.size, mtime: info.mtime, body };
        totals.files++;
        totals.bytes += info.size;
      } finally {
        await handle.close();
      }
    }
  }
}

async function* filesUnder(root: string, relative: string): AsyncGenerator<string> {
  const directory = await opendir(relative ? path.join(root, ...relative.split("/")) : root).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  if (!directory) return;
  for await (const entry of directory) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* filesUnder(root, child);
    else if (entry.isFile()) yield child;
  }
}

/** Whether the store holds anything (a restore only fills an empty one). */
export async function folderHoldsArtifacts(folder: string): Promise<boolean> {
  for (const tree of TREES) {
    const names = await readdir(path.join(folder, tree)).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw error;
    });
    if (names.length > 0) return true;
  }
  return false;
}

/**
 * Restores the folder's files into a staging folder next to the store, moved into place only when
 * the whole restore succeeds; until then the store is untouched.
 */
export class FolderRestore {
  readonly totals: FolderTotals = { files: 0, bytes: 0 };
  private readonly staging: string;
  private moved: string[] = [];

  constructor(private readonly folder: string) {
    this.staging = path.join(path.dirname(folder), `.${path.basename(folder)}-restoring-${randomBytes(6).toString("hex")}`);
  }

  static owns(entryPath: string): boolean {
    return TREES.some((tree) => entryPath.startsWith(`${ENTRY_PREFIX}${tree}/`));
  }

  async write(entryPath: string, size: number, body: AsyncIterable<Buffer>): Promise<void> {
    const [tree, ...rest] = entryPath.slice(ENTRY_PREFIX.length).split("/");
    const key = rest.join("/");
    // A key that is not canonical could name a file outside the store.
    let canonical = "";
    try {
      canonical = cleanPath(key);
    } catch {
      canonical = "";
    }
    if (!key || canonical !== key) throw new Error(`it holds an artifact at an unsafe path ${JSON.stringify(entryPath)}`);
    const file = path.join(this.staging, tree!, ...key.split("/"));
    await mkdir(path.dirname(file), { recursive: true });
    await pipeline(body, createWriteStream(file, { flags: "wx", flush: true }));
    this.totals.files++;
    this.totals.bytes += size;
  }

  /** Moves the restored trees into the (empty) store. */
  async commit(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    for (const tree of TREES) {
      const staged = path.join(this.staging, tree);
      if (!(await exists(staged))) continue;
      const target = path.join(this.folder, tree);
      // Only an empty one can be there (checked before the restore began): make way for the rename.
      await rmdir(target).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
      await rename(staged, target);
      this.moved.push(target);
    }
    await rm(this.staging, { recursive: true, force: true });
  }

  /** Undoes `commit` (when the database then fails to commit) or drops the staging folder. */
  async discard(): Promise<void> {
    for (const target of this.moved.splice(0)) await rm(target, { recursive: true, force: true });
    await rm(this.staging, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const isMissing = (error: unknown) => code(error) === "ENOENT" || code(error) === "ENOTDIR";
