/**
 * The Tally client: experiments and runs over the MLflow-compatible REST API, buffered metric logging
 * in background batches, retries with backoff, and an offline buffer for when the server is unreachable.
 *
 * Exit: pending data is flushed on `beforeExit`. `process.exit()` skips that event, so call
 * `await tally.close()` (or `await run.end()`) before exiting explicitly.
 */
import { homedir } from "node:os";
import path from "node:path";
import { TallyError } from "./errors.ts";
import { HttpClient, defaultDeps, type HttpDeps, type RetryOptions } from "./http.ts";
import { splitBatches } from "./batching.ts";
import { OfflineBuffer, type OfflineEntry, type OfflineEntryInput, type ReplayResult } from "./offline.ts";
import { decodeDouble, decodeInt, encodeDouble, type KeyValue, type WireMetric } from "./wire.ts";
import type { DatasetInput, Experiment, FileInfo, Metric, ModelVersion, RunInfo, RunRecord, RunStatus, TransferProgress, WhoAmI } from "./types.ts";
import * as artifacts from "./artifacts.ts";
import { dvcTrackedFile, type DvcLookupOptions, type DvcTrackedFile } from "./dvc.ts";
import { importDvc, type DvcImportOptions, type DvcImportResult } from "./dvc-import.ts";
import * as registry from "./registry.ts";
import { captureSource, SOURCE_DIFF_ARTIFACT, type CapturedSource, type SourceCaptureOptions } from "./source.ts";

export interface TallyOptions {
  /** Project URL, e.g. http://host/projects/my-project. Env: TALLY_URL, then MLFLOW_TRACKING_URI. */
  url?: string;
  /** Project API token (tly_...). Env: TALLY_TOKEN, then MLFLOW_TRACKING_TOKEN. */
  token?: string;
  /** Offline buffer directory (default ~/.tally/offline); false turns buffering off. */
  offlineDir?: string | false;
  /** How often buffered data is sent in the background (default 1000 ms). */
  flushIntervalMs?: number;
  /** Items per log-batch request (default and maximum 1000); a full buffer is sent at once. */
  maxBatchSize?: number;
  retry?: RetryOptions;
  /** Flush pending data on process `beforeExit` (default true). */
  flushOnExit?: boolean;
  /** Errors from background flushes (default: one line on stderr). They are also thrown by the next flush()/end(). */
  onError?: (error: TallyError) => void;
  /**
   * Record the code each run starts from: git commit, branch, remote, uncommitted changes (size-capped)
   * and the command line (default true). false turns it off; an object tunes it. startRun can override.
   */
  captureSource?: boolean | SourceCaptureOptions;
  /** Test seams. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface StartRunOptions {
  /** Experiment name; created when missing. */
  experiment: string;
  name?: string;
  tags?: Record<string, string>;
  params?: Record<string, unknown>;
  /** Overrides the client's `captureSource` for this run. */
  captureSource?: boolean | SourceCaptureOptions;
}

export interface SearchRunsOptions {
  experimentIds?: string[];
  /** Resolved to ids; an unknown name is a RESOURCE_DOES_NOT_EXIST error. */
  experimentNames?: string[];
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface ArtifactTransferOptions {
  onProgress?: (progress: TransferProgress) => void;
}

export class Tally {
  readonly base: string;
  readonly http: HttpClient;
  readonly offline: OfflineBuffer | undefined;
  readonly flushIntervalMs: number;
  readonly maxBatchSize: number;
  readonly now: () => number;
  readonly onError: (error: TallyError) => void;
  readonly captureSource: boolean | SourceCaptureOptions;
  /** Runs with a background timer (started or attached, not yet ended). */
  private readonly runs = new Set<Run>();
  /** Whether the offline buffer may hold entries for this server (undefined: not checked yet). */
  private offlinePending: boolean | undefined;
  private readonly artifactRoots = new Map<string, string>();
  private exitHandler: (() => void) | undefined;
  private closed = false;

  constructor(options: TallyOptions = {}) {
    const url = options.url ?? process.env.TALLY_URL ?? process.env.MLFLOW_TRACKING_URI;
    if (!url) {
      throw new TallyError("INVALID_CONFIG", "no Tally URL: pass { url } or set TALLY_URL (or MLFLOW_TRACKING_URI)");
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TallyError("INVALID_CONFIG", `not a URL: ${url}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new TallyError("INVALID_CONFIG", `the Tally URL must be http(s): ${url}`);
    }
    this.base = url.replace(/\/+$/, "");
    const token = options.token ?? process.env.TALLY_TOKEN ?? process.env.MLFLOW_TRACKING_TOKEN;
    const deps: HttpDeps = {
      fetch: options.fetch ?? defaultDeps.fetch,
      sleep: options.sleep ?? defaultDeps.sleep,
      random: options.random ?? defaultDeps.random,
    };
    this.http = new HttpClient(token || undefined, options.retry, deps);
    this.now = options.now ?? Date.now;
    const offlineDir = options.offlineDir ?? path.join(homedir(), ".tally", "offline");
    this.offline = offlineDir === false ? undefined : new OfflineBuffer(offlineDir, this.now);
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxBatchSize = Math.max(1, Math.min(1000, options.maxBatchSize ?? 1000));
    this.captureSource = options.captureSource ?? true;
    this.onError =
      options.onError ?? ((error) => process.stderr.write(`[tally] background flush failed: ${error.message}\n`));
    if (options.flushOnExit ?? true) {
      this.exitHandler = () => {
        if ([...this.runs].some((run) => run.busy)) void this.flush().catch((error) => this.onError(asTallyError(error)));
      };
      process.on("beforeExit", this.exitHandler);
    }
  }

  /** `<base>/api/2.0/mlflow<path>` */
  mlflowUrl(apiPath: string): string {
    return `${this.base}/api/2.0/mlflow${apiPath}`;
  }

  /** The server root (the base without `/projects/<slug>`), for the Tally REST API. */
  get serverRoot(): string {
    return this.base.replace(/\/projects\/[^/]+$/, "");
  }

  private get(apiPath: string, query: Record<string, string | number | string[] | undefined>) {
    return this.http.json(this.mlflowUrl(apiPath), { method: "GET", query });
  }

  private post(apiPath: string, body: unknown) {
    return this.http.json(this.mlflowUrl(apiPath), { method: "POST", json: body });
  }

  /** Which project and token this client speaks as. */
  async whoami(): Promise<WhoAmI> {
    return this.http.json<WhoAmI>(`${this.serverRoot}/api/v1/whoami`, { method: "GET" });
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const body = await this.get("/experiments/get-by-name", { experiment_name: name });
      return decodeExperiment(body.experiment);
    } catch (error) {
      if (error instanceof TallyError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") return undefined;
      throw error;
    }
  }

  /** The experiment's id, creating it when missing (a concurrent create is tolerated). */
  async ensureExperiment(name: string): Promise<string> {
    const existing = await this.getExperimentByName(name);
    if (existing) return existing.experimentId;
    try {
      const body = await this.post("/experiments/create", { name });
      return String(body.experiment_id);
    } catch (error) {
      if (error instanceof TallyError && /ALREADY_EXISTS/.test(error.errorCode)) {
        const again = await this.getExperimentByName(name);
        if (again) return again.experimentId;
      }
      throw error;
    }
  }

  /** Creates a run (and its experiment when missing); params and tags are sent before this resolves. */
  async startRun(options: StartRunOptions): Promise<Run> {
    this.assertOpen();
    const experimentId = await this.ensureExperiment(options.experiment);
    const capture = options.captureSource ?? this.captureSource;
    const source: CapturedSource = capture === false ? { tags: {}, diff: null } : await captureSource(capture === true ? {} : capture);
    // The caller's own tags win over captured ones.
    const tags = { ...source.tags, ...options.tags };
    const body = await this.post("/runs/create", {
      experiment_id: experimentId,
      ...(options.name ? { run_name: options.name } : {}),
      start_time: this.now(),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value: String(value) })),
    });
    const info = decodeRunInfo((body.run as Record<string, unknown> | undefined)?.info);
    const run = this.attach(info.runId, info);
    if (source.diff) {
      // The run exists either way: a diff that cannot be stored is reported, never fatal.
      await artifacts
        .putBytes(this, artifactRootOf(info), SOURCE_DIFF_ARTIFACT, source.diff.bytes, "text/x-diff")
        .catch((error) => {
          const failure = asTallyError(error);
          this.onError(new TallyError(failure.errorCode, `the run's uncommitted changes (${SOURCE_DIFF_ARTIFACT}) were not stored: ${failure.serverMessage}`, { status: failure.status, retryable: failure.retryable, cause: failure }));
        });
    }
    if (options.params && Object.keys(options.params).length > 0) {
      run.logParams(options.params);
      await run.flush();
    }
    return run;
  }

  /** A Run handle for an existing run (no request is made): log to it, flush, end. */
  attachRun(runId: string): Run {
    this.assertOpen();
    return this.attach(runId);
  }

  private attach(runId: string, info?: RunInfo): Run {
    if (info) this.artifactRoots.set(runId, artifactRootOf(info));
    const run = new Run(this, runId, info);
    this.runs.add(run);
    return run;
  }

  /** @internal called by Run.end() */
  detach(run: Run): void {
    this.runs.delete(run);
  }

  async getRun(runId: string): Promise<RunRecord> {
    const body = await this.get("/runs/get", { run_id: runId });
    const record = decodeRun(body.run);
    this.artifactRoots.set(runId, artifactRootOf(record.info));
    return record;
  }

  /** One page of runs/search (full runs). */
  async searchRuns(options: SearchRunsOptions = {}): Promise<{ runs: RunRecord[]; nextPageToken?: string }> {
    const ids = [...(options.experimentIds ?? [])];
    for (const name of options.experimentNames ?? []) {
      const experiment = await this.getExperimentByName(name);
      if (!experiment) throw new TallyError("RESOURCE_DOES_NOT_EXIST", `no experiment named "${name}"`, { status: 404 });
      ids.push(experiment.experimentId);
    }
    const body = await this.post("/runs/search", {
      experiment_ids: ids,
      ...(options.filter ? { filter: options.filter } : {}),
      max_results: options.maxResults ?? 1000,
      ...(options.orderBy?.length ? { order_by: options.orderBy } : {}),
      ...(options.pageToken ? { page_token: options.pageToken } : {}),
      run_view_type: "ACTIVE_ONLY",
    });
    const runs = Array.isArray(body.runs) ? body.runs.map(decodeRun) : [];
    const next = typeof body.next_page_token === "string" && body.next_page_token ? body.next_page_token : undefined;
    return next ? { runs, nextPageToken: next } : { runs };
  }

  /** Every point of a metric, following page tokens. */
  async getMetricHistory(runId: string, key: string, options: { pageSize?: number } = {}): Promise<Metric[]> {
    const points: Metric[] = [];
    let pageToken: string | undefined;
    for (;;) {
      const body = await this.get("/metrics/get-history", {
        run_id: runId,
        metric_key: key,
        max_results: options.pageSize ?? 25_000,
        page_token: pageToken,
      });
      if (Array.isArray(body.metrics)) points.push(...body.metrics.map(decodeMetric));
      pageToken = typeof body.next_page_token === "string" && body.next_page_token ? body.next_page_token : undefined;
      if (!pageToken) return points;
    }
  }

  /** Sends one log-batch request as is (limits are the caller's business; see Run for buffering). */
  async logBatch(runId: string, batch: { metrics?: WireMetric[]; params?: KeyValue[]; tags?: KeyValue[] }): Promise<void> {
    await this.post("/runs/log-batch", {
      run_id: runId,
      metrics: batch.metrics ?? [],
      params: batch.params ?? [],
      tags: batch.tags ?? [],
    });
  }

  /** Logs datasets the run used (MLflow's runs/log-inputs), sent at once; `context` becomes the tag `mlflow.data.context`. */
  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    await this.post("/runs/log-inputs", {
      run_id: runId,
      datasets: inputs.map((input) => ({
        tags: input.context ? [{ key: "mlflow.data.context", value: input.context }] : [],
        dataset: {
          name: input.name,
          digest: input.digest,
          source_type: input.sourceType,
          source: input.source,
          ...(input.schema !== undefined ? { schema: input.schema } : {}),
          ...(input.profile !== undefined ? { profile: input.profile } : {}),
        },
      })),
    });
  }

  /**
   * Logs a DVC-tracked file or folder as an input of the run: named by its path as dvc.lock writes it,
   * with DVC's md5 as digest, so Tally links the run to the version a DVC import made of it.
   */
  async logDvcInput(runId: string, file: string, options: DvcLookupOptions & { context?: string } = {}): Promise<DvcTrackedFile> {
    const tracked = await dvcTrackedFile(file, options);
    await this.logInputs(runId, [
      { name: tracked.path, digest: tracked.md5, sourceType: "dvc", source: JSON.stringify({ uri: tracked.path }), context: options.context },
    ]);
    return tracked;
  }

  /** Imports a DVC pipeline's dvc.lock (and dvc.yaml) into the project's lineage; see DvcImportOptions. */
  importDvc(options: DvcImportOptions): Promise<DvcImportResult> {
    return importDvc(this, options);
  }

  async updateRun(runId: string, status: RunStatus, endTime?: number): Promise<void> {
    await this.post("/runs/update", { run_id: runId, status, ...(endTime !== undefined ? { end_time: endTime } : {}) });
  }

  private async sendEntry(entry: OfflineEntryInput | OfflineEntry): Promise<void> {
    if (entry.kind === "log-batch") await this.post("/runs/log-batch", entry.body);
    else await this.post("/runs/update", entry.body);
  }

  /**
   * Sends entries in order. Older offline entries for this server go first; when the server stays
   * unreachable (after retries) the entry that failed and all later ones are appended to the offline
   * buffer, so order is kept. A refused entry (4xx) is skipped and its error thrown at the end.
   * @internal
   */
  async deliver(entries: OfflineEntryInput[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.offline && (await this.mayHaveOffline())) {
      const replay = await this.replayOffline();
      if (replay.remaining > 0 || replay.locked) {
        await this.offline.append(this.base, entries);
        this.offlinePending = true;
        return;
      }
    }
    let refused: TallyError | undefined;
    for (let index = 0; index < entries.length; index++) {
      try {
        await this.sendEntry(entries[index]!);
      } catch (error) {
        const failure = asTallyError(error);
        if (failure.retryable && this.offline) {
          await this.offline.append(this.base, entries.slice(index));
          this.offlinePending = true;
          this.onError(
            new TallyError(
              failure.errorCode,
              `${failure.serverMessage}; ${entries.length - index} request(s) saved to ${this.offline.dir}, replayed when the server is back`,
              { status: failure.status, retryable: true, cause: failure },
            ),
          );
          break;
        }
        if (failure.retryable) throw failure;
        refused ??= failure;
      }
    }
    if (refused) throw refused;
  }

  private async mayHaveOffline(): Promise<boolean> {
    if (!this.offline) return false;
    this.offlinePending ??= await this.offline.hasPending(this.base);
    return this.offlinePending;
  }

  /** Replays this server's offline buffer in order; stops (keeping the rest) if it is still unreachable. */
  async replayOffline(): Promise<ReplayResult> {
    if (!this.offline) return { sent: 0, remaining: 0, rejected: 0, locked: false };
    const result = await this.offline.replay(this.base, (entry) => this.sendEntry(entry));
    this.offlinePending = result.remaining > 0 || result.locked;
    return result;
  }

  /** Sends everything buffered by every open run. */
  async flush(): Promise<void> {
    const results = await Promise.allSettled([...this.runs].map((run) => run.flush()));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
  }

  /** Flushes all runs and stops background timers and the exit hook. Runs are not ended. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      for (const run of this.runs) run.stopTimer();
      this.runs.clear();
      if (this.exitHandler) process.off("beforeExit", this.exitHandler);
      this.exitHandler = undefined;
    }
  }

  private assertOpen() {
    if (this.closed) throw new TallyError("INVALID_STATE", "this Tally client is closed");
  }

  /** Storage path of a run's artifact root, e.g. `1/<run>/artifacts`. */
  async artifactRoot(runId: string): Promise<string> {
    const known = this.artifactRoots.get(runId);
    if (known) return known;
    return artifactRootOf((await this.getRun(runId)).info);
  }

  /** Uploads a file (to `<artifactPath>/<file name>`) or a folder's contents (under `<artifactPath>`), streamed. */
  async logArtifact(
    runId: string,
    localPath: string,
    artifactPath?: string,
    options: ArtifactTransferOptions = {},
  ): Promise<{ files: number; bytes: number }> {
    return artifacts.upload(this, await this.artifactRoot(runId), localPath, artifactPath, options.onProgress);
  }

  /** Downloads an artifact file or folder to `<dest>/<its name>`; returns that local path. */
  async downloadArtifact(runId: string, artifactPath: string, dest: string, options: ArtifactTransferOptions = {}) {
    return artifacts.download(this, await this.artifactRoot(runId), artifactPath, dest, options.onProgress);
  }

  /** Lists a run's artifact folder (paths relative to the run's artifact root). */
  async listArtifacts(runId: string, artifactPath = ""): Promise<FileInfo[]> {
    return artifacts.list(this, await this.artifactRoot(runId), artifactPath);
  }

  /**
   * Registers a new version of a model (created when it does not exist; an existing one, or one created
   * at the same moment by someone else, is fine, as in mlflow). `source`: `runs:/<run_id>/<path>`,
   * `models:/<model_id>` or an `mlflow-artifacts:/` URI.
   */
  registerModel(options: registry.RegisterModelOptions): Promise<ModelVersion> {
    return registry.registerModel(this, options);
  }

  getVersion(name: string, version: number | string): Promise<ModelVersion> {
    return registry.getVersion(this, name, version);
  }

  /** The version an alias points at (RESOURCE_DOES_NOT_EXIST if the alias or model does not exist). */
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return registry.getVersionByAlias(this, name, alias);
  }

  /** Points an alias at a version, moving it if it pointed at another one. */
  setAlias(name: string, alias: string, version: number | string): Promise<void> {
    return registry.setAlias(this, name, alias, version);
  }

  /** Removes an alias; removing one that does not exist is not an error. */
  deleteAlias(name: string, alias: string): Promise<void> {
    return registry.deleteAlias(this, name, alias);
  }

  /**
   * Downloads a version's files (by number, or `{ alias }`): a folder's contents into `dest`, a single
   * file to `dest/<its name>`. Returns the local path and the version downloaded.
   */
  downloadVersion(
    name: string,
    version: registry.VersionRef,
    dest: string,
    options: ArtifactTransferOptions = {},
  ): Promise<{ path: string; version: ModelVersion }> {
    return registry.downloadVersion(this, name, version, dest, options.onProgress);
  }
}

/** A run being logged to. Logging calls buffer; data is sent in the background and by flush()/end(). */
export class Run {
  private metrics: WireMetric[] = [];
  private params: KeyValue[] = [];
  private tags: KeyValue[] = [];
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failure: TallyError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly tally: Tally,
    readonly id: string,
    readonly info?: RunInfo,
  ) {
    this.timer = setInterval(() => {
      if (this.pending > 0 && this.inFlight === 0) this.backgroundFlush();
    }, tally.flushIntervalMs);
    this.timer.unref();
  }

  get experimentId(): string | undefined {
    return this.info?.experimentId;
  }

  /** Buffered items not yet handed to a request. */
  get pending(): number {
    return this.metrics.length + this.params.length + this.tags.length;
  }

  /** Something is buffered or being sent. */
  get busy(): boolean {
    return this.pending > 0 || this.inFlight > 0;
  }

  logMetric(key: string, value: number, step = 0, timestamp = this.tally.now()): void {
    this.assertLive();
    checkKey(key);
    if (typeof value !== "number") throw invalid(`metric "${key}": value must be a number, got ${typeof value}`);
    if (!Number.isInteger(step)) throw invalid(`metric "${key}": step must be an integer, got ${step}`);
    if (!Number.isFinite(timestamp) || timestamp < 0) throw invalid(`metric "${key}": bad timestamp ${timestamp}`);
    this.metrics.push({ key, value: encodeDouble(value), timestamp: Math.trunc(timestamp), step });
    if (this.metrics.length >= this.tally.maxBatchSize) this.backgroundFlush();
  }

  logMetrics(values: Record<string, number>, step = 0, timestamp = this.tally.now()): void {
    for (const [key, value] of Object.entries(values)) this.logMetric(key, value, step, timestamp);
  }

  /** Params are immutable on the server: logging the same value again is fine, a different one is refused. */
  logParams(values: Record<string, unknown>): void {
    this.assertLive();
    for (const [key, value] of Object.entries(values)) {
      checkKey(key);
      this.params.push({ key, value: typeof value === "string" ? value : JSON.stringify(value) ?? String(value) });
    }
    if (this.pending >= this.tally.maxBatchSize) this.backgroundFlush();
  }

  setTags(values: Record<string, unknown>): void {
    this.assertLive();
    for (const [key, value] of Object.entries(values)) {
      checkKey(key);
      this.tags.push({ key, value: String(value) });
    }
    if (this.pending >= this.tally.maxBatchSize) this.backgroundFlush();
  }

  private backgroundFlush() {
    this.enqueue().catch((error) => {
      this.failure ??= asTallyError(error);
      this.tally.onError(asTallyError(error));
    });
  }

  /** Queues a drain of what is buffered now; drains run one after another, in order. */
  private enqueue(): Promise<void> {
    this.inFlight++;
    const run = () => this.drain();
    const next = this.chain.then(run, run).finally(() => {
      this.inFlight--;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async drain(): Promise<void> {
    if (this.pending === 0) return;
    const batches = splitBatches({ metrics: this.metrics, params: this.params, tags: this.tags }, this.tally.maxBatchSize);
    this.metrics = [];
    this.params = [];
    this.tags = [];
    await this.tally.deliver(batches.map((batch) => ({ kind: "log-batch" as const, body: { run_id: this.id, ...batch } })));
  }

  /**
   * Sends everything buffered so far (into the offline buffer if the server is unreachable). Throws the
   * server's error if it refused data, here or in an earlier background flush.
   */
  async flush(): Promise<void> {
    try {
      await this.enqueue();
    } catch (error) {
      this.failure = undefined;
      throw error;
    }
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  /** Flushes, then marks the run ended (FINISHED by default). Offline, the status change is buffered too. */
  async end(status: Exclude<RunStatus, "RUNNING" | "SCHEDULED"> = "FINISHED"): Promise<void> {
    if (this.ended) return;
    let flushError: unknown;
    try {
      await this.flush();
    } catch (error) {
      flushError = error;
    }
    this.ended = true;
    this.stopTimer();
    this.tally.detach(this);
    await this.tally.deliver([{ kind: "update-run", body: { run_id: this.id, status, end_time: this.tally.now() } }]);
    if (flushError) throw flushError;
  }

  /** @internal */
  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Uploads a file (to `<artifactPath>/<file name>`) or a folder's contents (under `<artifactPath>`), streamed. */
  logArtifact(localPath: string, artifactPath?: string, options: ArtifactTransferOptions = {}) {
    return this.tally.logArtifact(this.id, localPath, artifactPath, options);
  }

  /** Logs datasets this run used, sent at once (not buffered). */
  logInputs(inputs: DatasetInput[]): Promise<void> {
    return this.tally.logInputs(this.id, inputs);
  }

  /** Logs a DVC-tracked file or folder as an input, with DVC's md5 as digest (see Tally.logDvcInput). */
  logDvcInput(file: string, options: DvcLookupOptions & { context?: string } = {}): Promise<DvcTrackedFile> {
    return this.tally.logDvcInput(this.id, file, options);
  }

  private assertLive() {
    if (this.ended) throw new TallyError("INVALID_STATE", `run ${this.id} has ended`);
  }
}

function invalid(message: string) {
  return new TallyError("INVALID_PARAMETER_VALUE", message);
}

function checkKey(key: string) {
  if (typeof key !== "string" || key.length === 0 || key.length > 250) {
    throw invalid(`keys must be 1-250 characters, got ${JSON.stringify(key)}`);
  }
}

export function asTallyError(error: unknown): TallyError {
  if (error instanceof TallyError) return error;
  return new TallyError("INTERNAL_ERROR", error instanceof Error ? error.message : String(error), { cause: error });
}

/** `mlflow-artifacts:/1/<run>/artifacts` → `1/<run>/artifacts` */
export function artifactRootOf(info: RunInfo): string {
  return registry.storagePathOf(info.artifactUri ?? "") ?? `${info.experimentId}/${info.runId}/artifacts`;
}

type Json = Record<string, unknown>;

function decodeExperiment(raw: unknown): Experiment {
  const e = (raw ?? {}) as Json;
  return {
    experimentId: String(e.experiment_id ?? ""),
    name: String(e.name ?? ""),
    artifactLocation: String(e.artifact_location ?? ""),
    lifecycleStage: String(e.lifecycle_stage ?? "active"),
  };
}

export function decodeMetric(raw: unknown): Metric {
  const m = (raw ?? {}) as Json;
  return { key: String(m.key), value: decodeDouble(m.value), timestamp: decodeInt(m.timestamp), step: decodeInt(m.step) };
}

function decodeRunInfo(raw: unknown): RunInfo {
  const i = (raw ?? {}) as Json;
  const endTime = decodeInt(i.end_time);
  return {
    runId: String(i.run_id ?? i.run_uuid ?? ""),
    runName: String(i.run_name ?? ""),
    experimentId: String(i.experiment_id ?? ""),
    ...(i.user_id ? { userId: String(i.user_id) } : {}),
    status: String(i.status ?? "RUNNING") as RunStatus,
    startTime: decodeInt(i.start_time),
    ...(endTime ? { endTime } : {}),
    artifactUri: String(i.artifact_uri ?? ""),
    lifecycleStage: String(i.lifecycle_stage ?? "active"),
  };
}

function keyValues(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) for (const item of raw as Json[]) out[String(item.key)] = String(item.value ?? "");
  return out;
}

export function decodeRun(raw: unknown): RunRecord {
  const r = (raw ?? {}) as Json;
  const data = (r.data ?? {}) as Json;
  return {
    info: decodeRunInfo(r.info),
    data: {
      metrics: Array.isArray(data.metrics) ? data.metrics.map(decodeMetric) : [],
      params: keyValues(data.params),
      tags: keyValues(data.tags),
    },
  };
}
