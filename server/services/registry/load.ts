import { notFound } from "@/lib/errors";
import { MODEL_STAGES, type ModelStage } from "@/lib/model-registry-states";
import type { Tx } from "@/server/db/transaction";
import type { ModelVersion, RegisteredModel } from "./types";

export const modelNotFound = (name: string) => notFound(`Registered Model with name=${name} not found`);

/** Internal lookups, always within one project; services check the caller's scope first. */
export async function findModelRow(tx: Tx, projectId: string, name: string, lock = false) {
  const model = await tx.registeredModel.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!model) throw modelNotFound(name);
  // Changes to one model's versions, stages and aliases are serialized on its row.
  if (lock) await tx.$executeRaw`SELECT 1 FROM "RegisteredModel" WHERE "id" = ${model.id} FOR UPDATE`;
  return model;
}

export async function findVersionRow(tx: Tx, model: { id: string; name: string }, version: number) {
  const row = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version } } });
  if (!row) throw notFound(`Model Version (name=${model.name}, version=${version}) not found`);
  return row;
}

/** Parallel key and value arrays (as gathered by ARRAY(...) subqueries) as a record. */
const record = (keys: string[], values: string[]) => Object.fromEntries(keys.map((key, index) => [key, values[index]!]));

/** A version row with its model's name, tags and aliases, as loadVersions reads it. */
interface VersionRecord {
  id: string;
  modelName: string;
  version: number;
  source: string;
  storageLocation: string;
  runId: string | null;
  loggedModelId: string | null;
  statusMessage: string | null;
  stage: string;
  description: string | null;
  runLink: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  tagKeys: string[];
  tagValues: string[];
  aliases: string[];
}

function toVersion(row: VersionRecord): ModelVersion {
  return {
    modelName: row.modelName,
    version: row.version,
    source: row.source,
    storageLocation: row.storageLocation,
    runId: row.runId,
    loggedModelId: row.loggedModelId,
    status: "READY",
    statusMessage: row.statusMessage,
    stage: row.stage as ModelStage,
    description: row.description,
    runLink: row.runLink,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    tags: record(row.tagKeys, row.tagValues),
    aliases: row.aliases.sort(),
  };
}

/**
 * What a version is read with, over `ModelVersion v` and its `RegisteredModel m`: the model's name, the
 * tags and the aliases are gathered per version by the database (each through its own index), so any
 * number of versions costs one round trip (and a transaction's one connection is asked one thing at a time).
 */
const VERSION_COLUMNS = `
  v."id", m."name" AS "modelName", v."version", v."source", v."storageLocation", v."runId", v."loggedModelId",
  v."statusMessage", v."stage", v."description", v."runLink", v."createdBy", v."createdAt", v."updatedAt",
  ARRAY(SELECT t."key" FROM "ModelVersionTag" t WHERE t."versionId" = v."id" ORDER BY t."key") AS "tagKeys",
  ARRAY(SELECT t."value" FROM "ModelVersionTag" t WHERE t."versionId" = v."id" ORDER BY t."key") AS "tagValues",
  ARRAY(SELECT a."alias" FROM "ModelAlias" a WHERE a."versionId" = v."id") AS "aliases"`;

/** Versions by their row ids, in the order given, in one query. */
export async function loadVersions(tx: Tx, ids: readonly string[]): Promise<ModelVersion[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<VersionRecord[]>(
    `SELECT ${VERSION_COLUMNS} FROM "ModelVersion" v JOIN "RegisteredModel" m ON m."id" = v."modelId" WHERE v."id" = ANY($1::text[])`,
    [...ids],
  );
  const byId = new Map(rows.map((row) => [row.id, toVersion(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The version an alias of a model points at, with the model and the alias resolved in the same query:
 * "no model" and "no alias" are told apart (a model row without a version).
 */
export async function loadVersionByAlias(
  tx: Tx,
  projectId: string,
  name: string,
  alias: string,
): Promise<ModelVersion | "no model" | "no alias"> {
  const [row] = await tx.$queryRawUnsafe<(Omit<VersionRecord, "id"> & { id: string | null })[]>(
    `SELECT ${VERSION_COLUMNS}
     FROM "RegisteredModel" m
     LEFT JOIN "ModelAlias" a ON a."modelId" = m."id" AND a."alias" = $3
     LEFT JOIN "ModelVersion" v ON v."id" = a."versionId"
     WHERE m."projectId" = $1 AND m."name" = $2`,
    projectId,
    name,
    alias,
  );
  if (!row) return "no model";
  if (row.id === null) return "no alias";
  return toVersion({ ...row, id: row.id });
}

export async function loadVersion(tx: Tx, id: string): Promise<ModelVersion> {
  const [version] = await loadVersions(tx, [id]);
  return version!;
}

/** A registered model row with its tags, aliases and latest versions' ids, as loadModels reads it. */
interface ModelRecord {
  id: string;
  name: string;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  tagKeys: string[];
  tagValues: string[];
  aliasNames: string[];
  aliasVersions: number[];
  latestIds: string[];
}

/**
 * Registered models by their row ids, in the order given, with tags, aliases and latest versions: two
 * queries, the models with what the database gathers per model, then the latest versions. The highest
 * version in each stage is one step down the (modelId, stage, version) index per model and stage,
 * instead of reading and sorting all of a model's versions.
 */
export async function loadModels(tx: Tx, ids: readonly string[]): Promise<RegisteredModel[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<ModelRecord[]>`
    SELECT r."id", r."name", r."description", r."createdBy", r."createdAt", r."updatedAt",
           ARRAY(SELECT t."key" FROM "RegisteredModelTag" t WHERE t."modelId" = r."id" ORDER BY t."key") AS "tagKeys",
           ARRAY(SELECT t."value" FROM "RegisteredModelTag" t WHERE t."modelId" = r."id" ORDER BY t."key") AS "tagValues",
           ARRAY(SELECT a."alias" FROM "ModelAlias" a WHERE a."modelId" = r."id" ORDER BY a."alias") AS "aliasNames",
           ARRAY(SELECT v."version" FROM "ModelAlias" a JOIN "ModelVersion" v ON v."id" = a."versionId"
                 WHERE a."modelId" = r."id" ORDER BY a."alias") AS "aliasVersions",
           ARRAY(SELECT l."id" FROM unnest(${[...MODEL_STAGES]}::text[]) WITH ORDINALITY AS s("stage", "rank")
                 CROSS JOIN LATERAL (SELECT "id" FROM "ModelVersion" WHERE "modelId" = r."id" AND "stage" = s."stage"
                                     ORDER BY "version" DESC LIMIT 1) l
                 ORDER BY s."rank") AS "latestIds"
    FROM "RegisteredModel" r
    WHERE r."id" = ANY(${[...ids]}::text[])`;
  const latest = new Map<string, ModelVersion[]>();
  for (const version of await loadVersions(tx, rows.flatMap((row) => row.latestIds))) {
    latest.set(version.modelName, [...(latest.get(version.modelName) ?? []), version]);
  }
  const byId = new Map(
    rows.map((row) => {
      const model: RegisteredModel = {
        name: row.name,
        description: row.description,
        createdBy: row.createdBy,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        tags: record(row.tagKeys, row.tagValues),
        aliases: row.aliasNames.map((alias, index) => ({ alias, version: row.aliasVersions[index]! })),
        latestVersions: (latest.get(row.name) ?? []).sort(byStage),
      };
      return [row.id, model] as const;
    }),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Versions in the order of MODEL_STAGES: None, Staging, Production, Archived. */
export const byStage = (a: ModelVersion, b: ModelVersion) => MODEL_STAGES.indexOf(a.stage) - MODEL_STAGES.indexOf(b.stage);
