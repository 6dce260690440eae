import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { badInput, conflict } from "@/lib/errors";
import { type ArchiveEntry, packArchive } from "./archive-writer";
import { folderEntries } from "./artifact-folder";
import { openSnapshot } from "./database-dump";
import { gzipMembers } from "./gzip-members";
import { AUTH_SECRET_FILE, type InstanceFiles } from "./instance";
import { FORMAT, FORMAT_VERSION, type Manifest, PATHS, type Trailer } from "./manifest";
import { inventoryEntries } from "./s3-inventory";

export interface BackupOptions {
  databaseUrl: string;
  instance: InstanceFiles;
  /** The archive to write; it must not exist yet. */
  out: string;
  tallyVersion: string;
  progress?: (line: string) => void;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  seconds: number;
  tables: number;
  rows: number;
  artifacts: { store: "filesystem" | "s3"; files: number; bytes: number };
}

/**
 * Writes one .tar.gz holding a consistent copy of the database (one snapshot, taken while the server
 * keeps serving), the artifact folder or the S3 bucket's inventory, and the instance secret. The file
 * appears under its name only once complete.
 */
export async function createBackup(options: BackupOptions): Promise<BackupSummary> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const out = path.resolve(options.out);
  if (await stat(out).then(() => true, () => false)) {
    throw conflict(`${out} already exists; choose a new file name (a backup never overwrites a file).`);
  }
  if (!(await stat(path.dirname(out)).then((info) => info.isDirectory(), () => false))) {
    throw badInput(`The folder ${path.dirname(out)} for the backup file does not exist`);
  }
  const { instance } = options;
  const secret = instance.authSecretFromEnvironment ? null : await readSecret(path.join(instance.home, AUTH_SECRET_FILE));
  const snapshot = await openSnapshot(options.databaseUrl);
  const { description } = snapshot;
  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    tallyVersion: options.tallyVersion,
    createdAt: new Date().toISOString(),
    ...description,
    artifacts: instance.artifacts.store === "filesystem" ? { store: "filesystem" } : { store: "s3", bucket: instance.artifacts.inventory.bucket },
    authSecret: instance.authSecretFromEnvironment ? "environment" : secret === null ? "none" : "included",
  };
  const rows = description.tables.reduce((sum, table) => sum + table.rows, 0);
  const artifacts = { files: 0, bytes: 0 };
  let tableParts = 0;

  async function* entries(): AsyncGenerator<ArchiveEntry> {
    yield jsonEntry(PATHS.manifest, manifest);
    if (secret !== null) yield { path: PATHS.authSecret, size: secret.length, body: secret };
    progress(`Copying ${rows} rows from ${description.tables.length} tables (one snapshot; the server keeps running)…`);
    for await (const part of snapshot.tableParts()) {
      tableParts++;
      yield part;
    }
    if (instance.artifacts.store === "filesystem") {
      progress(`Copying the artifact folder ${instance.artifacts.folder}…`);
      yield* folderEntries(instance.artifacts.folder, artifacts);
    } else {
      progress(`Listing bucket ${instance.artifacts.inventory.bucket} (keys, sizes, ETags)…`);
      yield* inventoryEntries(instance.artifacts.inventory, artifacts);
    }
    const trailer: Trailer = { tableParts, artifacts };
    yield jsonEntry(PATHS.trailer, trailer);
  }

  const partial = path.join(path.dirname(out), `.${path.basename(out)}.partial-${randomBytes(4).toString("hex")}`);
  try {
    await pipeline(packArchive(entries()), gzipMembers, createWriteStream(partial, { flags: "wx", flush: true }));
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await snapshot.close();
  }
  return {
    file: out,
    bytes: (await stat(out)).size,
    seconds: (performance.now() - started) / 1000,
    tables: description.tables.length,
    rows,
    artifacts: { store: instance.artifacts.store, ...artifacts },
  };
}

function jsonEntry(entryPath: string, value: unknown): ArchiveEntry {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  return { path: entryPath, size: body.length, body };
}

async function readSecret(file: string): Promise<Buffer | null> {
  return readFile(file).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  });
}
