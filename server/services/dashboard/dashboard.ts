import { isRunStatus, RUN_STATUSES, type RunStatus } from "@/lib/tracking-states";
import { pgPool } from "@/server/db/pool";
import { assertScope, type ProjectAccess } from "../access";

/**
 * The project dashboard's numbers, each one aggregate query in PostgreSQL: no runs are loaded into
 * memory to be counted. Deleted runs and runs of deleted experiments never count.
 */

const DAY_MS = 86_400_000;

/** Runs `r` of project $1 with their experiment `e`; LIVE_RUNS_FILTER keeps the live ones. */
const RUNS_WITH_EXPERIMENT = `FROM "Run" r JOIN "Experiment" e ON e.id = r."experimentId"`;
const LIVE_RUNS_FILTER = `r."projectId" = $1 AND r."lifecycleStage" = 'active' AND e."lifecycleStage" = 'active'`;
const LIVE_RUNS = `${RUNS_WITH_EXPERIMENT} WHERE ${LIVE_RUNS_FILTER}`;

export interface DashboardKpis {
  runsLast7Days: number;
  runsPrevious7Days: number;
  /** FINISHED / (FINISHED + FAILED + KILLED) over runs started in the last 30 days; null without ended runs. */
  successRate: number | null;
  runsInProgress: number;
  registeredModels: number;
  /** Versions (of any registered model) in the Production stage. */
  productionVersions: number;
}

export async function dashboardKpis(access: ProjectAccess, now = Date.now()): Promise<DashboardKpis> {
  assertScope(access, "project:read");
  const { rows } = await pgPool().query<{
    last7: number;
    previous7: number;
    finished: number;
    ended: number;
    in_progress: number;
    models: number;
    production: number;
  }>(
    `SELECT
       count(*) FILTER (WHERE r."startTime" >= $2) AS last7,
       count(*) FILTER (WHERE r."startTime" >= $3 AND r."startTime" < $2) AS previous7,
       count(*) FILTER (WHERE r."startTime" >= $4 AND r.status = 'FINISHED') AS finished,
       count(*) FILTER (WHERE r."startTime" >= $4 AND r.status IN ('FINISHED', 'FAILED', 'KILLED')) AS ended,
       count(*) FILTER (WHERE r.status IN ('RUNNING', 'SCHEDULED')) AS in_progress,
       (SELECT count(*) FROM "RegisteredModel" m WHERE m."projectId" = $1) AS models,
       (SELECT count(*) FROM "ModelVersion" v JOIN "RegisteredModel" vm ON vm.id = v."modelId"
         WHERE vm."projectId" = $1 AND v.stage = 'Production') AS production
     ${LIVE_RUNS}`,
    [access.project.id, now - 7 * DAY_MS, now - 14 * DAY_MS, now - 30 * DAY_MS],
  );
  const row = rows[0]!;
  return {
    runsLast7Days: row.last7,
    runsPrevious7Days: row.previous7,
    successRate: row.ended === 0 ? null : row.finished / row.ended,
    runsInProgress: row.in_progress,
    registeredModels: row.models,
    productionVersions: row.production,
  };
}

export interface RunsPerDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  counts: Record<RunStatus, number>;
}

/** Runs started per UTC day over the last `days` days (today included), split by status; days without runs are zeros. */
export async function runsPerDay(access: ProjectAccess, days = 30, now = Date.now()): Promise<RunsPerDay[]> {
  assertScope(access, "project:read");
  const firstDayIndex = Math.floor(now / DAY_MS) - (days - 1);
  const { rows } = await pgPool().query<{ day: number; status: string; runs: number }>(
    `SELECT floor(r."startTime" / ${DAY_MS}::float8)::int AS day, r.status, count(*) AS runs
     ${LIVE_RUNS} AND r."startTime" >= $2
     GROUP BY 1, 2`,
    [access.project.id, firstDayIndex * DAY_MS],
  );
  const series = Array.from({ length: days }, (_, index): RunsPerDay => ({
    day: new Date((firstDayIndex + index) * DAY_MS).toISOString().slice(0, 10),
    counts: Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>,
  }));
  for (const row of rows) {
    const entry = series[row.day - firstDayIndex];
    if (entry && isRunStatus(row.status)) entry.counts[row.status] += row.runs;
  }
  return series;
}

export interface BestRun {
  runId: string;
  runName: string;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  value: number;
  step: number;
}

/** The top runs by the latest value of one metric (NaN never wins). */
export async function bestRuns(
  access: ProjectAccess,
  input: { metricKey: string; direction: "max" | "min"; limit?: number },
): Promise<BestRun[]> {
  assertScope(access, "project:read");
  const { rows } = await pgPool().query<BestRun>(
    `SELECT r.id AS "runId", r.name AS "runName", e.number::text AS "experimentId", e.name AS "experimentName",
            r.status, m.value, m.step
     ${RUNS_WITH_EXPERIMENT} JOIN "LatestMetric" m ON m."runSeq" = r.seq AND m.key = $2
     WHERE ${LIVE_RUNS_FILTER} AND m.value <> 'NaN'::float8
     ORDER BY m.value ${input.direction === "max" ? "DESC" : "ASC"}, r."startTime" DESC
     LIMIT $3`,
    [access.project.id, input.metricKey, Math.min(Math.max(input.limit ?? 10, 1), 100)],
  );
  return rows;
}

/** The metric keys logged in the project, for pickers. */
export async function projectMetricKeys(access: ProjectAccess, limit = 500): Promise<string[]> {
  assertScope(access, "project:read");
  const { rows } = await pgPool().query<{ key: string }>(
    `SELECT DISTINCT m.key
     ${RUNS_WITH_EXPERIMENT} JOIN "LatestMetric" m ON m."runSeq" = r.seq
     WHERE ${LIVE_RUNS_FILTER}
     ORDER BY m.key LIMIT $2`,
    [access.project.id, limit],
  );
  return rows.map((row) => row.key);
}

export interface RecentRun {
  runId: string;
  runName: string;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  userId: string;
  startTime: number;
  endTime: number | null;
}

/** The most recently started live runs of the project. */
export async function recentRuns(access: ProjectAccess, limit = 10): Promise<RecentRun[]> {
  assertScope(access, "project:read");
  const { rows } = await pgPool().query<RecentRun>(
    `SELECT r.id AS "runId", r.name AS "runName", e.number::text AS "experimentId", e.name AS "experimentName",
            r.status, r."userId", r."startTime", r."endTime"
     ${LIVE_RUNS}
     ORDER BY r."startTime" DESC, r.id
     LIMIT $2`,
    [access.project.id, Math.min(Math.max(limit, 1), 100)],
  );
  return rows;
}
