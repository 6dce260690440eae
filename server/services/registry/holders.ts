import { notFound } from "@/lib/errors";
import type { ModelStage, StageOrAlias } from "@/lib/model-registry-states";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";

/** A version holding a stage or an alias at some moment: since when, moved there by whom, why. */
export interface TargetHolder {
  version: number;
  since: Date;
  movedBy: string;
  /** The promotion request the move was approved under, if any. */
  requestId: string | null;
  /** The history row that moved it there. */
  eventId: string;
}

/** The registry of one model as it stood at a moment: every stage's and alias's holders. */
export interface RegistryStateAt {
  modelName: string;
  at: Date;
  stages: Partial<Record<ModelStage, TargetHolder[]>>;
  aliases: Record<string, TargetHolder>;
}

interface HistoryRow {
  id: bigint;
  kind: string;
  version: number | null;
  actorLabel: string;
  requestId: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

/**
 * The stages and aliases of the model called `name` at `at`, replayed from its history (which is
 * kept by the model's id, so renames and a later model of the same name do not mix in).
 */
export async function registryStateAt(access: ProjectAccess, name: string, at: Date): Promise<RegistryStateAt> {
  assertScope(access, "project:read");
  const modelId = await modelCalledAt(access.project.id, name, at);
  if (!modelId) throw notFound(`No registered model was called ${name} at ${at.toISOString()}.`);
  const rows = await db().registryEvent.findMany({
    where: { projectId: access.project.id, modelId, createdAt: { lte: at } },
    orderBy: { id: "asc" },
    select: { id: true, kind: true, version: true, actorLabel: true, requestId: true, before: true, after: true, createdAt: true },
  });
  return { modelName: name, at, ...replay(rows) };
}

/** Who held one stage or alias of a model at a moment (a stage can have several holders). */
export async function targetHoldersAt(access: ProjectAccess, name: string, target: StageOrAlias, at: Date): Promise<TargetHolder[]> {
  const state = await registryStateAt(access, name, at);
  if (target.kind === "stage") return state.stages[target.stage] ?? [];
  const holder = state.aliases[target.alias];
  return holder ? [holder] : [];
}

/** The id of the model that had this name at that moment: its newest history row then carries the name. */
async function modelCalledAt(projectId: string, name: string, at: Date): Promise<string | null> {
  const named = await db().registryEvent.findFirst({
    where: { projectId, modelName: name, createdAt: { lte: at } },
    orderBy: { id: "desc" },
    select: { modelId: true },
  });
  if (!named) return null;
  const newest = await db().registryEvent.findFirst({
    where: { projectId, modelId: named.modelId, createdAt: { lte: at } },
    orderBy: { id: "desc" },
    select: { modelName: true, kind: true },
  });
  return newest && newest.modelName === name && newest.kind !== "model.delete" ? named.modelId : null;
}

function replay(rows: HistoryRow[]): Pick<RegistryStateAt, "stages" | "aliases"> {
  const stageOf = new Map<number, { stage: ModelStage; holder: TargetHolder }>();
  const aliases = new Map<string, TargetHolder>();
  for (const row of rows) {
    const holder = (version: number): TargetHolder => ({
      version,
      since: row.createdAt,
      movedBy: row.actorLabel,
      requestId: row.requestId,
      eventId: row.id.toString(),
    });
    const after = (row.after ?? {}) as { stage?: ModelStage; alias?: string; version?: number };
    const before = (row.before ?? {}) as { alias?: string };
    if (row.version === null) continue;
    switch (row.kind) {
      case "version.create":
      case "version.stage":
        stageOf.set(row.version, { stage: after.stage ?? "None", holder: holder(row.version) });
        break;
      case "version.delete":
        stageOf.delete(row.version);
        for (const [alias, held] of aliases) if (held.version === row.version) aliases.delete(alias);
        break;
      case "alias.set":
        if (after.alias !== undefined) aliases.set(after.alias, holder(after.version ?? row.version));
        break;
      case "alias.delete":
        if (before.alias !== undefined) aliases.delete(before.alias);
        break;
    }
  }
  const stages: Partial<Record<ModelStage, TargetHolder[]>> = {};
  for (const { stage, holder } of [...stageOf.values()].sort((a, b) => b.holder.version - a.holder.version)) {
    (stages[stage] ??= []).push(holder);
  }
  return { stages, aliases: Object.fromEntries([...aliases].sort(([a], [b]) => a.localeCompare(b))) };
}
