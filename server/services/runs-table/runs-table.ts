import type { LifecycleStage, RunStatus } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import { pgPool } from "@/server/db/pool";
import { assertScope, type ProjectAccess } from "../access";
import { findExperiment } from "../experiments/internal";
import { compileRunSearch, MAX_RESULTS, type ViewType } from "../tracking-search";
import { executeSearch } from "../tracking-search/internal";

/**
 * The web app's runs table: one page of matching runs in the requested order, with values only for
 * the columns on screen (a table may know hundreds of keys; loading all of them for every row is what
 * makes other trackers slow).
 */

export interface RunTableColumns {
  metrics: string[];
  params: string[];
  tags: string[];
}

export interface RunTableRow {
  runId: string;
  name: string;
  status: RunStatus;
  userId: string;
  startTime: number;
  endTime: number | null;
  parentRunId: string | null;
  lifecycleStage: LifecycleStage;
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface RunTablePage {
  rows: RunTableRow[];
  nextPageToken?: string;
}

export interface RunTableQuery {
  experimentId: string;
  filter?: string;
  orderBy?: string[];
  viewType: ViewType;
  pageSize: number;
  pageToken?: string;
}

export async function runTablePage(access: ProjectAccess, query: RunTableQuery & { columns: RunTableColumns }): Promise<RunTablePage> {
  const search = await compiledRunTable(access, query, { orderBy: query.orderBy, maxResults: query.pageSize, pageToken: query.pageToken });
  const page = await executeSearch(search);
  const rows = await loadRows(page.ids, query.columns);
  return { rows, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
}

/** The table's search over its one experiment, scoped to the project. */
async function compiledRunTable(
  access: ProjectAccess,
  query: Omit<RunTableQuery, "pageSize" | "pageToken">,
  page: { orderBy?: string[]; maxResults: number; pageToken?: string },
) {
  assertScope(access, "project:read");
  const experiment = await findExperiment(access, query.experimentId);
  return compileRunSearch({
    projectId: access.project.id,
    experimentIds: [experiment.id],
    filter: query.filter,
    viewType: query.viewType,
    ...page,
  });
}

/** How many runs match, counted up to MAX_RESULTS (`capped` says the real number may be larger). */
export async function countRunTable(
  access: ProjectAccess,
  query: Omit<RunTableQuery, "pageSize" | "pageToken">,
): Promise<{ count: number; capped: boolean }> {
  const search = await compiledRunTable(access, query, { maxResults: MAX_RESULTS });
  const [row] = await db().$queryRawUnsafe<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM (${search.sql}) AS matched`,
    ...search.params,
  );
  const count = Math.min(row?.count ?? 0, MAX_RESULTS);
  return { count, capped: (row?.count ?? 0) > MAX_RESULTS };
}

async function loadRows(ids: string[], columns: RunTableColumns): Promise<RunTableRow[]> {
  if (ids.length === 0) return [];
  const pool = pgPool();
  const [runs, metrics, params, tags] = await Promise.all([
    pool.query<Omit<RunTableRow, "metrics" | "params" | "tags"> & { seq: number }>(
      `SELECT id AS "runId", seq, name, status, "userId", "startTime", "endTime", "parentRunId", "lifecycleStage"
       FROM "Run" WHERE id = ANY($1::text[])`,
      [ids],
    ),
    columns.metrics.length
      ? pool.query<{ runId: string; key: string; value: number }>(
          `SELECT r.id AS "runId", m.key, m.value FROM "LatestMetric" m JOIN "Run" r ON r.seq = m."runSeq"
           WHERE r.id = ANY($1::text[]) AND m.key = ANY($2::text[])`,
          [ids, columns.metrics],
        )
      : null,
    columns.params.length ? keyedValues("Param", ids, columns.params) : null,
    columns.tags.length ? keyedValues("RunTag", ids, columns.tags) : null,
  ]);
  const byId = new Map(
    runs.rows.map(({ seq: _seq, ...run }): [string, RunTableRow] => [run.runId, { ...run, metrics: {}, params: {}, tags: {} }]),
  );
  for (const { runId, key, value } of metrics?.rows ?? []) byId.get(runId)!.metrics[key] = value;
  for (const { runId, key, value } of params?.rows ?? []) byId.get(runId)!.params[key] = value;
  for (const { runId, key, value } of tags?.rows ?? []) byId.get(runId)!.tags[key] = value;
  return ids.map((id) => byId.get(id)!);
}

function keyedValues(table: "Param" | "RunTag", ids: string[], keys: string[]) {
  return pgPool().query<{ runId: string; key: string; value: string }>(
    `SELECT "runId", key, value FROM "${table}" WHERE "runId" = ANY($1::text[]) AND key = ANY($2::text[])`,
    [ids, keys],
  );
}

/** Every metric, param and tag key used by the experiment's runs: the column picker and filter completion. */
export async function runTableKeys(access: ProjectAccess, experimentId: string): Promise<RunTableColumns> {
  assertScope(access, "project:read");
  const experiment = await findExperiment(access, experimentId);
  const { rows } = await pgPool().query<{ kind: keyof RunTableColumns; key: string }>(
    `SELECT 'metrics' AS kind, key FROM (SELECT DISTINCT m.key FROM "LatestMetric" m JOIN "Run" r ON r.seq = m."runSeq" WHERE r."experimentId" = $1) k
     UNION ALL
     SELECT 'params', key FROM (SELECT DISTINCT p.key FROM "Param" p JOIN "Run" r ON r.id = p."runId" WHERE r."experimentId" = $1) k
     UNION ALL
     SELECT 'tags', key FROM (SELECT DISTINCT t.key FROM "RunTag" t JOIN "Run" r ON r.id = t."runId" WHERE r."experimentId" = $1) k
     ORDER BY 1, 2`,
    [experiment.id],
  );
  const keys: RunTableColumns = { metrics: [], params: [], tags: [] };
  for (const { kind, key } of rows) keys[kind].push(key);
  return keys;
}
