import { notFound } from "@/lib/errors";
import { MODEL_STAGES, type ModelStage } from "@/lib/schemas/registry";
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

const versionInclude = { tags: true, aliases: { select: { alias: true } }, model: { select: { name: true } } } as const;

type VersionRow = NonNullable<Awaited<ReturnType<Tx["modelVersion"]["findFirst"]>>> & {
  tags: { key: string; value: string }[];
  aliases: { alias: string }[];
  model: { name: string };
};

function toVersion(row: VersionRow): ModelVersion {
  return {
    modelName: row.model.name,
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
    tags: Object.fromEntries(row.tags.map((tag) => [tag.key, tag.value])),
    aliases: row.aliases.map((alias) => alias.alias).sort(),
  };
}

/** Versions by their row ids, in the order given. */
export async function loadVersions(tx: Tx, ids: readonly string[]): Promise<ModelVersion[]> {
  if (ids.length === 0) return [];
  const rows = await tx.modelVersion.findMany({ where: { id: { in: [...ids] } }, include: versionInclude });
  const byId = new Map(rows.map((row) => [row.id, toVersion(row)]));
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
  const rows = await tx.registeredModel.findMany({
    where: { id: { in: [...ids] } },
    include: { tags: true, aliases: { select: { alias: true, version: { select: { version: true } } } } },
  });
  const latest = await latestVersionIds(tx, ids);
  const versions = new Map((await loadVersions(tx, [...latest.values()].flat())).map((version) => [`${version.modelName}/${version.version}`, version]));
  const byId = new Map(
    rows.map((row) => {
      const latestVersions = [...versions.values()]
        .filter((version) => version.modelName === row.name)
        .sort(byStage);
      const model: RegisteredModel = {
        name: row.name,
        description: row.description,
        createdBy: row.createdBy,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        tags: Object.fromEntries(row.tags.map((tag) => [tag.key, tag.value])),
        aliases: row.aliases.map((alias) => ({ alias: alias.alias, version: alias.version.version })).sort((a, b) => a.alias.localeCompare(b.alias)),
        latestVersions,
      };
      return [row.id, model] as const;
    }),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Versions in the order of MODEL_STAGES: None, Staging, Production, Archived. */
export const byStage = (a: ModelVersion, b: ModelVersion) => MODEL_STAGES.indexOf(a.stage) - MODEL_STAGES.indexOf(b.stage);
