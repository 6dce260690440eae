import { pgPool } from "@/server/db/pool";
import type { LatestMetricView, MetricBucket, MetricExtremes, MetricPointInput, MetricPointView, MetricStore } from "./metric-store";

/**
 * Points go in as one statement of INSERT … SELECT FROM unnest(arrays), points and latest values
 * together: a single round trip per batch, whatever its size. The primary key (run, key, step,
 * timestamp, value) turns retried points into no-ops.
 */
export const postgresMetricStore: MetricStore = {
  async append(client, runSeq, points) {
    if (points.length === 0) return;
    // Number arrays go as PostgreSQL array literals built here (JS prints doubles exactly, and NaN
    // and ±Infinity in the spelling float8 accepts); the optional columns go as NULL when no point
    // has them, which unnest pads with NULLs. Both spare the driver per-element work on the hot path.
    const optional = (pick: (point: MetricPointInput) => string | undefined) =>
      points.some((point) => pick(point) !== undefined) ? points.map((point) => pick(point) ?? null) : null;
    const numbers = (pick: (point: MetricPointInput) => number) => `{${points.map(pick).join(",")}}`;
    const columns = {
      keys: points.map((point) => point.key),
      values: numbers((point) => point.value),
      timestamps: numbers((point) => point.timestamp),
      steps: numbers((point) => point.step),
      modelIds: optional((point) => point.modelId),
      datasetNames: optional((point) => point.datasetName),
      datasetDigests: optional((point) => point.datasetDigest),
    };
    // One statement (arrays sent once): the points, then the newest point per key by MLflow's order
    // (step, timestamp, value), which replaces the stored latest value only when it is newer. Keys are
    // sorted so concurrent batches lock latest-value rows in the same order.
    await client.query(
      `WITH p AS (
         SELECT * FROM unnest($2::text[], $3::float8[], $4::int8[], $5::int8[], $6::text[], $7::text[], $8::text[])
           AS p(key, value, ts, step, model_id, dataset_name, dataset_digest)
       ), stored AS (
         INSERT INTO "MetricPoint" ("runSeq", "key", "value", "timestamp", "step", "modelId", "datasetName", "datasetDigest")
         SELECT $1, p.key, p.value, p.ts, p.step, p.model_id, p.dataset_name, p.dataset_digest FROM p
         ON CONFLICT DO NOTHING
       )
       INSERT INTO "LatestMetric" ("runSeq", "key", "value", "timestamp", "step")
       SELECT DISTINCT ON (p.key) $1, p.key, p.value, p.ts, p.step FROM p
       ORDER BY p.key, p.step DESC, p.ts DESC, p.value DESC
       ON CONFLICT ("runSeq", "key") DO UPDATE
         SET "value" = EXCLUDED."value", "timestamp" = EXCLUDED."timestamp", "step" = EXCLUDED."step"
         WHERE ("LatestMetric"."step", "LatestMetric"."timestamp", "LatestMetric"."value")
             < (EXCLUDED."step", EXCLUDED."timestamp", EXCLUDED."value")`,
      [
        runSeq,
        columns.keys,
        columns.values,
        columns.timestamps,
        columns.steps,
        columns.modelIds,
        columns.datasetNames,
        columns.datasetDigests,
      ],
    );
  },

  async latest(runSeqs) {
    if (runSeqs.length === 0) return [];
    const result = await pgPool().query<LatestMetricView>(
      `SELECT "runSeq", "key", "value", "timestamp", "step" FROM "LatestMetric"
       WHERE "runSeq" = ANY($1::int8[]) ORDER BY "runSeq", "key"`,
      [runSeqs],
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

  async history(runSeq, key, page) {
    const result = await pgPool().query<MetricPointView>(
      `SELECT "key", "value", "timestamp", "step" FROM "MetricPoint"
       WHERE "runSeq" = $1 AND "key" = $2
       ORDER BY "timestamp", "step", "value"
       LIMIT $3 OFFSET $4`,
      [runSeq, key, page.limit, page.offset],
    );
    return result.rows;
  },

  async downsample(runSeq, key, buckets) {
    // Each bucket is an index range scan over its step interval (plus one backward probe for the last
    // value), so nothing is sorted: ~100-150 ms for a million points here, where grouping a computed
    // bucket number sorted all of them on disk (~500 ms).
    const result = await pgPool().query<MetricBucket>(
      `WITH bounds AS (
         SELECT min("step") AS lo, max("step") AS hi FROM "MetricPoint" WHERE "runSeq" = $1 AND "key" = $2
       ), edges AS (
         SELECT i, lo + ((hi - lo + 1) * i) / $3 AS first_step, lo + ((hi - lo + 1) * (i + 1)) / $3 AS end_step
         FROM bounds, generate_series(0, $3 - 1) AS i
         WHERE lo IS NOT NULL
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
       ORDER BY e.i`,
      [runSeq, key, buckets],
    );
    return result.rows.map((row) => ({ ...row, min: row.min ?? Number.NaN, max: row.max ?? Number.NaN }));
  },
};


