import { badInput } from "@/lib/errors";
import { assertScope, type ProjectAccess } from "../access";
import { metricStore, type MetricBucket } from "../metrics";
import { findRun } from "./runs";
import type { MetricView } from "./views";

export const MAX_HISTORY_PAGE = 25_000;
export const MAX_DOWNSAMPLE_BUCKETS = 5_000;

function decodeOffset(pageToken: string | undefined): number {
  if (!pageToken) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(pageToken, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw badInput("Invalid page token");
}

const encodeOffset = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64url");

/** Raw points of one metric, ordered by (timestamp, step, value), in pages. */
export async function getMetricHistory(
  access: ProjectAccess,
  input: { runId: string; key: string; maxResults?: number; pageToken?: string },
): Promise<{ metrics: MetricView[]; next_page_token?: string }> {
  assertScope(access, "project:read");
  const run = await findRun(access, input.runId);
  const limit = Math.min(input.maxResults ?? MAX_HISTORY_PAGE, MAX_HISTORY_PAGE);
  if (limit < 1) throw badInput("max_results must be positive");
  const offset = decodeOffset(input.pageToken);
  const points = await metricStore().history(Number(run.seq), input.key, { offset, limit: limit + 1 });
  const page = points.slice(0, limit);
  return {
    metrics: page.map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step })),
    ...(points.length > limit ? { next_page_token: encodeOffset(offset + limit) } : {}),
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
