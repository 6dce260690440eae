import { isUniqueViolationOn } from "@/server/db/errors";
import { genericPlanSql, pgPool, pooledSql } from "@/server/db/pool";
import { preparedStatement } from "@/server/db/prepared";
import { latestPerKey } from "./latest-points";
import type { LatestMetricView, MetricBucket, MetricExtremes, MetricPointInput, MetricPointView, MetricStore } from "./metric-store";

/**
 * Points go in as one statement of INSERT … SELECT FROM unnest(arrays), points and latest values
 * together: a single round trip per batch, whatever its size (`appendToRun` adds the run's check to
 * that statement). The primary key (run, key, step, timestamp, value) turns retried points into no-ops.
 *
 * On their own (`appendToRun`, `appendToRuns`) points are first inserted plainly, and only when some
 * were stored already (a client's retry) again skipping those: `ON CONFLICT DO NOTHING` checks the
 * key before inserting each point, which made PostgreSQL's CPU per 1,000-point batch 1.6 times as
 * high (docs/performance.md, "Points sent again"). A failed statement writes nothing.
 */
export const postgresMetricStore: MetricStore = {
  async append(tx, runSeq, points) {
    if (points.length === 0) return;
    // Inside the caller's transaction a failed statement would abort all of it: skip stored points at once.
    const statement = appendStatement(points, latestPerKey(points), { seq: "$1", from: "", firstParam: 2, skipStored: true });
    await tx.query(preparedStatement(`WITH stored AS (${statement.points}) ${statement.latest}`), [runSeq, ...statement.values]);
  },

  async appendToRun(run, points) {
    const latest = latestPerKey(points);
    const found = await insertingOnce(async (skipStored) => {
      const statement = appendStatement(points, latest, { seq: `run."seq"`, from: "run, ", firstParam: run.values.length + 1, skipStored });
      return pooledSql().query(
        preparedStatement(
          `WITH run AS (${run.sql}), ${run.alsoWrites ? `${run.alsoWrites}, ` : ""}stored AS (${statement.points}), latest AS (${statement.latest}) SELECT 1 FROM run`,
        ),
        [...run.values, ...statement.values],
      );
    });
    return found.rows.length > 0;
  },

  async appendToRuns(runs, writes) {
    // Latest values per run, the runs in id order, as the selection locks them.
    const byRun = new Map<string, MetricPointInput[]>();
    for (const write of writes) {
      const points = byRun.get(write.runId) ?? [];
      points.push(...write.points);
      byRun.set(write.runId, points);
    }
    const runIds = [...byRun.keys()].sort();
    const latest = runIds.flatMap((runId) => latestPerKey(byRun.get(runId)!).map((point) => ({ ...point, runId })));
    const points = writes.flatMap((write) => write.points.map((point) => ({ ...point, runId: write.runId })));
    const found = await insertingOnce(async (skipStored) => {
      const statement = appendStatement(points, latest, { seq: `run."seq"`, from: "run, ", firstParam: 3, byRunId: true, skipStored });
      return genericPlanSql().query<{ id: string }>(
        preparedStatement(`WITH run AS (${runs}), stored AS (${statement.points}), latest AS (${statement.latest}) SELECT "id" FROM run`),
        [writes.map((write) => write.runId), writes.map((write) => write.projectId), ...statement.values],
      );
    });
    return new Set(found.rows.map((row) => row.id));
  },

  async sampledSteps(runSeqs, key, range, maxResults) {
    const result = await pgPool().query<{ step: number }>(SAMPLED_STEPS_SQL, [runSeqs, key, range.start ?? null, range.end ?? null, maxResults]);
    return result.rows.map((row) => row.step);
  },

  async pointsAtSteps(runSeqs, key, steps) {
    if (runSeqs.length === 0 || steps.length === 0) return [];
    const result = await pgPool().query<LatestMetricView>(
      `SELECT "runSeq", "key", "value", "timestamp", "step" FROM "MetricPoint"
       WHERE "runSeq" = ANY($1::int8[]) AND "key" = $2 AND "step" = ANY($3::int8[])
       ORDER BY array_position($1::int8[], "runSeq"), "step", "timestamp", "value"`,
      [runSeqs, key, steps],
    );
    return result.rows;
  },

  async extremes(runSeqs) {
    if (runSeqs.length === 0) return [];
    const result = await pgPool().query<MetricExtremes>(
      `SELECT "runSeq", "key",
              min("value") FILTER (WHERE "value" <> 'NaN'::float8) AS "min",
              max("value") FILTER (WHERE "value" <> 'NaN'::float8) AS "max"
       FROM "MetricPoint" WHERE "runSeq" = ANY($1::int8[])
       GROUP BY "runSeq", "key" ORDER BY "runSeq", "key"`,
      [runSeqs],
    );
    return result.rows;
  },

  async history(run, key, page) {
    const first = run.values.length + 1;
    // The next page starts after the last point of the previous one. An offset would make every
    // page sort all the points before it again: on a 200,000-point series, the last of eight pages
    // took ten times as long as the first.
    const after = page.after
      ? { sql: `AND ("timestamp", "step", "value") > ($${first + 2}::int8, $${first + 3}::int8, $${first + 4}::float8)`, values: [page.after.timestamp, page.after.step, String(page.after.value)] }
      : { sql: "", values: [] };
    // One row of NULLs when the run has no such points, none when there is no run.
    const result = await pgPool().query<{ [K in keyof MetricPointView]: MetricPointView[K] | null }>(
      `WITH run AS (${run.sql})
       SELECT p."key", p."value", p."timestamp", p."step" FROM run
       LEFT JOIN LATERAL (
         SELECT "key", "value", "timestamp", "step" FROM "MetricPoint"
         WHERE "runSeq" = run."seq" AND "key" = $${first} ${after.sql}
         ORDER BY "timestamp", "step", "value"
         LIMIT $${first + 1}
       ) p ON true`,
      [...run.values, key, page.limit, ...after.values],
    );
    if (result.rows.length === 0) return null;
    return result.rows.flatMap((row) => (row.key === null ? [] : [row as MetricPointView]));
  },

  async downsample(runSeq, key, buckets) {
    const bounds = await pgPool().query<{ lo: number | null; hi: number | null }>(
      `SELECT min("step") AS lo, max("step") AS hi FROM "MetricPoint" WHERE "runSeq" = $1 AND "key" = $2`,
      [runSeq, key],
    );
    const { lo, hi } = bounds.rows[0]!;
    if (lo === null || hi === null) return [];
    // One query runs on one PostgreSQL core; disjoint halves of the buckets on two connections take
    // about half the time of one pass over a million points.
    const half = Math.ceil(buckets / 2);
    const slices = buckets > 1 ? [[0, half - 1], [half, buckets - 1]] : [[0, 0]];
    const parts = await Promise.all(
      slices.map(([first, last]) => pgPool().query<MetricBucket>(BUCKETS_SQL, [runSeq, key, buckets, lo, hi, first, last])),
    );
    // Object.assign: a spread followed by more properties is slow in Node 20 (docs/performance.md, "Object spread on hot paths").
    return parts.flatMap((part) => part.rows).map((row) => Object.assign(row, { min: row.min ?? Number.NaN, max: row.max ?? Number.NaN }));
  },
};



/**
 * The two inserts of an append, to be run as one statement: the points, and the newest point per
 * (run, key), which replaces the stored latest value only when it is newer by MLflow's order (step,
 * timestamp, value). `seq` is the SQL of the run's seq (a parameter, or a column of the run selected
 * in `from`); the values are numbered from `firstParam`. With `byRunId`, `from` selects several runs
 * and each point goes to the run whose "id" is its `runId`.
 */
function appendStatement(
  points: readonly RunPoint[],
  latest: readonly RunPoint[],
  run: { seq: string; from: string; firstParam: number; byRunId?: boolean; skipStored: boolean },
) {
  // Number arrays go as PostgreSQL array literals built here (JS prints doubles exactly, and NaN
  // and ±Infinity in the spelling float8 accepts); the optional columns go as NULL when no point
  // has them, which unnest pads with NULLs. Both spare the driver per-element work on the hot path.
  const optional = (pick: (point: RunPoint) => string | undefined) =>
    points.some((point) => pick(point) !== undefined) ? points.map((point) => pick(point) ?? null) : null;
  const numbers = (from: readonly RunPoint[], pick: (point: RunPoint) => number) => `{${from.map(pick).join(",")}}`;
  const $ = (index: number) => `$${run.firstParam + index}`;
  const byRun = run.byRunId
    ? { pointRuns: `${$(11)}::text[], `, latestRuns: `${$(12)}::text[], `, column: "run_id, ", where: `WHERE run."id" = p.run_id`, latestWhere: `WHERE run."id" = l.run_id` }
    : { pointRuns: "", latestRuns: "", column: "", where: "", latestWhere: "" };
  return {
    points: `INSERT INTO "MetricPoint" ("runSeq", "key", "value", "timestamp", "step", "modelId", "datasetName", "datasetDigest")
      SELECT ${run.seq}, p.key, p.value, p.ts, p.step, p.model_id, p.dataset_name, p.dataset_digest
      FROM ${run.from}unnest(${byRun.pointRuns}${$(0)}::text[], ${$(1)}::float8[], ${$(2)}::int8[], ${$(3)}::int8[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::text[])
        AS p(${byRun.column}key, value, ts, step, model_id, dataset_name, dataset_digest) ${byRun.where}
      ${run.skipStored ? "ON CONFLICT DO NOTHING" : ""}`,
    // Rows are upserted in the order given (sorted, so that concurrent appends lock them in one order).
    latest: `INSERT INTO "LatestMetric" ("runSeq", "key", "value", "timestamp", "step")
      SELECT ${run.seq}, l.key, l.value, l.ts, l.step
      FROM ${run.from}unnest(${byRun.latestRuns}${$(7)}::text[], ${$(8)}::float8[], ${$(9)}::int8[], ${$(10)}::int8[]) WITH ORDINALITY AS l(${byRun.column}key, value, ts, step, position)
      ${byRun.latestWhere} ORDER BY l.position
      ON CONFLICT ("runSeq", "key") DO UPDATE
        SET "value" = EXCLUDED."value", "timestamp" = EXCLUDED."timestamp", "step" = EXCLUDED."step"
        WHERE ("LatestMetric"."step", "LatestMetric"."timestamp", "LatestMetric"."value")
            < (EXCLUDED."step", EXCLUDED."timestamp", EXCLUDED."value")`,
    values: [
      points.map((point) => point.key),
      numbers(points, (point) => point.value),
      numbers(points, (point) => point.timestamp),
      numbers(points, (point) => point.step),
      optional((point) => point.modelId),
      optional((point) => point.datasetName),
      optional((point) => point.datasetDigest),
      latest.map((point) => point.key),
      numbers(latest, (point) => point.value),
      numbers(latest, (point) => point.timestamp),
      numbers(latest, (point) => point.step),
      ...(run.byRunId ? [points.map((point) => point.runId), latest.map((point) => point.runId)] : []),
    ],
  };
}

type RunPoint = MetricPointInput & { runId?: string };

/** `insert(false)`, or when it failed on points already stored, `insert(true)`. */
async function insertingOnce<T>(insert: (skipStored: boolean) => Promise<T>): Promise<T> {
  try {
    return await insert(false);
  } catch (error) {
    if (isUniqueViolationOn(error, "MetricPoint")) return insert(true);
    throw error;
  }
}

/**
 * Buckets `first`..`last` of `buckets` equal step intervals over [lo, hi] (edges in numeric: steps
 * span ±2^53, and that span times a bucket number overflows int8). Each bucket is an index
 * range scan over its interval (plus one backward probe for the last value), so nothing is sorted:
 * grouping by a computed bucket number instead sorted every point on disk (~500 ms for a million).
 */
const BUCKETS_SQL = `
  WITH edges AS (
    SELECT i, $4::int8 + floor(($5::numeric - $4::int8 + 1) * i / $3)::int8 AS first_step,
              $4::int8 + floor(($5::numeric - $4::int8 + 1) * (i + 1) / $3)::int8 AS end_step
    FROM generate_series($6::int, $7::int) AS i
  )
  SELECT agg."stepMin", agg."stepMax", agg."min", agg."max", agg."count", last."value" AS "last",
         last."timestamp" AS "lastTimestamp"
  FROM edges e
  CROSS JOIN LATERAL (
    SELECT min("step") AS "stepMin", max("step") AS "stepMax",
           min("value") FILTER (WHERE "value" <> 'NaN') AS "min",
           max("value") FILTER (WHERE "value" <> 'NaN') AS "max",
           count(*)::int AS "count"
    FROM "MetricPoint"
    WHERE "runSeq" = $1 AND "key" = $2 AND "step" >= e.first_step AND "step" < e.end_step
  ) agg
  CROSS JOIN LATERAL (
    SELECT "value", "timestamp" FROM "MetricPoint"
    WHERE "runSeq" = $1 AND "key" = $2 AND "step" >= e.first_step AND "step" < e.end_step
    ORDER BY "step" DESC, "timestamp" DESC, "value" DESC LIMIT 1
  ) last
  WHERE agg."count" > 0
  ORDER BY e.i`;

/**
 * The distinct steps numbered 0..n-1 in order; step i is kept when some k in [0, max) has
 * floor(k * n / max) = i, i.e. when ceil(i * max / n) < (i + 1) * max / n, and the last one always.
 * Only the kept steps (at most max + 1) leave the database.
 */
const SAMPLED_STEPS_SQL = `
  WITH ranked AS (
    SELECT "step", row_number() OVER (ORDER BY "step") - 1 AS i, count(*) OVER () AS n
    FROM (
      SELECT DISTINCT "step" FROM "MetricPoint"
      WHERE "runSeq" = ANY($1::int8[]) AND "key" = $2 AND ($3::int8 IS NULL OR "step" >= $3) AND ($4::int8 IS NULL OR "step" <= $4)
    ) AS steps
  )
  SELECT "step" FROM ranked
  WHERE i = n - 1 OR ((i * $5::int8 + n - 1) / n) * n < (i + 1) * $5::int8
  ORDER BY "step"
  LIMIT $5::int8 + 1`;
