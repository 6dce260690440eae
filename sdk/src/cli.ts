/**
 * `tally`: the command line for a Tally project.
 *
 *   tally whoami
 *   tally runs list --experiment NAME [--filter F] [--max N] [--order-by "metrics.loss ASC"] [--json]
 *   tally runs show RUN_ID [--json]
 *   tally log-metrics --run RUN_ID --file metrics.jsonl      (one {key,value,step?,timestamp?} per line; "-" = stdin)
 *   tally artifacts upload --run RUN_ID LOCAL [--path DEST]
 *   tally artifacts download --run RUN_ID PATH --dest DIR
 *   tally artifacts list --run RUN_ID [PATH]
 *   tally models register NAME SOURCE [--run RUN_ID] [--model-id ID] [--description D] [--tag KEY=VALUE]... [--json]
 *   tally models alias set NAME ALIAS VERSION
 *   tally models alias delete NAME ALIAS
 *   tally models get NAME (VERSION | --alias ALIAS) [--json]
 *   tally models download NAME (VERSION | --alias ALIAS) --dest DIR
 *   tally datasets import-dvc [--lock dvc.lock] [--dvc-yaml dvc.yaml] [--project SLUG] [--repo-url URL] [--commit SHA] [--no-git] [--json]
 *
 * Config: --url/--token, else TALLY_URL/TALLY_TOKEN, else MLFLOW_TRACKING_URI/MLFLOW_TRACKING_TOKEN.
 * Results on stdout; progress (TTY only) and errors on stderr. Exit codes: 0 ok, 1 failed, 2 bad usage.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { Tally, type TallyOptions } from "./client.ts";
import type { DvcImportResult } from "./dvc-import.ts";
import { repoOfLock } from "./dvc-repo.ts";
import { TallyError } from "./errors.ts";
import { Progress, formatBytes, formatDuration } from "./progress.ts";
import type { VersionRef } from "./registry.ts";
import type { ModelVersion, RunRecord } from "./types.ts";
import { decodeDouble } from "./wire.ts";

class UsageError extends Error {}

const USAGE = `Usage: tally <command> [options]

Commands:
  whoami                                     Show the project and token in use
  runs list --experiment NAME [--filter F] [--max N] [--order-by O]... [--json]
  runs show RUN_ID [--json]
  log-metrics --run RUN_ID --file FILE       Log metrics from JSON lines {key,value,step?,timestamp?} ("-": stdin)
  artifacts upload --run RUN_ID LOCAL [--path DEST]
  artifacts download --run RUN_ID PATH --dest DIR
  artifacts list --run RUN_ID [PATH]
  models register NAME SOURCE [--run RUN_ID] [--model-id ID] [--description D] [--tag KEY=VALUE]... [--json]
                                             Register a new version (SOURCE: runs:/RUN_ID/PATH, models:/MODEL_ID,
                                             mlflow-artifacts:/...); the model is created when missing
  models alias set NAME ALIAS VERSION        Point an alias at a version
  models alias delete NAME ALIAS             Remove an alias
  models get NAME (VERSION | --alias ALIAS) [--json]
  models download NAME (VERSION | --alias ALIAS) --dest DIR
                                             Download a version's files into DIR
  datasets import-dvc [--lock FILE] [--dvc-yaml FILE] [--project SLUG] [--repo-url URL] [--commit SHA] [--no-git] [--json]
                                             Import a DVC pipeline's dvc.lock (default ./dvc.lock, with the
                                             dvc.yaml beside it) into the project's lineage; the git origin
                                             and commit are found unless given or --no-git

Options:
  --url URL        Project URL (http://host/projects/<slug>); env TALLY_URL or MLFLOW_TRACKING_URI
  --token TOKEN    Project API token; env TALLY_TOKEN or MLFLOW_TRACKING_TOKEN
  --retries N      Retries on network errors, 429 and 5xx (default 5)
  -h, --help       Show this help
`;

const GLOBAL = {
  url: { type: "string" },
  token: { type: "string" },
  retries: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

type Out = { stdout: NodeJS.WritableStream & { isTTY?: boolean }; stderr: NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) };

export async function main(argv: string[], io: Out = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const print = (line = "") => io.stdout.write(`${line}\n`);
  try {
    const [command, ...rest] = argv;
    if (!command || command === "help" || command === "--help" || command === "-h") {
      if (command) print(USAGE);
      else io.stderr.write(USAGE);
      return command ? 0 : 2;
    }
    if (command === "whoami") return await whoami(rest, print);
    if (command === "runs") {
      const [sub, ...args] = rest;
      if (sub === "list") return await runsList(args, print);
      if (sub === "show") return await runsShow(args, print);
      throw new UsageError(`unknown command: runs ${sub ?? ""} (try "runs list" or "runs show")`);
    }
    if (command === "log-metrics") return await logMetrics(rest, print, io.stderr);
    if (command === "artifacts") {
      const [sub, ...args] = rest;
      if (sub === "upload") return await artifactsUpload(args, print, io.stderr);
      if (sub === "download") return await artifactsDownload(args, print, io.stderr);
      if (sub === "list") return await artifactsList(args, print);
      throw new UsageError(`unknown command: artifacts ${sub ?? ""} (try upload, download or list)`);
    }
    if (command === "models") {
      const [sub, ...args] = rest;
      if (sub === "register") return await modelsRegister(args, print);
      if (sub === "alias") {
        const [action, ...aliasArgs] = args;
        if (action === "set") return await aliasSet(aliasArgs, print);
        if (action === "delete") return await aliasDelete(aliasArgs, print);
        throw new UsageError(`unknown command: models alias ${action ?? ""} (try "alias set" or "alias delete")`);
      }
      if (sub === "get") return await modelsGet(args, print);
      if (sub === "download") return await modelsDownload(args, print, io.stderr);
      throw new UsageError(`unknown command: models ${sub ?? ""} (try register, alias, get or download)`);
    }
    if (command === "datasets") {
      const [sub, ...args] = rest;
      if (sub === "import-dvc") return await datasetsImportDvc(args, print);
      throw new UsageError(`unknown command: datasets ${sub ?? ""} (try "datasets import-dvc")`);
    }
    throw new UsageError(`unknown command: ${command}`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`tally: ${(error as Error).message}\nRun "tally --help" for usage.\n`);
      return 2;
    }
    if (error instanceof TallyError) {
      io.stderr.write(`tally: ${error.message}${hint(error)}\n`);
      return 1;
    }
    io.stderr.write(`tally: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function hint(error: TallyError): string {
  if (error.errorCode === "UNAUTHENTICATED") return "\n  (check --token / TALLY_TOKEN)";
  if (error.errorCode === "PERMISSION_DENIED" || error.errorCode === "FORBIDDEN") return "\n  (the token lacks the scope for this, or belongs to another project)";
  if (error.errorCode === "ENDPOINT_NOT_FOUND") return "\n  (is --url a Tally project URL, http://host/projects/<slug>?)";
  if (error.errorCode === "NETWORK_ERROR") return "\n  (is the server running and --url right?)";
  return "";
}

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O, positionals = 0) {
  const parsed = parseArgs({ args, options: { ...GLOBAL, ...options }, allowPositionals: true, strict: true });
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[positionals]}`);
  }
  return parsed;
}

function client(values: Record<string, unknown>, extra: TallyOptions = {}): Tally {
  const url = (values.url as string | undefined) ?? process.env.TALLY_URL ?? process.env.MLFLOW_TRACKING_URI;
  if (!url) throw new UsageError("no server: pass --url http://host/projects/<slug> or set TALLY_URL");
  const token = (values.token as string | undefined) ?? process.env.TALLY_TOKEN ?? process.env.MLFLOW_TRACKING_TOKEN;
  if (!token) throw new UsageError("no token: pass --token or set TALLY_TOKEN");
  const retries = values.retries === undefined ? undefined : Number(values.retries);
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= 10)) {
    throw new UsageError("--retries: a whole number 0-10");
  }
  return new Tally({
    url,
    token,
    offlineDir: false, // the CLI reports failures instead of buffering them
    flushOnExit: false,
    ...(retries !== undefined ? { retry: { maxRetries: retries } } : {}),
    onError: () => undefined, // errors surface through flush()
    ...extra,
  });
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

async function whoami(args: string[], print: (line?: string) => void) {
  const { values } = parse(args, { json: { type: "boolean" } });
  if (values.help) return help(print);
  const tally = client(values);
  const me = await tally.whoami();
  if (values.json) print(JSON.stringify(me, null, 2));
  else {
    print(`project: ${me.project.slug} (${me.project.name})`);
    print(`token:   ${me.token.name} (${me.token.id})`);
    print(`scopes:  ${me.token.scopes.join(", ")}`);
    print(`expires: ${me.token.expiresAt ?? "never"}`);
    print(`url:     ${tally.base}`);
  }
  return 0;
}

function help(print: (line?: string) => void) {
  print(USAGE);
  return 0;
}

function time(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "-";
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

async function runsList(args: string[], print: (line?: string) => void) {
  const { values } = parse(args, {
    experiment: { type: "string", short: "e" },
    filter: { type: "string" },
    max: { type: "string" },
    "order-by": { type: "string", multiple: true },
    json: { type: "boolean" },
  });
  if (values.help) return help(print);
  const experiment = required(values, "experiment");
  const max = values.max === undefined ? 100 : Number(values.max);
  if (!Number.isInteger(max) || max < 1 || max > 50_000) throw new UsageError("--max: a whole number 1-50000");
  const tally = client(values);
  const runs: RunRecord[] = [];
  let pageToken: string | undefined;
  do {
    const page = await tally.searchRuns({
      experimentNames: [experiment],
      filter: values.filter,
      maxResults: Math.min(1000, max - runs.length),
      orderBy: values["order-by"],
      pageToken,
    });
    runs.push(...page.runs);
    pageToken = page.nextPageToken;
  } while (pageToken && runs.length < max);
  if (values.json) {
    print(JSON.stringify(runs, null, 2));
    return 0;
  }
  if (runs.length === 0) {
    print(`No runs in experiment "${experiment}"${values.filter ? " match the filter" : ""}.`);
    return 0;
  }
  const rows = [["RUN_ID", "NAME", "STATUS", "START", "DURATION", "METRICS"]];
  for (const { info, data } of runs) {
    const duration = info.endTime ? formatDuration(info.endTime - info.startTime) : "-";
    const metrics = data.metrics
      .slice(0, 3)
      .map((metric) => `${metric.key}=${formatValue(metric.value)}`)
      .join(" ");
    rows.push([info.runId, info.runName, info.status, time(info.startTime), duration, metrics]);
  }
  for (const line of table(rows)) print(line);
  return 0;
}

async function runsShow(args: string[], print: (line?: string) => void) {
  const { values, positionals } = parse(args, { json: { type: "boolean" } }, 1);
  if (values.help) return help(print);
  const runId = positionals[0];
  if (!runId) throw new UsageError("runs show needs a RUN_ID");
  const tally = client(values);
  const run = await tally.getRun(runId);
  if (values.json) {
    print(JSON.stringify(run, null, 2));
    return 0;
  }
  const { info, data } = run;
  print(`Run ${info.runId}${info.runName ? ` (${info.runName})` : ""}`);
  print(`  experiment:   ${info.experimentId}`);
  print(`  status:       ${info.status}`);
  print(`  start:        ${time(info.startTime)}`);
  print(`  end:          ${time(info.endTime)}${info.endTime ? ` (${formatDuration(info.endTime - info.startTime)})` : ""}`);
  print(`  artifact_uri: ${info.artifactUri}`);
  const section = (title: string, entries: [string, string][]) => {
    print(`${title}:${entries.length === 0 ? " (none)" : ""}`);
    for (const [key, value] of entries.sort(([a], [b]) => a.localeCompare(b))) print(`  ${key} = ${value}`);
  };
  section("Params", Object.entries(data.params));
  section(
    "Metrics (latest)",
    data.metrics.map((metric) => [metric.key, `${formatValue(metric.value)} (step ${metric.step})`]),
  );
  section("Tags", Object.entries(data.tags));
  return 0;
}

function parseMetricLine(line: string, where: string): { key: string; value: number; step?: number; timestamp?: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new TallyError("INVALID_PARAMETER_VALUE", `${where}: not JSON`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new TallyError("INVALID_PARAMETER_VALUE", `${where}: expected an object {key, value, step?, timestamp?}`);
  }
  const record = parsed as Record<string, unknown>;
  if (typeof record.key !== "string" || !record.key) throw new TallyError("INVALID_PARAMETER_VALUE", `${where}: "key" must be a non-empty string`);
  const value =
    typeof record.value === "number"
      ? record.value
      : typeof record.value === "string" && /^(NaN|[+-]?Infinity)$/.test(record.value)
        ? decodeDouble(record.value.replace(/^\+/, ""))
        : undefined;
  if (value === undefined) throw new TallyError("INVALID_PARAMETER_VALUE", `${where}: "value" must be a number`);
  const result: { key: string; value: number; step?: number; timestamp?: number } = { key: record.key, value };
  if (record.step !== undefined) {
    if (!Number.isInteger(record.step)) throw new TallyError("INVALID_PARAMETER_VALUE", `${where}: "step" must be an integer`);
    result.step = record.step as number;
  }
  if (record.timestamp !== undefined) {
    if (!Number.isInteger(record.timestamp) || (record.timestamp as number) < 0) {
      throw new TallyError("INVALID_PARAMETER_VALUE", `${where}: "timestamp" must be epoch milliseconds`);
    }
    result.timestamp = record.timestamp as number;
  }
  return result;
}

async function logMetrics(args: string[], print: (line?: string) => void, stderr: Out["stderr"]) {
  const { values } = parse(args, { run: { type: "string", short: "r" }, file: { type: "string", short: "f" } });
  if (values.help) return help(print);
  const runId = required(values, "run");
  const file = required(values, "file");
  const total = file === "-" ? undefined : (await stat(file).catch(() => undefined))?.size;
  if (file !== "-" && total === undefined) throw new TallyError("RESOURCE_DOES_NOT_EXIST", `no such file: ${file}`);
  const tally = client(values);
  await tally.getRun(runId); // a clear error for a wrong id before reading anything
  const run = tally.attachRun(runId);
  const progress = new Progress("log-metrics", stderr);
  const started = Date.now();
  let bytesRead = 0;
  const input = file === "-" ? process.stdin : createReadStream(file);
  input.on("data", (chunk: Buffer | string) => {
    bytesRead += chunk.length;
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let points = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (!line.trim()) continue;
      const point = parseMetricLine(line, `${file === "-" ? "stdin" : file}:${lineNumber}`);
      run.logMetric(point.key, point.value, point.step ?? 0, point.timestamp ?? started);
      points++;
      // Backpressure: never hold more than a few requests' worth in memory.
      if (run.pending >= tally.maxBatchSize * 5) await run.flush();
      progress.update(bytesRead, total, `${points} points`);
    }
    await run.flush();
  } finally {
    lines.close();
    progress.finish();
    await tally.close().catch(() => undefined);
  }
  const elapsed = Date.now() - started;
  const rate = Math.round((points * 1000) / Math.max(1, elapsed));
  print(`Logged ${points} metric points to run ${runId} in ${formatDuration(elapsed)} (${rate} points/s).`);
  return 0;
}

async function artifactsUpload(args: string[], print: (line?: string) => void, stderr: Out["stderr"]) {
  const { values, positionals } = parse(args, { run: { type: "string", short: "r" }, path: { type: "string" } }, 1);
  if (values.help) return help(print);
  const runId = required(values, "run");
  const local = positionals[0];
  if (!local) throw new UsageError("artifacts upload needs a LOCAL file or folder");
  const tally = client(values);
  const progress = new Progress("upload", stderr);
  let result: { files: number; bytes: number };
  try {
    result = await tally.logArtifact(runId, local, values.path, {
      onProgress: (p) => progress.update(p.bytes, p.total, p.path),
    });
  } finally {
    progress.finish();
  }
  const elapsed = progress.elapsedMs();
  print(
    `Uploaded ${result.files} file${result.files === 1 ? "" : "s"} (${formatBytes(result.bytes)}) to run ${runId}` +
      `${values.path ? ` under ${values.path}` : ""} in ${formatDuration(elapsed)} ` +
      `(${formatBytes((result.bytes * 1000) / Math.max(1, elapsed))}/s).`,
  );
  return 0;
}

async function artifactsDownload(args: string[], print: (line?: string) => void, stderr: Out["stderr"]) {
  const { values, positionals } = parse(args, { run: { type: "string", short: "r" }, dest: { type: "string", short: "d" } }, 1);
  if (values.help) return help(print);
  const runId = required(values, "run");
  const dest = required(values, "dest");
  const artifactPath = positionals[0] ?? "";
  const tally = client(values);
  const progress = new Progress("download", stderr);
  let local: string;
  try {
    local = await tally.downloadArtifact(runId, artifactPath, dest, {
      onProgress: (p) => progress.update(p.bytes, p.total, p.path),
    });
  } finally {
    progress.finish();
  }
  const elapsed = progress.elapsedMs();
  print(`Downloaded ${artifactPath || "all artifacts"} (${formatBytes(progress.bytes)}) to ${local} in ${formatDuration(elapsed)}.`);
  return 0;
}

async function artifactsList(args: string[], print: (line?: string) => void) {
  const { values, positionals } = parse(args, { run: { type: "string", short: "r" }, json: { type: "boolean" } }, 1);
  if (values.help) return help(print);
  const runId = required(values, "run");
  const tally = client(values);
  const files = await tally.listArtifacts(runId, positionals[0] ?? "");
  if (values.json) print(JSON.stringify(files, null, 2));
  else if (files.length === 0) print("No artifacts.");
  else for (const file of files) print(file.isDir ? `${file.path}/` : `${file.path}  ${formatBytes(file.fileSize ?? 0)}`);
  return 0;
}

/** The version named by a VERSION positional or --alias (exactly one of them). */
function versionRef(version: string | undefined, alias: unknown): VersionRef {
  if (version !== undefined && alias !== undefined) throw new UsageError("give a VERSION or --alias, not both");
  if (typeof alias === "string" && alias !== "") return { alias };
  if (version === undefined) throw new UsageError("a VERSION or --alias ALIAS is required");
  if (!/^[1-9]\d*$/.test(version)) throw new UsageError(`VERSION: a positive whole number, got "${version}"`);
  return Number(version);
}

function printVersion(version: ModelVersion, print: (line?: string) => void) {
  print(`Model ${version.name} version ${version.version}`);
  print(`  source:      ${version.source}`);
  print(`  run:         ${version.runId ?? "-"}`);
  if (version.modelId) print(`  logged model: ${version.modelId}`);
  print(`  status:      ${version.status}`);
  print(`  stage:       ${version.stage}`);
  print(`  aliases:     ${version.aliases.length ? version.aliases.join(", ") : "-"}`);
  print(`  created:     ${time(version.createdAt)}${version.userId ? ` by ${version.userId}` : ""}`);
  if (version.description) print(`  description: ${version.description}`);
  const tags = Object.entries(version.tags).sort(([a], [b]) => a.localeCompare(b));
  if (tags.length) print(`  tags:        ${tags.map(([key, value]) => `${key}=${value}`).join(" ")}`);
}

async function modelsRegister(args: string[], print: (line?: string) => void) {
  const { values, positionals } = parse(
    args,
    {
      run: { type: "string", short: "r" },
      "model-id": { type: "string" },
      description: { type: "string" },
      tag: { type: "string", multiple: true },
      json: { type: "boolean" },
    },
    2,
  );
  if (values.help) return help(print);
  const [name, source] = positionals;
  if (!name || !source) throw new UsageError("models register needs a NAME and a SOURCE (e.g. runs:/RUN_ID/model)");
  const tags: Record<string, string> = {};
  for (const tag of values.tag ?? []) {
    const cut = tag.indexOf("=");
    if (cut < 1) throw new UsageError(`--tag: KEY=VALUE, got "${tag}"`);
    tags[tag.slice(0, cut)] = tag.slice(cut + 1);
  }
  const version = await client(values).registerModel({
    name,
    source,
    ...(values.run ? { runId: values.run } : {}),
    ...(values["model-id"] ? { modelId: values["model-id"] } : {}),
    ...(values.description ? { description: values.description } : {}),
    tags,
  });
  if (values.json) print(JSON.stringify(version, null, 2));
  else print(`Registered ${version.name} version ${version.version} from ${version.source}.`);
  return 0;
}

async function aliasSet(args: string[], print: (line?: string) => void) {
  const { values, positionals } = parse(args, {}, 3);
  if (values.help) return help(print);
  const [name, alias, version] = positionals;
  if (!name || !alias || !version) throw new UsageError("models alias set needs NAME ALIAS VERSION");
  const number = versionRef(version, undefined) as number;
  await client(values).setAlias(name, alias, number);
  print(`${name}@${alias} → version ${number}`);
  return 0;
}

async function aliasDelete(args: string[], print: (line?: string) => void) {
  const { values, positionals } = parse(args, {}, 2);
  if (values.help) return help(print);
  const [name, alias] = positionals;
  if (!name || !alias) throw new UsageError("models alias delete needs NAME ALIAS");
  await client(values).deleteAlias(name, alias);
  print(`Deleted alias ${alias} of ${name}.`);
  return 0;
}

async function modelsGet(args: string[], print: (line?: string) => void) {
  const { values, positionals } = parse(args, { alias: { type: "string", short: "a" }, json: { type: "boolean" } }, 2);
  if (values.help) return help(print);
  const [name, version] = positionals;
  if (!name) throw new UsageError("models get needs a NAME");
  const ref = versionRef(version, values.alias);
  const tally = client(values);
  const found = typeof ref === "object" ? await tally.getVersionByAlias(name, ref.alias) : await tally.getVersion(name, ref);
  if (values.json) print(JSON.stringify(found, null, 2));
  else printVersion(found, print);
  return 0;
}

async function modelsDownload(args: string[], print: (line?: string) => void, stderr: Out["stderr"]) {
  const { values, positionals } = parse(args, { alias: { type: "string", short: "a" }, dest: { type: "string", short: "d" } }, 2);
  if (values.help) return help(print);
  const [name, version] = positionals;
  if (!name) throw new UsageError("models download needs a NAME");
  const ref = versionRef(version, values.alias);
  const dest = required(values, "dest");
  const tally = client(values);
  const progress = new Progress("download", stderr);
  let result: Awaited<ReturnType<Tally["downloadVersion"]>>;
  try {
    result = await tally.downloadVersion(name, ref, dest, { onProgress: (p) => progress.update(p.bytes, p.total, p.path) });
  } finally {
    progress.finish();
  }
  const elapsed = progress.elapsedMs();
  print(
    `Downloaded ${name} version ${result.version.version}${typeof ref === "object" ? ` (@${ref.alias})` : ""} ` +
      `(${formatBytes(progress.bytes)}) to ${result.path} in ${formatDuration(elapsed)}.`,
  );
  return 0;
}

/** A file the user named: a missing one is a clear error, not a stack trace. */
async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new TallyError("INVALID_PARAMETER_VALUE", `no ${what} at ${file}`);
    throw error;
  }
}

async function datasetsImportDvc(args: string[], print: (line?: string) => void) {
  const { values } = parse(args, {
    lock: { type: "string" },
    "dvc-yaml": { type: "string" },
    project: { type: "string" },
    "repo-url": { type: "string" },
    commit: { type: "string" },
    "no-git": { type: "boolean" },
    json: { type: "boolean" },
  });
  if (values.help) return help(print);
  const lockFile = values.lock ?? "dvc.lock";
  const lock = await readText(lockFile, "dvc.lock");
  const besideLock = path.join(path.dirname(lockFile), "dvc.yaml");
  const dvcYaml = values["dvc-yaml"]
    ? await readText(values["dvc-yaml"], "dvc.yaml")
    : await readFile(besideLock, "utf8").catch(() => undefined);
  const found = values["no-git"] ? {} : await repoOfLock(lockFile);
  const url = values["repo-url"] ?? found.url;
  const commit = values.commit ?? found.commit;
  const tally = client(values);
  const result = await tally.importDvc({
    lock,
    ...(dvcYaml !== undefined ? { dvcYaml } : {}),
    ...(url || commit ? { repo: { ...(url ? { url } : {}), ...(commit ? { commit } : {}) } } : {}),
    ...(values.project ? { project: values.project } : {}),
  });
  if (values.json) {
    print(JSON.stringify(result, null, 2));
    return 0;
  }
  if (found.note && !values.commit) print(`Note: ${found.note}.`);
  printDvcImport(lockFile, result, commit, print);
  return 0;
}

function printDvcImport(lockFile: string, result: DvcImportResult, commit: string | undefined, print: (line?: string) => void) {
  const { counts } = result;
  print(`Imported ${lockFile} (namespace ${result.namespace}${commit ? `, commit ${commit.slice(0, 12)}` : ""}):`);
  const rows = [["STAGE", "JOB RUN", "INPUTS", "OUTPUTS", "NODE"]];
  for (const stage of result.stages) {
    rows.push([stage.name, stage.created ? "new" : "known", stage.inputs.join(", ") || "-", stage.outputs.join(", ") || "-", stage.node]);
  }
  for (const line of table(rows)) print(`  ${line}`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  print(
    `${plural(counts.stages, "stage")} (${counts.jobRunsCreated} new job run${counts.jobRunsCreated === 1 ? "" : "s"}), ` +
      `${plural(counts.datasetVersionsCreated + counts.datasetVersionsKnown, "dataset version")} ` +
      `(${counts.datasetVersionsCreated} new, ${counts.datasetVersionsKnown} known), ${plural(counts.edgesCreated, "new edge")}.`,
  );
}

// Run when executed directly (node --import tsx sdk/src/cli.ts, or the bin), not when imported by tests.
const invoked = process.argv[1] ?? "";
if (/cli\.ts$/.test(invoked) || /bin\/tally(\.mjs)?$/.test(invoked)) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
