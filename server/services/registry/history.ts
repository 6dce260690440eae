import { db } from "@/server/db/client";
import type { Tx } from "@/server/db/transaction";
import { actorLabel, assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import { enqueueRegistryWebhookEvent } from "../webhooks";
import type { RegistryEventKind, RegistryHistoryEntry } from "./types";

/**
 * Records one registry change twice, in the transaction of the change: in the model's own history
 * (what the model page shows; the ledger of promotions builds on it) and in the project's audit log.
 */
export async function recordRegistryEvent(
  tx: Tx,
  access: ProjectAccess,
  event: {
    model: { id: string; name: string };
    version?: number;
    kind: RegistryEventKind;
    before?: unknown;
    after?: unknown;
    /** The promotion request the change was made under. */
    requestId?: string;
  },
): Promise<void> {
  const { actor } = access;
  const json = (value: unknown) => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as object));
  await tx.registryEvent.create({
    data: {
      projectId: access.project.id,
      modelId: event.model.id,
      modelName: event.model.name,
      version: event.version ?? null,
      kind: event.kind,
      actorType: actor.type,
      actorId: actor.type === "USER" ? actor.userId : actor.type === "TOKEN" ? actor.tokenId : null,
      actorLabel: actorLabel(actor),
      before: json(event.before),
      after: json(event.after),
      requestId: event.requestId ?? null,
    },
  });
  await recordAudit(tx, actor, {
    projectId: access.project.id,
    action: `registry.${event.kind}`,
    resourceType: event.version === undefined ? "registeredModel" : "modelVersion",
    resourceId: event.version === undefined ? event.model.name : `${event.model.name}/${event.version}`,
    actorRole: access.roleSnapshot,
    before: event.before,
    after: event.after,
  });
  await enqueueRegistryWebhookEvent(tx, access, event);
}

/** A model's history, newest first (also after renames: it is kept by the model's id). */
export async function modelHistory(access: ProjectAccess, name: string, limit = 200): Promise<RegistryHistoryEntry[]> {
  assertScope(access, "project:read");
  const model = await db().registeredModel.findUnique({
    where: { projectId_name: { projectId: access.project.id, name } },
    select: { id: true },
  });
  if (!model) return [];
  const rows = await db().registryEvent.findMany({
    where: { projectId: access.project.id, modelId: model.id },
    orderBy: { id: "desc" },
    take: limit,
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    kind: row.kind as RegistryEventKind,
    modelName: row.modelName,
    version: row.version,
    actorLabel: row.actorLabel,
    requestId: row.requestId,
    before: row.before,
    after: row.after,
    createdAt: row.createdAt,
  }));
}
