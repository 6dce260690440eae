import { badInput } from "@/lib/errors";
import type { ModelStage } from "@/lib/model-registry-states";
import { aliasProblem, canonicalStage } from "@/lib/schemas/registry";
import type { Tx } from "@/server/db/transaction";
import type { ProjectAccess } from "../access";
import { recordRegistryEvent } from "./history";
import { findModelRow, findVersionRow, loadVersion } from "./load";
import type { ModelVersion } from "./types";

/**
 * The moves themselves (a stage, an alias), inside the caller's transaction, with their history
 * rows. They decide nothing about permissions: the approval gate does (server/services/promotions),
 * directly or when it approves a request, whose id then goes into the history.
 */

type ModelRow = Awaited<ReturnType<typeof findModelRow>>;
type VersionRow = Awaited<ReturnType<typeof findVersionRow>>;

/** A stage name in any case, or MLflow's error; archiving is only for the active stages. */
export function stageMoveInput(input: { stage: string; archiveExisting: boolean }): { stage: ModelStage; archiveExisting: boolean } {
  const stage = canonicalStage(input.stage);
  if (!stage) throw badInput(`Invalid Model Version stage: ${input.stage}. Value must be one of None, Staging, Production, Archived.`);
  if (input.archiveExisting && stage !== "Staging" && stage !== "Production") {
    throw badInput(`Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are Staging, Production`);
  }
  return { stage, archiveExisting: input.archiveExisting };
}

export function assertAlias(alias: string): void {
  const problem = aliasProblem(alias);
  if (problem) throw badInput(problem);
}

/** The model (locked: one change at a time per model) and the version, in the caller's project. */
export async function lockVersion(tx: Tx, access: ProjectAccess, name: string, version: number): Promise<{ model: ModelRow; row: VersionRow }> {
  const model = await findModelRow(tx, access.project.id, name, true);
  return { model, row: await findVersionRow(tx, model, version) };
}

/** With `archiveExisting`, the other versions in that stage go to Archived, each with its own history row. */
export async function moveToStage(
  tx: Tx,
  access: ProjectAccess,
  { model, row }: { model: ModelRow; row: VersionRow },
  move: { stage: ModelStage; archiveExisting: boolean },
  requestId?: string,
): Promise<ModelVersion> {
  const { stage } = move;
  const now = new Date();
  if (move.archiveExisting) {
    const others = await tx.modelVersion.findMany({ where: { modelId: model.id, stage, NOT: { id: row.id } }, select: { id: true, version: true } });
    for (const other of others) {
      await tx.modelVersion.update({ where: { id: other.id }, data: { stage: "Archived", updatedAt: now } });
      await recordRegistryEvent(tx, access, {
        model,
        version: other.version,
        kind: "version.stage",
        before: { stage },
        after: { stage: "Archived", archivedBy: row.version },
        requestId,
      });
    }
  }
  await tx.modelVersion.update({ where: { id: row.id }, data: { stage, updatedAt: now } });
  await tx.registeredModel.update({ where: { id: model.id }, data: { updatedAt: now } });
  await recordRegistryEvent(tx, access, { model, version: row.version, kind: "version.stage", before: { stage: row.stage }, after: { stage }, requestId });
  return loadVersion(tx, row.id);
}

/** Points an alias at the version (moving it if it pointed elsewhere); pointing it where it is changes nothing. */
export async function pointAlias(
  tx: Tx,
  access: ProjectAccess,
  { model, row }: { model: ModelRow; row: VersionRow },
  alias: string,
  requestId?: string,
): Promise<void> {
  const current = await tx.modelAlias.findUnique({
    where: { modelId_alias: { modelId: model.id, alias } },
    select: { version: { select: { id: true, version: true } } },
  });
  if (current?.version.id === row.id) return;
  await tx.modelAlias.upsert({
    where: { modelId_alias: { modelId: model.id, alias } },
    create: { modelId: model.id, alias, versionId: row.id },
    update: { versionId: row.id, updatedAt: new Date() },
  });
  await tx.registeredModel.update({ where: { id: model.id }, data: { updatedAt: new Date() } });
  await recordRegistryEvent(tx, access, {
    model,
    version: row.version,
    kind: "alias.set",
    before: current ? { alias, version: current.version.version } : undefined,
    after: { alias, version: row.version },
    requestId,
  });
}

/** Removes an alias; removing one that does not exist changes nothing. */
export async function removeAlias(tx: Tx, access: ProjectAccess, model: ModelRow, alias: string): Promise<void> {
  const current = await tx.modelAlias.findUnique({
    where: { modelId_alias: { modelId: model.id, alias } },
    select: { version: { select: { version: true } } },
  });
  if (!current) return;
  await tx.modelAlias.delete({ where: { modelId_alias: { modelId: model.id, alias } } });
  await tx.registeredModel.update({ where: { id: model.id }, data: { updatedAt: new Date() } });
  await recordRegistryEvent(tx, access, { model, version: current.version.version, kind: "alias.delete", before: { alias, version: current.version.version } });
}
