import { notFound } from "@/lib/errors";
import { lifecycleStageOf, runStatusOf } from "@/lib/tracking-states";
import { pooledSql } from "@/server/db/pool";
import { preparedStatement } from "@/server/db/prepared";
import type { ProjectAccess } from "../access";
import { MAX_SEARCH_PAGE_BYTES, RUN_BYTES } from "./page-budget";
import type { Dataset, KeyValue, Run, RunInfo } from "./types";

/**
 * Unguarded reads of runs for other services, which check the caller's scope themselves. They are
 * not in the public index: an edge reaches runs only through a function that asserts a scope.
 */

/** A run's own columns, with its experiment's MLflow id; `r` is the run, `e` its experiment. */
export const RUN_INFO_COLUMNS = `r."id", r."seq", r."name", r."userId", r."status", r."startTime", r."endTime", r."artifactUri",
  r."lifecycleStage", e."number" AS "experimentNumber"`;

/** A run row as RUN_INFO_COLUMNS reads it (int8 columns arrive as numbers, server/db/pool.ts). */
export interface RunInfoRow {
  id: string;
  seq: number;
  name: string;
  userId: string;
  status: string;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: string;
  experimentNumber: number;
}

export function toRunInfo(row: RunInfoRow): RunInfo {
  return {
    id: row.id,
    name: row.name,
    experimentId: String(row.experimentNumber),
    userId: row.userId,
    status: runStatusOf(row.status),
    startTime: row.startTime,
    endTime: row.endTime,
    artifactUri: row.artifactUri,
    lifecycleStage: lifecycleStageOf(row.lifecycleStage),
  };
}

const FIND_RUN_SQL = preparedStatement(
  `SELECT ${RUN_INFO_COLUMNS} FROM "Run" r JOIN "Experiment" e ON e."id" = r."experimentId" WHERE r."id" = $1 AND r."projectId" = $2`,
);

/** A run of the caller's project, or NOT_FOUND (runs of other projects do not exist for it). */
export async function findRun(access: ProjectAccess, runId: string): Promise<RunInfoRow> {
  const found = await pooledSql().query<RunInfoRow>(FIND_RUN_SQL, [runId, access.project.id]);
  const run = found.rows[0];
  if (!run) throw notFound(`Run with id=${runId} not found`);
  return run;
}

/**
 * Whole runs in one statement: what was logged to each run comes aggregated as JSON, sorted as the
 * answer lists it (metrics, params and tags by key; inputs, model inputs and outputs by their key).
 * Metrics, params and tags come as [key, value, ...] arrays, the shortest form to send and parse.
 * Params and tags are read by the run's seq: a run's rows lie together in that index, in the order
 * runs were created, where the random ids of the primary key scatter them (docs/performance.md,
 * "Params and tags carry the run's number").
 * `source` is the statement's FROM and WHERE, which name the run `r` and its experiment `e`;
 * `before` and `after` add a WITH clause and columns.
 */
const runsStatement = ({ before = "", after = "", source }: { before?: string; after?: string; source: string }) =>
  preparedStatement(`${before}
  SELECT ${RUN_INFO_COLUMNS},
    (SELECT json_agg(json_build_array(m."key", m."value", m."timestamp", m."step") ORDER BY m."key")
       FROM "LatestMetric" m WHERE m."runSeq" = r."seq") AS "metrics",
    (SELECT json_agg(json_build_array(p."key", p."value") ORDER BY p."key") FROM "Param" p WHERE p."runSeq" = r."seq") AS "params",
    (SELECT json_agg(json_build_array(t."key", t."value") ORDER BY t."key") FROM "RunTag" t WHERE t."runSeq" = r."seq") AS "tags",
    (SELECT json_agg(json_build_object('tags', i."tags", 'name', d."name", 'digest', d."digest", 'sourceType', d."sourceType",
                                       'source', d."source", 'schema', d."schema", 'profile', d."profile") ORDER BY i."datasetId")
       FROM "RunInput" i JOIN "Dataset" d ON d."id" = i."datasetId" WHERE i."runId" = r."id") AS "inputs",
    (SELECT json_agg(mi."modelId" ORDER BY mi."modelId") FROM "RunModelInput" mi WHERE mi."runId" = r."id") AS "modelInputs",
    (SELECT json_agg(json_build_array(o."modelId", o."step") ORDER BY o."modelId") FROM "RunOutput" o WHERE o."runId" = r."id") AS "outputs"
    ${after}
  ${source}`);

/**
 * The same for one run (runs/get) has its own text: for an array of ids it cannot see, the planner
 * assumes ten, so the generic plan of the array statement looked ten times dearer than a plan for one
 * id, and PostgreSQL planned every runs/get anew (docs/performance.md, "Generic plans"). For
 * `id = $1` the generic plan expects the one row it gets.
 */
const RUNS_SQL = runsStatement({ source: `FROM "Run" r JOIN "Experiment" e ON e."id" = r."experimentId" WHERE r."id" = ANY($1::text[]) AND r."projectId" = $2` });
const ONE_RUN_SQL = runsStatement({ source: `FROM "Run" r JOIN "Experiment" e ON e."id" = r."experimentId" WHERE r."id" = $1 AND r."projectId" = $2` });

/**
 * A search page's runs within a budget of stored bytes ($3), in one statement: each run's weight
 * (`RUN_BYTES`, from stored sizes only) is summed in page order, and only the runs up to the first
 * that passes the budget are loaded, the first run always. Every row also carries the position (in
 * $1, from 1) of the first run left out, or null. The runs are found by `id = ANY(...)`, which has
 * one good plan (the primary key) whatever the planner's statistics say: a join with the list of ids
 * could become a scan of every run of the project while they are missing, as after a burst of new runs.
 */
const PAGE_WITHIN_BUDGET_SQL = runsStatement({
  before: `WITH "weighed" AS MATERIALIZED (
    SELECT r.*, array_position($1::text[], r."id") AS "position", ${RUN_BYTES} AS "bytes"
    FROM "Run" r WHERE r."id" = ANY($1::text[]) AND r."projectId" = $2
  ), "fitting" AS MATERIALIZED (
    SELECT *, (row_number() OVER "upTo" = 1 OR sum("bytes") OVER "upTo" <= $3) AS "fits"
    FROM "weighed" WINDOW "upTo" AS (ORDER BY "position")
  )`,
  after: `, (SELECT min("position") FROM "fitting" WHERE NOT "fits") AS "leftOutFrom"`,
  source: `FROM "fitting" r JOIN "Experiment" e ON e."id" = r."experimentId" WHERE r."fits"`,
});

interface RunRow extends RunInfoRow {
  /** [key, value, timestamp, step]; PostgreSQL's JSON spells NaN and the infinities as strings. */
  metrics: [string, number | string, number, number][] | null;
  params: [string, string][] | null;
  tags: [string, string][] | null;
  inputs: (Omit<Dataset, "schema" | "profile"> & { tags: KeyValue[]; schema: string | null; profile: string | null })[] | null;
  modelInputs: string[] | null;
  outputs: [string, number][] | null;
}

const keyValues = (pairs: [string, string][] | null): KeyValue[] => (pairs ?? []).map(([key, value]) => ({ key, value }));

/**
 * Object.assign rather than `{ ...toRunInfo(row), metrics, … }`: in Node 20's V8 a spread followed by
 * more properties takes a slow path, about 11 µs a run, a millisecond of a search page's 100 runs
 * (docs/performance.md, "Object spread on hot paths").
 */
function toRun(row: RunRow): Run {
  return Object.assign(toRunInfo(row), {
    metrics: (row.metrics ?? []).map(([key, value, timestamp, step]) => ({ key, value: Number(value), timestamp, step })),
    params: keyValues(row.params),
    tags: keyValues(row.tags),
    datasetInputs: (row.inputs ?? []).map(({ tags, schema, profile, ...dataset }) => ({
      dataset: { ...dataset, ...(schema !== null ? { schema } : {}), ...(profile !== null ? { profile } : {}) },
      tags,
    })),
    modelInputs: (row.modelInputs ?? []).map((modelId) => ({ modelId })),
    modelOutputs: (row.outputs ?? []).map(([modelId, step]) => ({ modelId, step })),
  });
}

/** Whole runs for the given ids (in that order), confined to the caller's project; unknown ids are left out. */
export async function loadRuns(access: ProjectAccess, runIds: string[]): Promise<Run[]> {
  if (runIds.length === 0) return [];
  const [statement, ids] = runIds.length === 1 ? [ONE_RUN_SQL, runIds[0]] : [RUNS_SQL, runIds];
  const rows = await pooledSql().query<RunRow>(statement, [ids, access.project.id]);
  return inOrder(runIds, rows.rows);
}

/**
 * The runs of a search page (`runIds`, in order) as far as they fit in MAX_SEARCH_PAGE_BYTES
 * (page-budget.ts): the longest run of the ids, at least the first run still there, and how many of
 * the ids that is (ids of runs gone since the search count, and are left out).
 */
export async function loadRunsWithinBudget(access: ProjectAccess, runIds: string[]): Promise<{ runs: Run[]; idsUsed: number }> {
  if (runIds.length === 0) return { runs: [], idsUsed: 0 };
  const rows = await pooledSql().query<RunRow & { leftOutFrom: number | null }>(PAGE_WITHIN_BUDGET_SQL, [runIds, access.project.id, MAX_SEARCH_PAGE_BYTES]);
  const leftOutFrom = rows.rows[0]?.leftOutFrom ?? null;
  const idsUsed = leftOutFrom === null ? runIds.length : leftOutFrom - 1;
  return { runs: inOrder(runIds.slice(0, idsUsed), rows.rows), idsUsed };
}

function inOrder(runIds: string[], rows: RunRow[]): Run[] {
  const byId = new Map(rows.map((row) => [row.id, toRun(row)]));
  return runIds.flatMap((id) => byId.get(id) ?? []);
}
