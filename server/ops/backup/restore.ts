import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError, badInput, conflict } from "@/lib/errors";
import { applyMigrations } from "@/server/db/migrate";
import { ArchiveError } from "./archive-error";
import { type ArchiveEntryRead, readArchive } from "./archive-reader";
import { FolderRestore, folderHoldsArtifacts } from "./artifact-folder";
import { checkSchemaKnown, DatabaseRestore } from "./database-restore";
import { AUTH_SECRET_FILE, type InstanceFiles } from "./instance";
import { type Manifest, parseManifest, parseTrailer, PATHS, type Trailer } from "./manifest";
import { type InventoryComparison, InventoryCheck } from "./s3-inventory";

export interface RestoreOptions {
  databaseUrl: string;
  instance: InstanceFiles;
  file: string;
  progress?: (line: string) => void;
}

export interface RestoreSummary {
  seconds: number;
  createdAt: string;
  tallyVersion: string;
  tables: number;
  rows: number;
  artifacts: { store: "filesystem" | "s3"; files: number; bytes: number };
  /** With the S3 store: how the bucket compares with the inventory in the backup. */
  bucket?: InventoryComparison;
  /** Migrations newer than the backup, applied after its data was loaded. */
  upgradedWith: string[];
  /** What the operator must still do or know (secrets, objects missing from the bucket). */
  notes: string[];
}

const TABLE_PART = /^database\/([A-Za-z_][A-Za-z0-9_]*)\/(\d{6})\.csv$/;
const INVENTORY_PART = /^artifacts\/s3-inventory\/\d{6}\.jsonl$/;
/** manifest.json, end.json and the secret are small; a larger one is not ours. */
const SMALL_ENTRY_BYTES = 64 * 1024 * 1024;

/**
 * Restores an archive written by `createBackup` into an empty database and an empty artifact store.
 * The archive is read once, as a stream: rows go into one database transaction and files into a
 * staging folder, and both are committed only after the whole archive has been read and checked, so
 * a damaged archive or a refused target leaves the target as it was.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const file = path.resolve(options.file);
  if (!(await stat(file).then((info) => info.isFile(), () => false))) throw badInput(`${file} does not exist or is not a file`);
  const { instance } = options;
  const state: {
    manifest?: Manifest;
    trailer?: Trailer;
    secret?: string;
    database?: DatabaseRestore;
    folder?: FolderRestore;
    inventory?: InventoryCheck;
    tableParts: number;
  } = { tableParts: 0 };

  async function begin(manifest: Manifest): Promise<void> {
    await checkSchemaKnown(manifest);
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    progress(`Restoring a backup of Tally ${manifest.tallyVersion} made at ${manifest.createdAt}: ${rows} rows in ${manifest.tables.length} tables.`);
    const target = instance.artifacts;
    if (manifest.artifacts.store !== target.store) {
      throw conflict(
        manifest.artifacts.store === "s3"
          ? `This backup's artifacts are in the S3 bucket "${manifest.artifacts.bucket}", but this instance stores artifacts in a ` +
              "folder (S3_ENDPOINT is unset). Configure S3_ENDPOINT, S3_BUCKET and the keys for that bucket, then restore."
          : "This backup holds an artifact folder, but this instance stores artifacts in S3 (S3_ENDPOINT is set). Restore with " +
              "S3_ENDPOINT unset (then copy the folder into the bucket if you move to S3).",
      );
    }
    if (target.store === "filesystem") {
      if (await folderHoldsArtifacts(target.folder)) {
        throw conflict(`The artifact folder ${target.folder} is not empty; a restore only fills an empty TALLY_HOME.`);
      }
      state.folder = new FolderRestore(target.folder);
    } else {
      state.inventory = new InventoryCheck(target.inventory);
    }
    state.database = await DatabaseRestore.begin(options.databaseUrl, manifest);
  }

  async function take(entry: ArchiveEntryRead): Promise<void> {
    if (!state.manifest) {
      if (entry.path !== PATHS.manifest) throw new ArchiveError("it does not start with manifest.json: it is not a Tally backup");
      state.manifest = parseManifest(await readSmall(entry));
      await begin(state.manifest);
      return;
    }
    if (state.trailer) throw new ArchiveError(`it holds ${entry.path} after its end.json`);
    if (entry.path === PATHS.trailer) {
      state.trailer = parseTrailer(await readSmall(entry));
      return;
    }
    if (entry.path === PATHS.authSecret) {
      state.secret = (await readSmall(entry)).trim();
      return;
    }
    const tablePart = TABLE_PART.exec(entry.path);
    if (tablePart) {
      state.tableParts++;
      await state.database!.loadPart(tablePart[1]!, Number(tablePart[2]), entry.body);
      return;
    }
    if (state.folder && FolderRestore.owns(entry.path)) {
      if (state.folder.totals.files === 0) progress("Tables loaded; restoring the artifact folder…");
      await state.folder.write(entry.path, entry.size, entry.body);
      return;
    }
    if (state.inventory && INVENTORY_PART.test(entry.path)) {
      await state.inventory.feed(entry.body);
      return;
    }
    throw new ArchiveError(`it holds an entry this Tally does not know (${entry.path})`);
  }

  let manifest: Manifest;
  try {
    await readArchive(file, take);
    const { trailer, database } = state;
    if (!state.manifest || !database) throw new ArchiveError("it is empty");
    manifest = state.manifest;
    if (!trailer) throw new ArchiveError("it has no end.json: it was cut short");
    const artifacts = state.folder?.totals ?? state.inventory!.result;
    if (trailer.tableParts !== state.tableParts || trailer.artifacts.files !== artifacts.files || trailer.artifacts.bytes !== artifacts.bytes) {
      throw new ArchiveError("its contents do not add up to what its end.json counts (entries are missing)");
    }
    await database.finish();
    await state.folder?.commit();
    await database.commit();
  } catch (error) {
    await state.folder?.discard();
    await state.database?.rollback();
    throw asRestoreError(file, error);
  }

  const notes = await restoreSecret(instance, manifest, state.secret);
  const upgradedWith = await applyMigrations(options.databaseUrl);
  const bucket = state.inventory?.result;
  if (bucket && (bucket.missing || bucket.changed)) {
    notes.push(
      `The bucket does not hold everything the backup lists: ${bucket.missing} object(s) missing, ${bucket.changed} changed ` +
        `(e.g. ${bucket.examples.join(", ")}). Restore them from the bucket's versioning or replica.`,
    );
  }
  const artifacts = state.folder?.totals ?? { files: bucket?.files ?? 0, bytes: bucket?.bytes ?? 0 };
  return {
    seconds: (performance.now() - started) / 1000,
    createdAt: manifest.createdAt,
    tallyVersion: manifest.tallyVersion,
    tables: manifest.tables.length,
    rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
    artifacts: { store: manifest.artifacts.store, ...artifacts },
    ...(bucket ? { bucket } : {}),
    upgradedWith,
    notes,
  };
}

/** Puts the instance secret back in TALLY_HOME, and says when the environment overrides it or must supply it. */
async function restoreSecret(instance: InstanceFiles, manifest: Manifest, secret: string | undefined): Promise<string[]> {
  if (manifest.authSecret === "environment") {
    return [
      "The backed-up instance took its secret from TALLY_AUTH_SECRET: set the same value here, or sign-ins end and stored " +
        "webhook signing secrets cannot be decrypted.",
    ];
  }
  if (secret === undefined) return [];
  const file = path.join(instance.home, AUTH_SECRET_FILE);
  const previous = await readFile(file, "utf8").catch(() => null);
  await writeFile(file, secret, { mode: 0o600 });
  const notes = previous !== null && previous.trim() !== secret ? [`Replaced ${file} with the backed-up instance's secret.`] : [];
  if (instance.authSecretFromEnvironment) {
    notes.push(
      `TALLY_AUTH_SECRET is set here and overrides the restored ${file}: unset it (or set it to that file's content), or ` +
        "stored webhook signing secrets cannot be decrypted.",
    );
  }
  return notes;
}

async function readSmall(entry: ArchiveEntryRead): Promise<string> {
  if (entry.size > SMALL_ENTRY_BYTES) throw new ArchiveError(`its ${entry.path} is too large to be one of ours`);
  const chunks: Buffer[] = [];
  for await (const chunk of entry.body) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Archive problems become one clear BAD_INPUT naming the file; refusals and database errors pass through. */
function asRestoreError(file: string, error: unknown): Error {
  if (error instanceof ArchiveError) return badInput(`${file} cannot be restored: ${error.message}`);
  if (error instanceof AppError || error instanceof Error) return error;
  return new Error(String(error));
}
