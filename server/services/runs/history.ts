import { badInput, notFound } from "@/lib/errors";
import { MAX_BULK_INTERVAL_RESULTS, MAX_BULK_INTERVAL_RUNS } from "@/lib/schemas/mlflow-runs";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { metricStore, type HistoryPosition, type MetricBucket } from "../metrics";
import { findRun } from "./internal";
import type { MetricPoint } from "./types";

export const MAX_HISTORY_PAGE = 25_000;
export const MAX_DOWNSAMPLE_BUCKETS = 5_000;

/**
 * Where the next page starts: the previous page's last point, its numbers as strings (JSON has no
 * NaN). Only what encodePosition writes is accepted: each string must be the spelling of its number.
 */
function decodePosition(pageToken: string | undefined): HistoryPosition | undefined {
  if (!pageToken) return undefined;
  try {
    const { after } = JSON.parse(Buffer.from(pageToken, "base64url").toString("utf8")) as { after?: unknown };
    if (Array.isArray(after) && after.length === 3 && after.every((part) => typeof part === "string" && String(Number(part)) === part)) {
      const [timestamp, step, value] = after.map(Number) as [number, number, number];
      if (Number.isSafeInteger(timestamp) && Number.isSafeInteger(step)) return { timestamp, step, value };
    }
  } catch {
    // fall through to the error below
  }
  throw badInput("Invalid page token");
}

const encodePosition = ({ timestamp, step, value }: HistoryPosition) =>
  Buffer.from(JSON.stringify({ after: [String(timestamp), String(step), String(value)] })).toString("base64url");

/** Raw points of one metric, ordered by (timestamp, step, value), in pages. */
export async function getMetricHistory(
  access: ProjectAccess,
  input: { runId: string; key: string; maxResults?: number; pageToken?: string },
): Promise<{ metrics: MetricPoint[]; nextPageToken?: string }> {
  assertScope(access, "project:read");
  let limit: number, after: HistoryPosition | undefined;
  try {
    limit = Math.min(input.maxResults ?? MAX_HISTORY_PAGE, MAX_HISTORY_PAGE);
    if (limit < 1) throw badInput("max_results must be positive");
    after = decodePosition(input.pageToken);
  } catch (refusal) {
    // A run that does not exist is the first thing to say, as for every run request.
    await findRun(access, input.runId);
    throw refusal;
  }
  const run = {
    sql: `SELECT "seq" FROM "Run" WHERE "id" = $1 AND "projectId" = $2`,
    values: [input.runId, access.project.id],
  };
  const points = await metricStore().history(run, input.key, { after, limit: limit + 1 });
  if (!points) throw notFound(`Run with id=${input.runId} not found`);
  const page = points.slice(0, limit);
  return {
    metrics: page.map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step })),
    ...(points.length > limit ? { nextPageToken: encodePosition(page.at(-1)!) } : {}),
  };
}

/** A long series reduced in the database to at most `buckets` (min, max, last) buckets over steps. */
export async function getDownsampledHistory(
  access: ProjectAccess,
  input: { runId: string; key: string; buckets: number },
): Promise<MetricBucket[]> {
  assertScope(access, "project:read");
  if (!Number.isInteger(input.buckets) || input.buckets < 1 || input.buckets > MAX_DOWNSAMPLE_BUCKETS) {
    throw badInput(`buckets must be an integer from 1 to ${MAX_DOWNSAMPLE_BUCKETS}`);
  }
  const run = await findRun(access, input.runId);
  return metricStore().downsample(Number(run.seq), input.key, input.buckets);
}

/**
 * MLflow's get-history-bulk-interval (what its UI charts several runs with): the points of one metric
 * of up to 100 runs at up to `maxResults` steps sampled evenly from the steps any of them logged in
 * [startStep, endStep], first and last included. Points come run by run, in the order asked.
 */
export async function getMetricHistoryBulkInterval(
  access: ProjectAccess,
  input: { runIds: string[]; key: string; startStep?: number; endStep?: number; maxResults: number },
): Promise<{ metrics: (MetricPoint & { runId: string })[] }> {
  assertScope(access, "project:read");
  const runIds = [...new Set(input.runIds)];
  if (runIds.length === 0 || runIds.length > MAX_BULK_INTERVAL_RUNS) {
    throw badInput(`run_ids must name from 1 to ${MAX_BULK_INTERVAL_RUNS} runs`);
  }
  if (!Number.isInteger(input.maxResults) || input.maxResults < 1 || input.maxResults > MAX_BULK_INTERVAL_RESULTS) {
    throw badInput(`max_results must be an integer from 1 to ${MAX_BULK_INTERVAL_RESULTS}`);
  }
  if (input.startStep !== undefined && input.endStep !== undefined && input.startStep > input.endStep) {
    throw badInput(`start_step (${input.startStep}) must not be greater than end_step (${input.endStep})`);
  }
  const runs = await db().run.findMany({ where: { id: { in: runIds }, projectId: access.project.id }, select: { id: true, seq: true } });
  const seqOf = new Map(runs.map((run) => [run.id, Number(run.seq)]));
  const missing = runIds.find((runId) => !seqOf.has(runId));
  if (missing) throw notFound(`Run with id=${missing} not found`);
  const seqs = runIds.map((runId) => seqOf.get(runId)!);
  const steps = await metricStore().sampledSteps(seqs, input.key, { start: input.startStep, end: input.endStep }, input.maxResults);
  const points = await metricStore().pointsAtSteps(seqs, input.key, steps);
  const runIdOf = new Map(runs.map((run) => [Number(run.seq), run.id]));
  return { metrics: points.map(({ runSeq, key, value, timestamp, step }) => ({ key, value, timestamp, step, runId: runIdOf.get(runSeq)! })) };
}
