import { randomBytes } from "node:crypto";
import { badInput, notFound } from "@/lib/errors";
import type { LoggedModelStatus } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import { pgPool } from "@/server/db/pool";
import { assertScope, type ProjectAccess } from "../access";
import { listArtifactsUnder, type ListEntry } from "../artifacts";
import { experimentKeysOf, findExperiment } from "../experiments/internal";
import { findRun } from "../runs/internal";
import { compileLoggedModelSearch, type LoggedModelSearchInput } from "../tracking-search";
import { executeSearch } from "../tracking-search/internal";
import type { LoggedModel, LoggedModelMetric } from "./types";

const FORBIDDEN_NAME_CHARACTERS = /[/:.%"']/;

const modelSelect = {
  id: true,
  name: true,
  artifactUri: true,
  status: true,
  statusMessage: true,
  modelType: true,
  sourceRunId: true,
  creationTime: true,
  lastUpdateTime: true,
  lifecycleStage: true,
  experiment: { select: { number: true } },
  tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
  params: { select: { key: true, value: true }, orderBy: { key: "asc" } },
} as const;

export async function createLoggedModel(
  access: ProjectAccess,
  input: {
    experimentId: string;
    name?: string;
    modelType?: string;
    sourceRunId?: string;
    params: { key: string; value: string }[];
    tags: { key: string; value: string }[];
  },
): Promise<LoggedModel> {
  assertScope(access, "runs:write");
  if (input.name && FORBIDDEN_NAME_CHARACTERS.test(input.name)) {
    throw badInput(`Invalid model name '${input.name}': names must not contain / : . % " or '`);
  }
  const experiment = await findExperiment(access, input.experimentId);
  if (experiment.lifecycleStage !== "active") throw badInput(`Experiment ${input.experimentId} is deleted`);
  if (input.sourceRunId) await findRun(access, input.sourceRunId);
  const id = `m-${randomBytes(16).toString("hex")}`;
  const now = BigInt(Date.now());
  await db().loggedModel.create({
    data: {
      id,
      projectId: access.project.id,
      experimentId: experiment.id,
      name: input.name || `model-${randomBytes(3).toString("hex")}`,
      artifactUri: `${experiment.artifactLocation.replace(/\/$/, "")}/models/${id}/artifacts`,
      modelType: input.modelType ?? null,
      sourceRunId: input.sourceRunId ?? null,
      creationTime: now,
      lastUpdateTime: now,
      tags: { create: uniqueByKey(input.tags) },
      params: { create: uniqueByKey(input.params) },
    },
  });
  return getLoggedModel(access, id);
}

function uniqueByKey(entries: { key: string; value: string }[]) {
  return [...new Map(entries.map((entry) => [entry.key, entry])).values()];
}

async function findModel(access: ProjectAccess, modelId: string, allowDeleted = false) {
  const model = await db().loggedModel.findFirst({
    where: { id: modelId, projectId: access.project.id, ...(allowDeleted ? {} : { lifecycleStage: "active" }) },
    select: modelSelect,
  });
  if (!model) throw notFound(`Logged model with ID '${modelId}' not found`);
  return model;
}

export async function getLoggedModel(access: ProjectAccess, modelId: string, allowDeleted = false): Promise<LoggedModel> {
  assertScope(access, "project:read");
  const [model] = await toLoggedModels(access.project.id, [await findModel(access, modelId, allowDeleted)]);
  return model!;
}

async function loadLoggedModels(access: ProjectAccess, ids: string[]): Promise<LoggedModel[]> {
  const models = await db().loggedModel.findMany({
    where: { id: { in: ids }, projectId: access.project.id },
    select: modelSelect,
  });
  const byId = new Map((await toLoggedModels(access.project.id, models)).map((model) => [model.id, model]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

type ModelRow = Awaited<ReturnType<typeof findModel>>;

/**
 * Metrics logged with a model_id belong to that model too (MLflow 3): its latest value per key and
 * dataset, by step, then timestamp, then value (the order logged-model search uses). Only points of
 * the project's own runs count: a model id is no licence for another project to write its metrics.
 */
async function toLoggedModels(projectId: string, models: ModelRow[]): Promise<LoggedModel[]> {
  const metrics = models.length
    ? (
        await pgPool().query<LoggedModelMetric>(
          `SELECT DISTINCT ON (m."modelId", m."key", m."datasetName", m."datasetDigest")
                  m."modelId", m."key", m."value", m."timestamp", m."step", r."id" AS "runId", m."datasetName", m."datasetDigest"
           FROM "MetricPoint" m JOIN "Run" r ON r."seq" = m."runSeq" AND r."projectId" = $2
           WHERE m."modelId" = ANY($1::text[])
           ORDER BY m."modelId", m."key", m."datasetName", m."datasetDigest", m."step" DESC, m."timestamp" DESC, m."value" DESC`,
          [models.map((model) => model.id), projectId],
        )
      ).rows
    : [];
  return models.map((model) => ({
    id: model.id,
    experimentId: String(model.experiment.number),
    name: model.name,
    artifactUri: model.artifactUri,
    creationTime: Number(model.creationTime),
    lastUpdateTime: Number(model.lastUpdateTime),
    status: model.status,
    statusMessage: model.statusMessage,
    modelType: model.modelType,
    sourceRunId: model.sourceRunId,
    tags: model.tags,
    params: model.params,
    metrics: metrics.filter((metric) => metric.modelId === model.id),
  }));
}

/** The live logged models of a run (its source run, or logged as its output), oldest first; at most `limit`. */
export async function listRunLoggedModels(access: ProjectAccess, runId: string, limit: number): Promise<LoggedModel[]> {
  assertScope(access, "project:read");
  const run = await findRun(access, runId);
  const rows = await db().loggedModel.findMany({
    where: {
      projectId: access.project.id,
      lifecycleStage: "active",
      OR: [{ sourceRunId: run.id }, { outputs: { some: { runId: run.id } } }],
    },
    select: { id: true },
    orderBy: [{ creationTime: "asc" }, { id: "asc" }],
    take: limit,
  });
  return loadLoggedModels(access, rows.map((row) => row.id));
}

/** A folder of a logged model's artifacts, `relativePath` under its artifact root ("" for the root). */
export async function listLoggedModelArtifacts(
  access: ProjectAccess,
  modelId: string,
  relativePath: string,
): Promise<{ rootUri: string; entries: ListEntry[] }> {
  assertScope(access, "project:read");
  const model = await findModel(access, modelId);
  return { rootUri: model.artifactUri, entries: await listArtifactsUnder(access, model.artifactUri, relativePath) };
}

export async function finalizeLoggedModel(
  access: ProjectAccess,
  modelId: string,
  status: LoggedModelStatus,
): Promise<LoggedModel> {
  assertScope(access, "runs:write");
  const model = await findModel(access, modelId);
  await db().loggedModel.update({ where: { id: model.id }, data: { status, lastUpdateTime: BigInt(Date.now()) } });
  return getLoggedModel(access, modelId);
}

export async function deleteLoggedModel(access: ProjectAccess, modelId: string): Promise<void> {
  assertScope(access, "runs:delete");
  const model = await findModel(access, modelId);
  await db().loggedModel.update({
    where: { id: model.id },
    data: { lifecycleStage: "deleted", lastUpdateTime: BigInt(Date.now()) },
  });
}

export async function setLoggedModelTags(
  access: ProjectAccess,
  modelId: string,
  tags: { key: string; value: string }[],
): Promise<void> {
  assertScope(access, "runs:write");
  const model = await findModel(access, modelId);
  await db().$transaction(
    uniqueByKey(tags).map((tag) =>
      db().loggedModelTag.upsert({
        where: { modelId_key: { modelId: model.id, key: tag.key } },
        update: { value: tag.value },
        create: { modelId: model.id, key: tag.key, value: tag.value },
      }),
    ),
  );
}

export async function deleteLoggedModelTag(access: ProjectAccess, modelId: string, key: string): Promise<void> {
  assertScope(access, "runs:write");
  const model = await findModel(access, modelId);
  const deleted = await db().loggedModelTag.deleteMany({ where: { modelId: model.id, key } });
  if (deleted.count === 0) throw notFound(`No tag with key '${key}' on logged model ${modelId}`);
}

/** Params are immutable, as for runs. */
export async function logLoggedModelParams(
  access: ProjectAccess,
  modelId: string,
  params: { key: string; value: string }[],
): Promise<void> {
  assertScope(access, "runs:write");
  const model = await findModel(access, modelId);
  await db().$transaction(async (tx) => {
    // Concurrent writers of one model's params take turns: the second sees the first's values.
    await tx.$executeRaw`SELECT 1 FROM "LoggedModel" WHERE "id" = ${model.id} FOR UPDATE`;
    for (const param of uniqueByKey(params)) {
      const existing = await tx.loggedModelParam.findUnique({
        where: { modelId_key: { modelId: model.id, key: param.key } },
        select: { value: true },
      });
      if (existing && existing.value !== param.value) {
        throw badInput(`Changing param values is not allowed. Param '${param.key}' of model ${modelId} is '${existing.value}'`);
      }
      if (!existing) await tx.loggedModelParam.create({ data: { modelId: model.id, ...param } });
    }
  });
}

/** logged-models/search: live models of the project's given experiments, in pages. */
export async function searchLoggedModels(
  access: ProjectAccess,
  input: Omit<LoggedModelSearchInput, "projectId" | "experimentIds"> & { experimentIds: string[] },
): Promise<{ models: LoggedModel[]; nextPageToken?: string }> {
  assertScope(access, "project:read");
  const search = compileLoggedModelSearch({
    projectId: access.project.id,
    experimentIds: await experimentKeysOf(access, input.experimentIds),
    filter: input.filter,
    datasets: input.datasets,
    orderBy: input.orderBy,
    maxResults: input.maxResults,
    pageToken: input.pageToken,
  });
  const page = await executeSearch(search);
  const models = await loadLoggedModels(access, page.ids);
  return { models, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
}
