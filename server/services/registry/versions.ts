import { badInput, notFound } from "@/lib/errors";
import type { ModelStage } from "@/lib/model-registry-states";
import { canonicalStage } from "@/lib/schemas/registry";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { actorLabel, assertScope, type ProjectAccess } from "../access";
import { recordRegistryEvent } from "./history";
import { byStage, findModelRow, findVersionRow, loadVersion, loadVersions } from "./load";
import type { ModelVersion } from "./types";

export interface NewModelVersion {
  source: string;
  runId?: string;
  /** The MLflow 3 logged model; also read from a `models:/<model_id>` source. */
  loggedModelId?: string;
  description?: string;
  runLink?: string;
  tags?: Record<string, string>;
}

/**
 * Where a version's files are, from what the client sent: a logged model's or a run's artifacts
 * (both of this project), or any other URI as given. `..` never passes.
 */
async function resolveSource(tx: Tx, projectId: string, input: NewModelVersion) {
  if (input.source.split(/[\\/]/).includes("..")) throw badInput(`Invalid model version source: '${input.source}' contains '..'`);
  const loggedModelId = input.loggedModelId ?? /^models:\/(m-[0-9a-f]{32})\/?$/.exec(input.source)?.[1];
  if (loggedModelId) {
    const model = await tx.loggedModel.findFirst({ where: { id: loggedModelId, projectId }, select: { artifactUri: true, sourceRunId: true } });
    if (!model) throw notFound(`Logged model with id=${loggedModelId} not found`);
    return { storageLocation: model.artifactUri, runId: input.runId ?? model.sourceRunId, loggedModelId };
  }
  const runSource = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(input.source);
  const runId = runSource?.[1] ?? input.runId;
  let storageLocation = input.source;
  if (runId) {
    const run = await tx.run.findFirst({ where: { id: runId, projectId }, select: { artifactUri: true } });
    if (!run) throw notFound(`Run with id=${runId} not found`);
    if (runSource) storageLocation = runSource[2] ? `${run.artifactUri}/${runSource[2].replace(/\/+$/, "")}` : run.artifactUri;
  }
  return { storageLocation, runId: runId ?? null, loggedModelId: null };
}

/** Registers a version: the next number (never a deleted one's), READY at once. */
export async function createModelVersion(access: ProjectAccess, name: string, input: NewModelVersion): Promise<ModelVersion> {
  assertScope(access, "registry:write");
  return transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const source = await resolveSource(tx, access.project.id, input);
    const { lastVersion } = await tx.registeredModel.update({
      where: { id: model.id },
      data: { lastVersion: { increment: 1 }, updatedAt: new Date() },
      select: { lastVersion: true },
    });
    const created = await tx.modelVersion.create({
      data: {
        modelId: model.id,
        version: lastVersion,
        source: input.source,
        storageLocation: source.storageLocation,
        runId: source.runId,
        loggedModelId: source.loggedModelId,
        description: input.description || null,
        runLink: input.runLink || null,
        createdBy: actorLabel(access.actor),
        tags: { create: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })) },
      },
    });
    await recordRegistryEvent(tx, access, {
      model,
      version: lastVersion,
      kind: "version.create",
      after: { source: input.source, runId: source.runId, loggedModelId: source.loggedModelId, stage: "None" },
    });
    return loadVersion(tx, created.id);
  });
}

export async function getModelVersion(access: ProjectAccess, name: string, version: number): Promise<ModelVersion> {
  assertScope(access, "project:read");
  const model = await findModelRow(db(), access.project.id, name);
  return loadVersion(db(), (await findVersionRow(db(), model, version)).id);
}

/** What get-download-uri answers: where the version's files are stored. */
export async function modelVersionDownloadUri(access: ProjectAccess, name: string, version: number): Promise<string> {
  assertScope(access, "project:read");
  return (await getModelVersion(access, name, version)).storageLocation;
}

export async function updateModelVersion(access: ProjectAccess, name: string, version: number, description: string): Promise<ModelVersion> {
  assertScope(access, "registry:write");
  return transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const row = await findVersionRow(tx, model, version);
    await tx.modelVersion.update({ where: { id: row.id }, data: { description, updatedAt: new Date() } });
    await recordRegistryEvent(tx, access, { model, version, kind: "version.update", before: { description: row.description }, after: { description } });
    return loadVersion(tx, row.id);
  });
}

/** Deletes a version and the aliases pointing at it; the number is not given out again. */
export async function deleteModelVersion(access: ProjectAccess, name: string, version: number): Promise<void> {
  assertScope(access, "registry:delete");
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const row = await findVersionRow(tx, model, version);
    const aliases = (await tx.modelAlias.findMany({ where: { versionId: row.id }, select: { alias: true } })).map((alias) => alias.alias);
    await tx.modelVersion.delete({ where: { id: row.id } });
    await tx.registeredModel.update({ where: { id: model.id }, data: { updatedAt: new Date() } });
    await recordRegistryEvent(tx, access, { model, version, kind: "version.delete", before: { stage: row.stage, aliases, source: row.source } });
  });
}

/** The highest version in each of `stages` (any case; none given: every stage), in stage order. */
export async function latestModelVersions(access: ProjectAccess, name: string, stages: readonly string[]): Promise<ModelVersion[]> {
  assertScope(access, "project:read");
  const wanted: ModelStage[] = [];
  for (const name of stages) {
    const stage = canonicalStage(name);
    if (!stage) throw badInput(`Invalid Model Version stage: ${name}. Value must be one of None, Staging, Production, Archived.`);
    wanted.push(stage);
  }
  const model = await findModelRow(db(), access.project.id, name);
  const rows = await db().$queryRaw<{ id: string; stage: string }[]>`
    SELECT DISTINCT ON ("stage") "id", "stage" FROM "ModelVersion"
    WHERE "modelId" = ${model.id} ORDER BY "stage", "version" DESC`;
  const chosen = rows.filter((row) => wanted.length === 0 || wanted.includes(row.stage as ModelStage));
  return (await loadVersions(db(), chosen.map((row) => row.id))).sort(byStage);
}

export async function setModelVersionTag(access: ProjectAccess, name: string, version: number, key: string, value: string): Promise<void> {
  assertScope(access, "registry:write");
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const row = await findVersionRow(tx, model, version);
    const before = await tx.modelVersionTag.findUnique({ where: { versionId_key: { versionId: row.id, key } } });
    await tx.modelVersionTag.upsert({
      where: { versionId_key: { versionId: row.id, key } },
      create: { versionId: row.id, key, value },
      update: { value },
    });
    await recordRegistryEvent(tx, access, { model, version, kind: "version.tag_set", before: before ? { [key]: before.value } : undefined, after: { [key]: value } });
  });
}

export async function deleteModelVersionTag(access: ProjectAccess, name: string, version: number, key: string): Promise<void> {
  assertScope(access, "registry:write");
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const row = await findVersionRow(tx, model, version);
    const before = await tx.modelVersionTag.findUnique({ where: { versionId_key: { versionId: row.id, key } } });
    if (!before) throw notFound(`No tag with name: ${key} in Model Version (name=${name}, version=${version})`);
    await tx.modelVersionTag.delete({ where: { versionId_key: { versionId: row.id, key } } });
    await recordRegistryEvent(tx, access, { model, version, kind: "version.tag_delete", before: { [key]: before.value } });
  });
}
