import { badInput, notFound } from "@/lib/errors";
import type { MetricInput } from "@/lib/schemas/mlflow";
import { db } from "@/server/db/client";
import { withPgTransaction } from "@/server/db/pool";
import { metrics } from "@/server/observability/metrics";
import type { SqlTx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { metricStore } from "../metrics";
import { findRun } from "./internal";
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
 */
export async function logBatch(access: ProjectAccess, runId: string, batch: LogBatchInput): Promise<void> {
  assertScope(access, "runs:write");
  await withPgTransaction(async (tx) => {
    const run = await tx.query<{ seq: number; name: string; lifecycleStage: string }>(
      `SELECT "seq", "name", "lifecycleStage" FROM "Run" WHERE "id" = $1 AND "projectId" = $2 FOR SHARE`,
      [runId, access.project.id],
    );
    const row = run.rows[0];
    if (!row) throw notFound(`Run with id=${runId} not found`);
    assertActive({ id: runId, lifecycleStage: row.lifecycleStage });
    await assertModelsInProject(tx, access, batch.metrics);
    if (batch.params.length) await logParams(tx, runId, batch.params);
    if (batch.tags.length) await setTags(tx, access, { id: runId, name: row.name }, batch.tags);
    if (batch.metrics.length) {
      await metricStore().append(
        tx,
        row.seq,
        batch.metrics.map((metric) => ({
          key: metric.key,
          value: metric.value,
          timestamp: metric.timestamp,
          step: metric.step,
          modelId: metric.model_id,
          datasetName: metric.dataset_name,
          datasetDigest: metric.dataset_digest,
        })),
      );
    }
  });
  metrics().ingestPoints.inc(batch.metrics.length);
}

/**
 * Points logged with a model_id also count as that logged model's metrics, so every model named
 * must be of the caller's project; otherwise the whole batch is refused before anything is written.
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
async function logParams(tx: SqlTx, runId: string, params: { key: string; value: string }[]) {
  const keys = params.map((param) => param.key);
  await tx.query(
    `INSERT INTO "Param" ("runId", "key", "value")
     SELECT $1, p.key, p.value FROM unnest($2::text[], $3::text[]) AS p(key, value)
     ON CONFLICT DO NOTHING`,
    [runId, keys, params.map((param) => param.value)],
  );
  const stored = await tx.query<{ key: string; value: string }>(
    `SELECT "key", "value" FROM "Param" WHERE "runId" = $1 AND "key" = ANY($2::text[])`,
    [runId, keys],
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

async function setTags(tx: SqlTx, access: ProjectAccess, run: { id: string; name: string }, tags: { key: string; value: string }[]) {
  // Later values win within a batch; one row per key keeps the upsert valid.
  const unique = [...new Map(tags.map((tag) => [tag.key, tag.value]))];
  await tx.query(
    `INSERT INTO "RunTag" ("runId", "key", "value")
     SELECT $1, t.key, t.value FROM unnest($2::text[], $3::text[]) AS t(key, value)
     ON CONFLICT ("runId", "key") DO UPDATE SET "value" = EXCLUDED."value"`,
    [run.id, unique.map(([key]) => key), unique.map(([, value]) => value)],
  );
  const runName = unique.find(([key]) => key === RUN_NAME_TAG)?.[1];
  if (runName && runName !== run.name) {
    await tx.query(`UPDATE "Run" SET "name" = $2 WHERE "id" = $1`, [run.id, runName]);
    await auditRunRename(tx, access, run.id, { before: run.name, after: runName });
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
      const stored = await tx.dataset.upsert({
        where: { experimentId_name_digest: { experimentId: run.experimentId, name: dataset.name, digest: dataset.digest } },
        update: {},
        create: {
          experimentId: run.experimentId,
          name: dataset.name,
          digest: dataset.digest,
          sourceType: dataset.sourceType,
          source: dataset.source,
          schema: dataset.schema ?? null,
          profile: dataset.profile ?? null,
        },
        select: { id: true },
      });
      await tx.runInput.upsert({
        where: { runId_datasetId: { runId: run.id, datasetId: stored.id } },
        update: { tags },
        create: { runId: run.id, datasetId: stored.id, tags },
      });
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
