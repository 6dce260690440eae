import { closedLoop, type LoadResult } from "./closed-loop";
import { INGEST_KEYS, runIngest } from "./ingest-load";
import { percentile } from "./instance";
import type { Json, MlflowClient } from "./mlflow-client";

/** What bench:vs-mlflow sends to each server; `scale` 1 is the load. */
export interface VsLoad {
  /** Concurrent writers, and readers. */
  clients: number;
  /** log-batch requests of 1,000 points per writer. */
  bulkBatches: number;
  /** runs/log-metric requests per writer. */
  singlePoints: number;
  seededRuns: number;
  /** runs/get requests per reader. */
  gets: number;
  /** runs/search requests per reader. */
  searches: number;
  historyPoints: number;
  historyReads: number;
}

export function loadAtScale(scale: number, clients = 8): VsLoad {
  const perClient = (total: number) => Math.max(1, Math.round((total * scale) / clients));
  return {
    clients,
    bulkBatches: perClient(200),
    singlePoints: perClient(12_800),
    seededRuns: perClient(10_000) * clients,
    gets: perClient(4_000),
    searches: perClient(400),
    historyPoints: Math.max(1_000, Math.round((200_000 * scale) / 1_000) * 1_000),
    historyReads: 3,
  };
}

export interface ServerResults {
  bulk: { pointsPerSecond: number; p50Ms: number; p99Ms: number };
  single: LoadResult;
  /** Latencies are of a whole run: create, log-batch, update. */
  seeding: LoadResult;
  get: LoadResult;
  search: LoadResult;
  history: { secondsPerRead: number; pages: number };
  /** Run names of every page of the search, in the order the server returned them. */
  searchOrder: string[];
  /** What the server stored or answered differently from what was sent: empty when correct. */
  problems: string[];
}

/** The filter and order of the search workload, and the same in code to know the right answer. */
export const SEARCH = {
  filter: "metrics.m_0 > 0.5 AND params.p_1 = 'v3'",
  orderBy: ["metrics.m_2 DESC"],
};

const T0 = 1_700_000_000_000;

/**
 * Seeded metric values: i ↦ (i·k mod P) / P is one-to-one for i < P, so no two runs tie when ordered
 * by a metric and both servers must return one order.
 */
const PRIME = 1_000_003;
const seededMetric = (run: number, factor: number) => ((run * factor) % PRIME) / PRIME;
const SEEDED_METRICS = { m_0: 7_919, m_1: 104_729, m_2: 3_571 } as const;
const seededParams = (run: number) => ({ p_0: `v${run % 3}`, p_1: `v${run % 10}`, p_2: String(run) });
const seededTags = (run: number) => ({ team: `team-${run % 4}`, seed: String(run) });

export function expectedSearchOrder(seededRuns: number): string[] {
  return Array.from({ length: seededRuns }, (_, run) => run)
    .filter((run) => seededMetric(run, SEEDED_METRICS.m_0) > 0.5 && seededParams(run).p_1 === "v3")
    .sort((a, b) => seededMetric(b, SEEDED_METRICS.m_2) - seededMetric(a, SEEDED_METRICS.m_2))
    .map((run) => `seed-${run}`);
}

/** Runs every workload against one server's MLflow API, then checks what it stored. */
export async function runWorkloads(client: MlflowClient, load: VsLoad, log: (line: string) => void): Promise<ServerResults> {
  const problems: string[] = [];

  await warmUp(client, load);
  const seeded = await seedRuns(client, load);
  log(`seeded ${load.seededRuns} runs: ${seeded.result.perSecond.toFixed(0)} runs/s`);
  problems.push(...(await checkSeededRuns(client, seeded.experimentId, load.seededRuns)));

  const get = await readRuns(client, load, seeded.runIds, problems);
  log(`runs/get: ${get.perSecond.toFixed(0)} req/s`);

  const searchBody = JSON.stringify({ experiment_ids: [seeded.experimentId], filter: SEARCH.filter, order_by: SEARCH.orderBy, max_results: 100 });
  await client.post("runs/search", searchBody);
  const searchFailures: unknown[] = [];
  const search = await closedLoop(load.clients, load.searches, () => client.post("runs/search", searchBody), searchFailures);
  problems.push(...failedRequests("runs/search", searchFailures, load.clients * load.searches));
  log(`runs/search: ${search.perSecond.toFixed(1)} req/s`);
  const searchOrder = await searchAll(client, seeded.experimentId, SEARCH.filter, SEARCH.orderBy, 100).then((runs) => runs.map(runName));
  const expected = expectedSearchOrder(load.seededRuns);
  if (searchOrder.join() !== expected.join()) {
    problems.push(`runs/search returned ${searchOrder.length} runs (${searchOrder.slice(0, 3).join(", ")}, …), expected ${expected.length} (${expected.slice(0, 3).join(", ")}, …)`);
  }

  const bulk = await runIngest([client], { writers: load.clients, batches: load.bulkBatches, points: 1_000 }, "bulk");
  log(`bulk log-batch: ${bulk.pointsPerSecond} points/s`);
  for (const runId of bulk.runIds) {
    for (const key of INGEST_KEYS) problems.push(...(await checkSteps(client, runId, key, (load.bulkBatches * 1_000) / 10, "bulk log-batch")));
  }

  const single = await logSinglePoints(client, load);
  log(`runs/log-metric: ${single.result.perSecond.toFixed(0)} req/s`);
  for (const runId of single.runIds) problems.push(...(await checkSteps(client, runId, "loss", load.singlePoints, "runs/log-metric")));

  const history = await readLongHistory(client, load, problems);
  log(`full get-history of ${load.historyPoints} points: ${history.secondsPerRead.toFixed(2)} s`);

  return { bulk, single: single.result, seeding: seeded.result, get, search, history, searchOrder, problems };
}

/**
 * Every endpoint the workloads use, from every client at once (so every server process answers some,
 * whichever connections it holds), a few times, untimed, in an experiment of its own: the first
 * requests to a process are slow for reasons no user waits for twice (lazily loaded routes, a JIT
 * that has not compiled anything yet, connection pools still opening).
 */
async function warmUp(client: MlflowClient, load: VsLoad): Promise<void> {
  const experimentId = await createExperiment(client, "warm-up");
  await closedLoop(load.clients, 3, async (writer, index) => {
    const runId = await createRun(client, experimentId, `warm-up-${writer}-${index}`);
    const metrics = INGEST_KEYS.map((key, step) => ({ key, value: step, timestamp: T0, step }));
    await client.post("runs/log-batch", { run_id: runId, metrics, params: [{ key: "p_1", value: "v3" }], tags: [{ key: "team", value: "warm-up" }] });
    await client.post("runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: T0, step: 0 });
    await client.post("runs/update", { run_id: runId, status: "FINISHED", end_time: T0 + 1 });
    await client.get("runs/get", { run_id: runId });
    await client.post("runs/search", { experiment_ids: [experimentId], filter: SEARCH.filter, order_by: SEARCH.orderBy, max_results: 100 });
    await client.get("metrics/get-history", { run_id: runId, metric_key: INGEST_KEYS[0]! });
  });
}

async function createExperiment(client: MlflowClient, name: string): Promise<string> {
  return ((await client.post("experiments/create", { name })) as { experiment_id: string }).experiment_id;
}

async function createRun(client: MlflowClient, experimentId: string, name: string, startTime = T0): Promise<string> {
  const { run } = (await client.post("runs/create", { experiment_id: experimentId, run_name: name, start_time: startTime })) as {
    run: { info: { run_id: string } };
  };
  return run.info.run_id;
}

/** As a sweep's trials are recorded: create, one log-batch of a few params, metrics and tags, finish. */
export async function seedRuns(client: MlflowClient, load: VsLoad) {
  const experimentId = await createExperiment(client, "seeded");
  const perWriter = load.seededRuns / load.clients;
  const runIds: string[] = [];
  const pairs = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }));
  const result = await closedLoop(load.clients, perWriter, async (writer, index) => {
    const run = index * load.clients + writer;
    const runId = await createRun(client, experimentId, `seed-${run}`, T0 + run);
    await client.post("runs/log-batch", {
      run_id: runId,
      params: pairs(seededParams(run)),
      metrics: Object.entries(SEEDED_METRICS).map(([key, factor]) => ({ key, value: seededMetric(run, factor), timestamp: T0 + run, step: 0 })),
      tags: pairs(seededTags(run)),
    });
    await client.post("runs/update", { run_id: runId, status: "FINISHED", end_time: T0 + run + 60_000 });
    runIds[run] = runId;
  });
  return { experimentId, runIds, result };
}

async function checkSeededRuns(client: MlflowClient, experimentId: string, seededRuns: number): Promise<string[]> {
  const runs = await searchAll(client, experimentId, "", [], 1_000);
  const problems = runs.length === seededRuns ? [] : [`${runs.length} seeded runs found, ${seededRuns} created`];
  const seen = new Set<string>();
  for (const run of runs) {
    const name = runName(run);
    const index = Number(name.replace(/^seed-/, ""));
    const data = (run.data ?? {}) as { params?: { key: string; value: string }[]; metrics?: { key: string; value: number }[]; tags?: { key: string; value: string }[] };
    const params = Object.fromEntries((data.params ?? []).map(({ key, value }) => [key, value]));
    const metrics = Object.fromEntries((data.metrics ?? []).map(({ key, value }) => [key, Number(value)]));
    const tags = Object.fromEntries((data.tags ?? []).map(({ key, value }) => [key, value]));
    const wrong =
      seen.has(name) ||
      !Number.isInteger(index) ||
      (run.info as { status?: string }).status !== "FINISHED" ||
      Object.entries(seededParams(index)).some(([key, value]) => params[key] !== value) ||
      Object.entries(SEEDED_METRICS).some(([key, factor]) => metrics[key] !== seededMetric(index, factor)) ||
      Object.entries(seededTags(index)).some(([key, value]) => tags[key] !== value);
    if (wrong) problems.push(`seeded run ${name} is stored differently from what was sent, or twice`);
    seen.add(name);
  }
  return problems.slice(0, 10);
}

async function readRuns(client: MlflowClient, load: VsLoad, runIds: string[], problems: string[]): Promise<LoadResult> {
  await client.get("runs/get", { run_id: runIds[0]! });
  const failures: unknown[] = [];
  const result = await closedLoop(
    load.clients,
    load.gets,
    async (reader, index) => {
      const runId = runIds[(reader * load.gets + index) % runIds.length]!;
      const { run } = (await client.get("runs/get", { run_id: runId })) as { run: { info: { run_id: string } } };
      if (run.info.run_id !== runId) problems.push(`runs/get ${runId} answered run ${run.info.run_id}`);
    },
    failures,
  );
  problems.push(...failedRequests("runs/get", failures, load.clients * load.gets));
  return result;
}

/**
 * A read that failed is a problem to report, not a reason to stop the run: MLflow 3.17's server now and
 * then fails a runs/search with a 500 (an AttributeError on its lazily imported auth module).
 */
function failedRequests(endpoint: string, failures: unknown[], requests: number): string[] {
  if (failures.length === 0) return [];
  const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
  return [`${endpoint}: ${failures.length} of ${requests} requests failed; the first: ${first.slice(0, 300)}`];
}

/** One request per point, as the mlflow client's log_metric does: each writer in a run of its own. */
async function logSinglePoints(client: MlflowClient, load: VsLoad) {
  const experimentId = await createExperiment(client, "single");
  const runIds = await Promise.all(Array.from({ length: load.clients }, (_, writer) => createRun(client, experimentId, `single-${writer}`)));
  const body = (runId: string, step: number) => JSON.stringify({ run_id: runId, key: "loss", value: Math.cos(step), timestamp: T0 + step, step });
  // Warm-up points at a negative step, not counted.
  await Promise.all(runIds.map((runId) => client.post("runs/log-metric", body(runId, -1))));
  const bodies = runIds.map((runId) => Array.from({ length: load.singlePoints }, (_, step) => body(runId, step)));
  const result = await closedLoop(load.clients, load.singlePoints, (writer, step) => client.post("runs/log-metric", bodies[writer]![step]));
  return { runIds, result };
}

/** Logs one long metric (untimed), then times full reads of it, each following page_token to the end. */
async function readLongHistory(client: MlflowClient, load: VsLoad, problems: string[]) {
  const experimentId = await createExperiment(client, "history");
  const runId = await createRun(client, experimentId, "curve");
  const batches = load.historyPoints / 1_000;
  await closedLoop(load.clients, Math.ceil(batches / load.clients), async (writer, index) => {
    const batch = index * load.clients + writer;
    if (batch >= batches) return;
    const metrics = Array.from({ length: 1_000 }, (_, offset) => {
      const step = batch * 1_000 + offset;
      return { key: "curve", value: Math.sin(step / 1_000), timestamp: T0 + step, step };
    });
    await client.post("runs/log-batch", { run_id: runId, metrics });
  });
  problems.push(...(await checkSteps(client, runId, "curve", load.historyPoints, "long history")));
  const seconds: number[] = [];
  let pages = 0;
  for (let read = 0; read < load.historyReads; read++) {
    const started = performance.now();
    const history = await fullHistory(client, runId, "curve");
    seconds.push((performance.now() - started) / 1000);
    pages = history.pages;
    if (history.points.length !== load.historyPoints) problems.push(`a full get-history read returned ${history.points.length} of ${load.historyPoints} points`);
  }
  return { secondsPerRead: percentile(seconds.sort((a, b) => a - b), 0.5), pages };
}

/** Every point of a run's metric through metrics/get-history with the server's default page size. */
async function fullHistory(client: MlflowClient, runId: string, key: string) {
  const points: { step: number; value: number }[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = (await client.get("metrics/get-history", { run_id: runId, metric_key: key, ...(pageToken ? { page_token: pageToken } : {}) })) as {
      metrics?: { step: number | string; value: number | string }[];
      next_page_token?: string;
    };
    for (const metric of page.metrics ?? []) points.push({ step: Number(metric.step), value: Number(metric.value) });
    pageToken = page.next_page_token || undefined;
    pages++;
  } while (pageToken);
  return { points, pages };
}

/** Steps 0 … count - 1 of the metric are each stored exactly once (negative steps are warm-ups). */
async function checkSteps(client: MlflowClient, runId: string, key: string, count: number, workload: string): Promise<string[]> {
  const steps = (await fullHistory(client, runId, key)).points.map((point) => point.step).filter((step) => step >= 0);
  const distinct = new Set(steps);
  const complete = steps.length === count && distinct.size === count && steps.every((step) => Number.isInteger(step) && step < count);
  return complete ? [] : [`${workload}: run ${runId} has ${steps.length} points of ${key} (${distinct.size} distinct steps), ${count} were logged`];
}

/** Every run a search matches, following next_page_token. */
async function searchAll(client: MlflowClient, experimentId: string, filter: string, orderBy: string[], pageSize: number): Promise<Json[]> {
  const runs: Json[] = [];
  let pageToken: string | undefined;
  do {
    const page = (await client.post("runs/search", {
      experiment_ids: [experimentId],
      filter,
      order_by: orderBy,
      max_results: pageSize,
      ...(pageToken ? { page_token: pageToken } : {}),
    })) as { runs?: Json[]; next_page_token?: string };
    runs.push(...(page.runs ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return runs;
}

function runName(run: Json): string {
  return String((run.info as { run_name?: string }).run_name);
}
