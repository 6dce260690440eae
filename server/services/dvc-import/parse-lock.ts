import { MAX_DVC_FILES, MAX_DVC_PATH_LENGTH, MAX_DVC_STAGES } from "@/lib/schemas/dvc-import";
import { canonicalJson } from "./canonical-json";
import { describeValue, isMapping, keyPath, Problems, readYaml } from "./yaml-input";
import type { DvcCommand, DvcFile, DvcLockStage, DvcParams } from "./types";

/**
 * dvc.lock, schema 2.0, as DVC 2.x and 3.x write it (docs/dvc.md):
 *
 *   schema: '2.0'
 *   stages:
 *     <name>:                      foreach/matrix items are "<name>@<key>"
 *       cmd: <string or list>
 *       deps: [{path, hash: md5, md5, size, nfiles?}]
 *       params: {<params file>: {<key>: <value>}}
 *       outs: [{path, hash: md5, md5, size, nfiles?}]
 *
 * Keys DVC may add (isexec, cloud, frozen...) are ignored; a file without an md5 (an etag-only
 * import from cloud storage) cannot become a dataset version and is refused.
 */

const MD5 = /^[0-9a-f]{32}(\.dir)?$/;
// C0 controls and DEL: nothing DVC writes into a path or a stage name.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseDvcLock(text: string): DvcLockStage[] {
  const root = readYaml("lock", text);
  const problems = new Problems("lock");
  if (!isMapping(root)) {
    problems.add("", `expected a mapping with 'schema' and 'stages', found ${describeValue(root)}`);
    problems.throwIfAny();
  }
  const lock = root as Record<string, unknown>;
  if (lock.schema === undefined) {
    const hint = "outs" in lock ? " (this looks like a .dvc file: import the dvc.lock of a pipeline)" : "";
    problems.add("schema", `missing: only the dvc.lock format of DVC 2 and 3 (schema '2.0') can be imported${hint}`);
  } else if (lock.schema !== "2.0" && lock.schema !== 2) {
    problems.add("schema", `expected '2.0' (the dvc.lock format of DVC 2 and 3), found ${describeValue(lock.schema)}`);
  }
  problems.throwIfAny();
  if (!isMapping(lock.stages)) {
    problems.add("stages", `expected a mapping of stage names to lock entries, found ${describeValue(lock.stages)}`);
    problems.throwIfAny();
  }
  const entries = Object.entries(lock.stages as Record<string, unknown>);
  if (entries.length === 0) problems.add("stages", "no stages to import");
  if (entries.length > MAX_DVC_STAGES) problems.add("stages", `at most ${MAX_DVC_STAGES} stages can be imported at once, found ${entries.length}`);
  problems.throwIfAny();

  const stages: DvcLockStage[] = [];
  let files = 0;
  for (const [name, entry] of entries) {
    const path = keyPath("stages", name);
    if (!name.trim() || name.length > MAX_DVC_PATH_LENGTH || CONTROL.test(name)) {
      problems.add(path, `a stage name must be 1 to ${MAX_DVC_PATH_LENGTH} printable characters`);
      continue;
    }
    if (!isMapping(entry)) {
      problems.add(path, `expected the stage's lock entry (a mapping with cmd, deps, outs), found ${describeValue(entry)}`);
      continue;
    }
    // In the order DVC writes the keys, so problems are listed top to bottom.
    const cmd = command(entry.cmd, keyPath(path, "cmd"), problems);
    const deps = fileList(entry.deps, keyPath(path, "deps"), problems);
    const stageParams = params(entry.params, keyPath(path, "params"), problems);
    const outs = fileList(entry.outs, keyPath(path, "outs"), problems);
    files += deps.length + outs.length;
    stages.push({ name, cmd, params: stageParams, deps, outs, canonical: canonicalJson(entry) });
  }
  if (files > MAX_DVC_FILES) problems.add("stages", `at most ${MAX_DVC_FILES} deps and outs can be imported at once, found ${files}`);
  problems.throwIfAny();
  return stages;
}

/** A command as DVC writes it: one string, or a list of strings. `null` when absent. */
export function command(value: unknown, path: string, problems: Problems): DvcCommand | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value as string[];
  problems.add(path, `expected a command (a string or a list of strings), found ${describeValue(value)}`);
  return null;
}

function params(value: unknown, path: string, problems: Problems): DvcParams {
  if (value === undefined || value === null) return {};
  if (!isMapping(value)) {
    problems.add(path, `expected a mapping of params files to their values, found ${describeValue(value)}`);
    return {};
  }
  const result: DvcParams = {};
  for (const [file, values] of Object.entries(value)) {
    if (!isMapping(values)) {
      problems.add(keyPath(path, file), `expected a mapping of parameter names to values, found ${describeValue(values)}`);
      continue;
    }
    result[file] = values;
  }
  return result;
}

function fileList(value: unknown, path: string, problems: Problems): DvcFile[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(path, `expected a list of {path, md5, ...} entries, found ${describeValue(value)}`);
    return [];
  }
  const files: DvcFile[] = [];
  value.forEach((item, index) => {
    const file = dvcFile(item, keyPath(path, index), problems);
    if (file) files.push(file);
  });
  return files;
}

function dvcFile(value: unknown, path: string, problems: Problems): DvcFile | null {
  if (!isMapping(value)) {
    problems.add(path, `expected {path, md5, ...}, found ${describeValue(value)}`);
    return null;
  }
  const before = problems.count;
  const filePath = value.path;
  if (typeof filePath !== "string" || !filePath.trim()) problems.add(keyPath(path, "path"), `expected a path, found ${describeValue(filePath)}`);
  else if (filePath.length > MAX_DVC_PATH_LENGTH) problems.add(keyPath(path, "path"), `longer than ${MAX_DVC_PATH_LENGTH} characters`);
  else if (CONTROL.test(filePath)) problems.add(keyPath(path, "path"), "contains control characters");
  const md5 = value.md5;
  if (md5 === undefined) {
    const other = ["etag", "checksum", "version_id"].find((key) => key in value);
    problems.add(keyPath(path, "md5"), `missing${other ? ` (the entry has only ${other}: DVC records no md5 for it)` : ""}: only md5-hashed files can be imported`);
  } else if (typeof md5 !== "string" || !MD5.test(md5)) {
    problems.add(keyPath(path, "md5"), `expected 32 hex digits (with ".dir" for a directory), found ${describeValue(md5)}`);
  }
  const size = count(value.size, keyPath(path, "size"), problems);
  const nfiles = count(value.nfiles, keyPath(path, "nfiles"), problems);
  if (problems.count > before) return null;
  return { path: filePath as string, md5: md5 as string, size, nfiles };
}

function count(value: unknown, path: string, problems: Problems): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  problems.add(path, `expected a whole number of bytes or files, found ${describeValue(value)}`);
  return null;
}
