import { randomUUID } from "node:crypto";
import { badInput, notFound } from "@/lib/errors";
import type { MetricInput } from "@/lib/schemas/mlflow";
import { db } from "@/server/db/client";
import { isUniqueViolationOn } from "@/server/db/errors";
import { pooledSql, withPgTransaction } from "@/server/db/pool";
import { preparedStatement } from "@/server/db/prepared";
import { metrics } from "@/server/observability/metrics";
import type { SqlTx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { metricStore, type MetricPointInput, type RunSelection } from "../metrics";
import { appendGrouped, MAX_GROUP_POINTS } from "./grouped-appends";
import { findRun } from "./internal";
import { ACTIVE_RUN_SQL, ACTIVE_RUN_WITHOUT_PARAMS_SQL } from "./writable-runs";
import { assertActive, auditRunRename, RUN_NAME_TAG } from "./runs";
import type { DatasetInput } from "./types";

export interface LogBatchInput {
  metrics: MetricInput[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

/**
 * The one write path for metrics, params and tags (log-metric, log-parameter, set-tag and log-batch
 * all come here). All of a batch is stored, or none of it: a changed param rolls everything back.
 * A rename through the mlflow.runName tag is audited in the same transaction.
 *
 * Every batch without a model_id or a rename is first tried as one statement that checks the run and
 * writes (small metric writes grouped with those arriving at the same time, grouped-appends.ts; only
 * tags, or a single param, in statements of their own); anything it cannot finish (a refusal, a param
 * already logged) goes the transactional way, which says why.
 */
export async function logBatch(access: ProjectAccess, runId: string, batch: LogBatchInput): Promise<void> {
  assertScope(access, "runs:write");
  if (!(await writeInOneStatement(access, runId, batch))) await writeInTransaction(access, runId, batch);
  metrics().ingestPoints.inc(batch.metrics.length);
}

const activeRun = (access: ProjectAccess, runId: string): RunSelection => ({ sql: ACTIVE_RUN_SQL, values: [runId, access.project.id] });

/** Tags of an active run, upserted; a row back when the run was there to write to. */
const UPSERT_TAGS_SQL = preparedStatement(`
  WITH run AS (${ACTIVE_RUN_SQL})
  INSERT INTO "RunTag" ("runId", "runSeq", "key", "value")
  SELECT run."id", run."seq", t.key, t.value FROM run, unnest($3::text[], $4::text[]) AS t(key, value)
  ON CONFLICT ("runId", "key") DO UPDATE SET "value" = EXCLUDED."value"
  RETURNING 1`);

/** One param of an active run, when the run has none of that key yet; a row back when inserted. */
const INSERT_NEW_PARAM_SQL = preparedStatement(`
  WITH run AS (${ACTIVE_RUN_SQL})
  INSERT INTO "Param" ("runId", "runSeq", "key", "value") SELECT run."id", run."seq", $3, $4 FROM run
  ON CONFLICT DO NOTHING RETURNING 1`);

/**
 * The params and tags of a batch, written beside its points to a run none of whose params were
 * logged before. A param that another request logs meanwhile makes the params' insert fail (it has
 * no ON CONFLICT), and with it the whole statement.
 */
const NEW_PARAMS_AND_TAGS_WRITES = `
  params AS (
    INSERT INTO "Param" ("runId", "runSeq", "key", "value") SELECT run."id", run."seq", p.key, p.value FROM run, unnest($3::text[], $4::text[]) AS p(key, value)
  ),
  tags AS (
    INSERT INTO "RunTag" ("runId", "runSeq", "key", "value") SELECT run."id", run."seq", t.key, t.value FROM run, unnest($5::text[], $6::text[]) AS t(key, value)
    ON CONFLICT ("runId", "key") DO UPDATE SET "value" = EXCLUDED."value"
  )`;

/**
 * True when the batch is stored. Only batches that one statement stores whole or not at all are
 * tried: a rename needs its audit event and a model_id its check; params go in one statement only
 * when none was logged before (whether one logged again is refused is the transaction's to judge).
 */
async function writeInOneStatement(access: ProjectAccess, runId: string, batch: LogBatchInput): Promise<boolean> {
  const { metrics: points, params, tags } = batch;
  const run = activeRun(access, runId);
  if (points.length > 0 && params.length === 0 && tags.length === 0 && !points.some((point) => point.model_id)) {
    return points.length <= MAX_GROUP_POINTS
      ? appendGrouped({ runId, projectId: access.project.id, points: points.map(toPointInput) })
      : metricStore().appendToRun(run, points.map(toPointInput));
  }
  if (tags.length > 0 && points.length === 0 && params.length === 0 && !tags.some((tag) => tag.key === RUN_NAME_TAG)) {
    const unique = uniqueTags(tags);
    const written = await pooledSql().query(UPSERT_TAGS_SQL, [...run.values, unique.map(([key]) => key), unique.map(([, value]) => value)]);
    return written.rows.length > 0;
  }
  if (params.length === 1 && points.length === 0 && tags.length === 0) {
    // Inserted, or not: a param already logged (with this value or another) is for the transaction to judge.
    const written = await pooledSql().query(INSERT_NEW_PARAM_SQL, [...run.values, params[0]!.key, params[0]!.value]);
    return written.rows.length > 0;
  }
  if (!points.some((point) => point.model_id) && !tags.some((tag) => tag.key === RUN_NAME_TAG)) {
    const unique = uniqueTags(tags);
    const values = [runId, access.project.id, params.map((param) => param.key), params.map((param) => param.value), unique.map(([key]) => key), unique.map(([, value]) => value)];
    try {
      return await metricStore().appendToRun({ sql: ACTIVE_RUN_WITHOUT_PARAMS_SQL, values, alsoWrites: NEW_PARAMS_AND_TAGS_WRITES }, points.map(toPointInput));
    } catch (error) {
      // A param logged meanwhile, or twice in this batch: nothing was written.
      if (isUniqueViolationOn(error, "Param")) return false;
      throw error;
    }
  }
  return false;
}

/**
 * Locks the run (FOR SHARE: a delete or update of the run waits for the batch) and, when it is
 * active, inserts the params (the new ones: params are immutable) and upserts the tags, in one
 * statement. The caller refuses the batch, rolling all of it back, when the run is missing or not
 * active, or when a param was logged before with another value.
 */
const WRITE_PARAMS_AND_TAGS_SQL = preparedStatement(`
  WITH run AS (
    SELECT "id", "seq", "name", "lifecycleStage" FROM "Run" WHERE "id" = $1 AND "projectId" = $2 FOR SHARE
  ), writable AS (
    SELECT "id", "seq" FROM run WHERE "lifecycleStage" = 'active'
  ), params AS (
    INSERT INTO "Param" ("runId", "runSeq", "key", "value")
    SELECT w."id", w."seq", p.key, p.value FROM writable w, unnest($3::text[], $4::text[]) AS p(key, value)
    ON CONFLICT DO NOTHING RETURNING 1
  ), tags AS (
    INSERT INTO "RunTag" ("runId", "runSeq", "key", "value")
    SELECT w."id", w."seq", t.key, t.value FROM writable w, unnest($5::text[], $6::text[]) AS t(key, value)
    ON CONFLICT ("runId", "key") DO UPDATE SET "value" = EXCLUDED."value"
  )
  SELECT "seq", "name", "lifecycleStage", (SELECT count(*) FROM params)::int AS "paramsInserted" FROM run`);

async function writeInTransaction(access: ProjectAccess, runId: string, batch: LogBatchInput): Promise<void> {
  const tags = uniqueTags(batch.tags);
  await withPgTransaction(async (tx) => {
    const written = await tx.query<{ seq: number; name: string; lifecycleStage: string; paramsInserted: number }>(WRITE_PARAMS_AND_TAGS_SQL, [
      runId,
      access.project.id,
      batch.params.map((param) => param.key),
      batch.params.map((param) => param.value),
      tags.map(([key]) => key),
      tags.map(([, value]) => value),
    ]);
    const run = written.rows[0];
    if (!run) throw notFound(`Run with id=${runId} not found`);
    assertActive({ id: runId, lifecycleStage: run.lifecycleStage });
    await assertModelsInProject(tx, access, batch.metrics);
    // Every param inserted: nothing to compare (the usual case). Otherwise (a key logged before, or
    // twice in this batch) the stored values, read after the insert, so that a param another request
    // logged meanwhile is compared too.
    if (run.paramsInserted < batch.params.length) await assertParamsUnchanged(tx, runId, batch.params);
    const runName = tags.find(([key]) => key === RUN_NAME_TAG)?.[1];
    if (runName && runName !== run.name) {
      await tx.query(`UPDATE "Run" SET "name" = $2 WHERE "id" = $1`, [runId, runName]);
      await auditRunRename(tx, access, runId, { before: run.name, after: runName });
    }
    if (batch.metrics.length) await metricStore().append(tx, run.seq, batch.metrics.map(toPointInput));
  });
}

const toPointInput = (metric: MetricInput): MetricPointInput => ({
  key: metric.key,
  value: metric.value,
  timestamp: metric.timestamp,
  step: metric.step,
  modelId: metric.model_id,
  datasetName: metric.dataset_name,
  datasetDigest: metric.dataset_digest,
});

/** Later values win within a batch; one row per key keeps the upsert valid. */
const uniqueTags = (tags: { key: string; value: string }[]) => [...new Map(tags.map((tag) => [tag.key, tag.value]))];

/**
 * Points logged with a model_id also count as that logged model's metrics, so every model named
 * must be of the caller's project; otherwise the whole batch is refused and nothing is kept.
 */
async function assertModelsInProject(tx: SqlTx, access: ProjectAccess, metrics: MetricInput[]) {
  const modelIds = [...new Set(metrics.flatMap((metric) => (metric.model_id ? [metric.model_id] : [])))];
  if (modelIds.length === 0) return;
  const known = await tx.query<{ id: string }>(
    `SELECT "id" FROM "LoggedModel" WHERE "id" = ANY($1::text[]) AND "projectId" = $2`,
    [modelIds, access.project.id],
  );
  const knownIds = new Set(known.rows.map((model) => model.id));
  const missing = modelIds.find((id) => !knownIds.has(id));
  if (missing) throw notFound(`Logged model with id=${missing} not found`);
}

/** Params are immutable: the same value again is fine, a different one is refused. */
async function assertParamsUnchanged(tx: SqlTx, runId: string, params: { key: string; value: string }[]) {
  const stored = await tx.query<{ key: string; value: string }>(
    `SELECT "key", "value" FROM "Param" WHERE "runId" = $1 AND "key" = ANY($2::text[])`,
    [runId, params.map((param) => param.key)],
  );
  const storedValues = new Map(stored.rows.map((param) => [param.key, param.value]));
  for (const param of params) {
    const existing = storedValues.get(param.key);
    if (existing !== undefined && existing !== param.value) {
      throw badInput(
        `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${existing}' for run ID='${runId}'. Attempted logging new value '${param.value}'.`,
      );
    }
  }
}

export async function deleteRunTag(access: ProjectAccess, runId: string, key: string): Promise<void> {
  assertScope(access, "runs:write");
  const run = await findRun(access, runId);
  assertActive(run);
  const deleted = await db().runTag.deleteMany({ where: { runId: run.id, key } });
  if (deleted.count === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
}

/**
 * Datasets are shared per experiment by (name, digest); a run records each once with its tags.
 * Models are MLflow 3 model inputs: logged models the run used, such as the base it fine-tuned.
 */
export async function logInputs(
  access: ProjectAccess,
  runId: string,
  datasets: DatasetInput[],
  modelIds: string[] = [],
): Promise<void> {
  assertScope(access, "runs:write");
  const run = await db().run.findFirst({
    where: { id: runId, projectId: access.project.id },
    select: { id: true, lifecycleStage: true, experimentId: true },
  });
  if (!run) throw notFound(`Run with id=${runId} not found`);
  assertActive(run);
  await assertLoggedModelsInProject(access, modelIds);
  await db().$transaction(async (tx) => {
    for (const { dataset, tags } of datasets) {
      // Single statements, not Prisma's upsert (a read, then a write): runs logging the same new
      // dataset at the same moment must all succeed and share one row.
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "Dataset" ("id", "experimentId", "name", "digest", "sourceType", "source", "schema", "profile")
        VALUES (${randomUUID()}, ${run.experimentId}, ${dataset.name}, ${dataset.digest}, ${dataset.sourceType},
                ${dataset.source}, ${dataset.schema ?? null}, ${dataset.profile ?? null})
        ON CONFLICT ("experimentId", "name", "digest") DO NOTHING
        RETURNING "id"`;
      const stored =
        inserted[0] ??
        (await tx.dataset.findUniqueOrThrow({
          where: { experimentId_name_digest: { experimentId: run.experimentId, name: dataset.name, digest: dataset.digest } },
          select: { id: true },
        }));
      await tx.$executeRaw`
        INSERT INTO "RunInput" ("runId", "datasetId", "tags")
        VALUES (${run.id}, ${stored.id}, ${JSON.stringify(tags)}::jsonb)
        ON CONFLICT ("runId", "datasetId") DO UPDATE SET "tags" = EXCLUDED."tags"`;
    }
    if (modelIds.length > 0) {
      await tx.runModelInput.createMany({
        data: modelIds.map((modelId) => ({ runId: run.id, modelId })),
        skipDuplicates: true,
      });
    }
  });
}

async function assertLoggedModelsInProject(access: ProjectAccess, modelIds: string[]): Promise<void> {
  if (modelIds.length === 0) return;
  const known = await db().loggedModel.findMany({
    where: { id: { in: modelIds }, projectId: access.project.id },
    select: { id: true },
  });
  const knownIds = new Set(known.map((model) => model.id));
  const missing = modelIds.find((id) => !knownIds.has(id));
  if (missing) throw notFound(`Logged model with id=${missing} not found`);
}

/** Links logged models to the run that produced them (MLflow 3 runs/outputs). */
export async function logOutputs(
  access: ProjectAccess,
  runId: string,
  models: { model_id: string; step: number }[],
): Promise<void> {
  assertScope(access, "runs:write");
  const run = await findRun(access, runId);
  assertActive(run);
  await assertLoggedModelsInProject(
    access,
    models.map((model) => model.model_id),
  );
  await db().$transaction(
    models.map((model) =>
      db().runOutput.upsert({
        where: { runId_modelId: { runId: run.id, modelId: model.model_id } },
        update: { step: BigInt(model.step) },
        create: { runId: run.id, modelId: model.model_id, step: BigInt(model.step) },
      }),
    ),
  );
}
