/**
 * DVC-tracked files: the md5 DVC recorded for a path, so a run can log the file as an input that
 * Tally links to the dataset version a DVC import made (docs/dvc.md in the Tally repository). The
 * md5 comes from dvc.lock (a pipeline's deps and outs) or from the path's `.dvc` file (`dvc add`).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { TallyError } from "./errors.ts";

export interface DvcTrackedFile {
  /** The path as dvc.lock writes it (relative to the lock's folder): the dataset name an import gives it. */
  path: string;
  /** DVC's md5 (a directory's ends in ".dir"): the dataset version's digest. */
  md5: string;
  /** The file the md5 was read from: the lock, or the `.dvc` file. */
  trackedBy: string;
}

export interface DvcLookupOptions {
  /** The pipeline's lock file (default `dvc.lock` in the current folder); paths are relative to its folder. */
  lock?: string;
}

type Entry = { path: string; md5: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const toPosix = (file: string) => file.split(path.sep).join("/");

async function readYamlFile(file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return parse(text);
  } catch (error) {
    throw new TallyError("INVALID_PARAMETER_VALUE", `${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** `[{path, md5}, ...]` entries of a deps or outs list, skipping anything without both. */
function entries(list: unknown): Entry[] {
  if (!Array.isArray(list)) return [];
  return list.filter((item): item is Entry => isRecord(item) && typeof item.path === "string" && typeof item.md5 === "string");
}

/** Outs first: a stage's output is what DVC produced and cached; a dep may be stale in a half-updated lock. */
function lockEntries(lock: unknown): Entry[] {
  const stages = isRecord(lock) && isRecord(lock.stages) ? Object.values(lock.stages).filter(isRecord) : [];
  return [...stages.flatMap((stage) => entries(stage.outs)), ...stages.flatMap((stage) => entries(stage.deps))];
}

/**
 * The md5 DVC recorded for `file` (relative to the current folder, or absolute): looked up among the
 * deps and outs of the lock, else in `<file>.dvc`. A file that neither tracks is an error that says so,
 * and names the tracked folder when the file is inside one (DVC hashes a folder as a whole).
 */
export async function dvcTrackedFile(file: string, options: DvcLookupOptions = {}): Promise<DvcTrackedFile> {
  const lockFile = path.resolve(options.lock ?? "dvc.lock");
  const root = path.dirname(lockFile);
  const relative = toPosix(path.relative(root, path.resolve(file)));
  if (relative.startsWith("../") || path.isAbsolute(relative)) {
    throw new TallyError("INVALID_PARAMETER_VALUE", `${file} is outside the folder of ${lockFile}, where DVC paths start`);
  }
  const lock = await readYamlFile(lockFile);
  const tracked = lockEntries(lock);
  const found = tracked.find((entry) => path.posix.normalize(entry.path) === relative);
  if (found) return { path: found.path, md5: found.md5, trackedBy: lockFile };

  const dvcFile = `${path.resolve(file)}.dvc`;
  const added = entries((await readYamlFile(dvcFile) as Record<string, unknown> | undefined)?.outs)[0];
  if (added) return { path: relative, md5: added.md5, trackedBy: dvcFile };

  const folder = tracked.find((entry) => relative.startsWith(`${path.posix.normalize(entry.path)}/`));
  const where = lock === undefined ? `there is no ${lockFile}` : `it is not among the deps or outs of ${lockFile}`;
  throw new TallyError(
    "INVALID_PARAMETER_VALUE",
    folder
      ? `${file} is inside ${folder.path}, which DVC tracks as one folder: log ${folder.path} instead`
      : `${file} is not tracked by DVC: ${where}, and there is no ${dvcFile}`,
  );
}
