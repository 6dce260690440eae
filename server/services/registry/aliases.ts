import { badInput, notFound } from "@/lib/errors";
import { aliasProblem } from "@/lib/schemas/registry";
import { db } from "@/server/db/client";
import { transaction } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { recordRegistryEvent } from "./history";
import { findModelRow, findVersionRow, loadVersionByAlias, modelNotFound } from "./load";
import type { ModelVersion } from "./types";

/** Points an alias at a version (moving it if it pointed elsewhere). */
export async function setModelAlias(access: ProjectAccess, name: string, alias: string, version: number): Promise<void> {
  assertScope(access, "registry:write");
  const problem = aliasProblem(alias);
  if (problem) throw badInput(problem);
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const target = await findVersionRow(tx, model, version);
    const current = await tx.modelAlias.findUnique({
      where: { modelId_alias: { modelId: model.id, alias } },
      select: { version: { select: { id: true, version: true } } },
    });
    if (current?.version.id === target.id) return;
    await tx.modelAlias.upsert({
      where: { modelId_alias: { modelId: model.id, alias } },
      create: { modelId: model.id, alias, versionId: target.id },
      update: { versionId: target.id, updatedAt: new Date() },
    });
    await tx.registeredModel.update({ where: { id: model.id }, data: { updatedAt: new Date() } });
    await recordRegistryEvent(tx, access, {
      model,
      version,
      kind: "alias.set",
      before: current ? { alias, version: current.version.version } : undefined,
      after: { alias, version },
    });
  });
}

/** Removes an alias; removing one that does not exist changes nothing. */
export async function deleteModelAlias(access: ProjectAccess, name: string, alias: string): Promise<void> {
  assertScope(access, "registry:write");
  await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, name, true);
    const current = await tx.modelAlias.findUnique({
      where: { modelId_alias: { modelId: model.id, alias } },
      select: { version: { select: { version: true } } },
    });
    if (!current) return;
    await tx.modelAlias.delete({ where: { modelId_alias: { modelId: model.id, alias } } });
    await tx.registeredModel.update({ where: { id: model.id }, data: { updatedAt: new Date() } });
    await recordRegistryEvent(tx, access, {
      model,
      version: current.version.version,
      kind: "alias.delete",
      before: { alias, version: current.version.version },
    });
  });
}

export async function modelVersionByAlias(access: ProjectAccess, name: string, alias: string): Promise<ModelVersion> {
  assertScope(access, "project:read");
  const version = await loadVersionByAlias(db(), access.project.id, name, alias);
  if (version === "no model") throw modelNotFound(name);
  if (version === "no alias") throw notFound(`Registered model alias ${alias} not found.`);
  return version;
}
