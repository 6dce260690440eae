import { badInput, conflict, notFound } from "@/lib/errors";
import { modelNameProblem } from "@/lib/schemas/registry";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { actorLabel, assertScope, type ProjectAccess } from "../access";
import { recordRegistryEvent } from "./history";
import { findModelRow, loadModels } from "./load";
import type { RegisteredModel } from "./types";

function checkName(name: string): void {
  const problem = modelNameProblem(name);
  if (problem) throw badInput(problem);
}

async function assertNameFree(tx: Tx, projectId: string, name: string): Promise<void> {
  const taken = await tx.registeredModel.findUnique({ where: { projectId_name: { projectId, name } }, select: { id: true } });
  if (taken) throw conflict(`Registered Model (name=${name}) already exists.`);
}

async function touch(tx: Tx, modelId: string): Promise<void> {
  await tx.registeredModel.update({ where: { id: modelId }, data: { updatedAt: new Date() } });
}

export async function createRegisteredModel(
  access: ProjectAccess,
  input: { name: string; description?: string; tags?: Record<string, string> },
): Promise<RegisteredModel> {
  assertScope(access, "registry:write");
  checkName(input.name);
  return transaction(async (tx) => {
    // Serializes concurrent creates of one name in the project: the loser gets RESOURCE_ALREADY_EXISTS.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${access.project.id}/${input.name}`}))`;
    await assertNameFree(tx, access.project.id, input.name);
    const model = await tx.registeredModel.create({
      data: {
        projectId: access.project.id,
        name: input.name,
        description: input.description || null,
        createdBy: actorLabel(access.actor),
        tags: { create: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })) },
      },
    });
    await recordRegistryEvent(tx, access, {
      model,
      kind: "model.create",
      after: { name: model.name, description: model.description, tags: input.tags ?? {} },
    });
    return (await loadModels(tx, [model.id]))[0]!;
  });
}

export async function getRegisteredModel(access: ProjectAccess, name: string): Promise<RegisteredModel> {
  assertScope(access, "project:read");
  const model = await findModelRow(db(), access.project.id, name);
  return (await loadModels(db(), [model.id]))[0]!;
}

/** A new name; versions, aliases, tags and history stay with the model. */
export async function renameRegisteredModel(access: ProjectAccess, name: string, newName: string): Promise<RegisteredModel> {
  assertScope(access, "registry:write");
  checkName(newName);
  return transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    if (newName !== name) await assertNameFree(tx, access.project.id, newName);
    const renamed = await tx.registeredModel.update({ where: { id: model.id }, data: { name: newName, updatedAt: new Date() } });
    await recordRegistryEvent(tx, access, { model: renamed, kind: "model.rename", before: { name }, after: { name: newName } });
    return (await loadModels(tx, [model.id]))[0]!;
  });
}

export async function updateRegisteredModel(access: ProjectAccess, name: string, description: string): Promise<RegisteredModel> {
  assertScope(access, "registry:write");
  return transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    await tx.registeredModel.update({ where: { id: model.id }, data: { description, updatedAt: new Date() } });
    await recordRegistryEvent(tx, access, {
      model,
      kind: "model.update",
      before: { description: model.description },
      after: { description },
    });
    return (await loadModels(tx, [model.id]))[0]!;
  });
}

/** Deletes the model with its versions, aliases and tags; its history and audit events remain. */
export async function deleteRegisteredModel(access: ProjectAccess, name: string): Promise<void> {
  assertScope(access, "registry:delete");
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const versions = await tx.modelVersion.count({ where: { modelId: model.id } });
    await tx.registeredModel.delete({ where: { id: model.id } });
    await recordRegistryEvent(tx, access, { model, kind: "model.delete", before: { name, versions } });
  });
}

export async function setRegisteredModelTag(access: ProjectAccess, name: string, key: string, value: string): Promise<void> {
  assertScope(access, "registry:write");
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const before = await tx.registeredModelTag.findUnique({ where: { modelId_key: { modelId: model.id, key } } });
    await tx.registeredModelTag.upsert({
      where: { modelId_key: { modelId: model.id, key } },
      create: { modelId: model.id, key, value },
      update: { value },
    });
    await touch(tx, model.id);
    await recordRegistryEvent(tx, access, { model, kind: "model.tag_set", before: before ? { [key]: before.value } : undefined, after: { [key]: value } });
  });
}

export async function deleteRegisteredModelTag(access: ProjectAccess, name: string, key: string): Promise<void> {
  assertScope(access, "registry:write");
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const before = await tx.registeredModelTag.findUnique({ where: { modelId_key: { modelId: model.id, key } } });
    if (!before) throw notFound(`No tag with name: ${key} in Registered Model (name=${name})`);
    await tx.registeredModelTag.delete({ where: { modelId_key: { modelId: model.id, key } } });
    await touch(tx, model.id);
    await recordRegistryEvent(tx, access, { model, kind: "model.tag_delete", before: { [key]: before.value } });
  });
}
