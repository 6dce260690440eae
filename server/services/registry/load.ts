import { notFound } from "@/lib/errors";
import { MODEL_STAGES, type ModelStage } from "@/lib/model-registry-states";
import type { Tx } from "@/server/db/transaction";
import type { ModelVersion, RegisteredModel } from "./types";

/** Internal lookups, always within one project; services check the caller's scope first. */
export async function findModelRow(tx: Tx, projectId: string, name: string, lock = false) {
  const model = await tx.registeredModel.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!model) throw notFound(`Registered Model with name=${name} not found`);
  // Changes to one model's versions, stages and aliases are serialized on its row.
  if (lock) await tx.$executeRaw`SELECT 1 FROM "RegisteredModel" WHERE "id" = ${model.id} FOR UPDATE`;
  return model;
}

export async function findVersionRow(tx: Tx, model: { id: string; name: string }, version: number) {
  const row = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version } } });
  if (!row) throw notFound(`Model Version (name=${model.name}, version=${version}) not found`);
  return row;
}

type VersionRow = NonNullable<Awaited<ReturnType<Tx["modelVersion"]["findFirst"]>>>;

/** Key/value rows grouped by their owner's id. */
function grouped<T extends Record<K, string>, K extends string>(rows: T[], owner: K): Map<string, T[]> {
  const byOwner = new Map<string, T[]>();
  for (const row of rows) byOwner.set(row[owner], [...(byOwner.get(row[owner]) ?? []), row]);
  return byOwner;
}

function toVersion(row: VersionRow, modelName: string, tags: { key: string; value: string }[], aliases: string[]): ModelVersion {
  return {
    modelName,
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
    tags: Object.fromEntries(tags.map((tag) => [tag.key, tag.value])),
    aliases: aliases.sort(),
  };
}

/**
 * Versions by their row ids, in the order given. One query per kind of row, one after the other: a
 * transaction has one connection, which must never be asked two things at once.
 */
export async function loadVersions(tx: Tx, ids: readonly string[]): Promise<ModelVersion[]> {
  if (ids.length === 0) return [];
  const rows = await tx.modelVersion.findMany({ where: { id: { in: [...ids] } } });
  const tags = grouped(await tx.modelVersionTag.findMany({ where: { versionId: { in: [...ids] } } }), "versionId");
  const aliases = grouped(await tx.modelAlias.findMany({ where: { versionId: { in: [...ids] } }, select: { versionId: true, alias: true } }), "versionId");
  const models = await tx.registeredModel.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.modelId))] } }, select: { id: true, name: true } });
  const nameOf = new Map(models.map((model) => [model.id, model.name]));
  const byId = new Map(
    rows.map((row) => [
      row.id,
      toVersion(row, nameOf.get(row.modelId)!, tags.get(row.id) ?? [], (aliases.get(row.id) ?? []).map((alias) => alias.alias)),
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function loadVersion(tx: Tx, id: string): Promise<ModelVersion> {
  const [version] = await loadVersions(tx, [id]);
  return version!;
}

/** The highest version in each stage, of each model; in stage order. */
async function latestVersionIds(tx: Tx, modelIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await tx.$queryRaw<{ modelId: string; id: string }[]>`
    SELECT DISTINCT ON ("modelId", "stage") "modelId", "id" FROM "ModelVersion"
    WHERE "modelId" = ANY(${[...modelIds]}::text[])
    ORDER BY "modelId", "stage", "version" DESC`;
  const byModel = new Map<string, string[]>();
  for (const row of rows) byModel.set(row.modelId, [...(byModel.get(row.modelId) ?? []), row.id]);
  return byModel;
}

/** Registered models by their row ids, in the order given, with tags, aliases and latest versions. */
export async function loadModels(tx: Tx, ids: readonly string[]): Promise<RegisteredModel[]> {
  if (ids.length === 0) return [];
  const rows = await tx.registeredModel.findMany({ where: { id: { in: [...ids] } } });
  const tags = grouped(await tx.registeredModelTag.findMany({ where: { modelId: { in: [...ids] } } }), "modelId");
  const aliases = grouped(
    await tx.$queryRaw<{ modelId: string; alias: string; version: number }[]>`
      SELECT a."modelId", a."alias", v."version" FROM "ModelAlias" a JOIN "ModelVersion" v ON v."id" = a."versionId"
      WHERE a."modelId" = ANY(${[...ids]}::text[]) ORDER BY a."alias"`,
    "modelId",
  );
  const latest = await latestVersionIds(tx, ids);
  const versions = grouped(await loadVersions(tx, [...latest.values()].flat()), "modelName");
  const byId = new Map(
    rows.map((row) => {
      const model: RegisteredModel = {
        name: row.name,
        description: row.description,
        createdBy: row.createdBy,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        tags: Object.fromEntries((tags.get(row.id) ?? []).map((tag) => [tag.key, tag.value])),
        aliases: (aliases.get(row.id) ?? []).map(({ alias, version }) => ({ alias, version })),
        latestVersions: (versions.get(row.name) ?? []).sort(byStage),
      };
      return [row.id, model] as const;
    }),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Versions in the order of MODEL_STAGES: None, Staging, Production, Archived. */
export const byStage = (a: ModelVersion, b: ModelVersion) => MODEL_STAGES.indexOf(a.stage) - MODEL_STAGES.indexOf(b.stage);
