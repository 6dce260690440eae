import type { AuditAction } from "@/lib/audit-actions";
import type { Tx } from "@/server/db/transaction";
import { actorLabel, type Actor } from "../access";

export type AuditResourceType =
  | "project"
  | "membership"
  | "invite"
  | "apiToken"
  | "user"
  | "experiment"
  | "run"
  | "request"
  | "registeredModel"
  | "modelVersion"
  | "cardSection"
  | "policy"
  | "webhook";

/**
 * Someone not signed in (a failed sign-in, a refused cross-site request). Only the audit log knows
 * this kind of actor: it can never be passed where permissions are decided.
 */
export interface AnonymousActor {
  type: "ANONYMOUS";
  address: string | undefined;
}

export type AuditActor = Actor | AnonymousActor;

export interface AuditEntry {
  projectId: string | null;
  action: AuditAction;
  resourceType: AuditResourceType;
  resourceId: string;
  /** The actor's role in the project at the time (e.g. OWNER, ADMIN, token scopes). */
  actorRole: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one audit event. Always called with the transaction of the change it records, so the event
 * exists exactly when the change does.
 */
export async function recordAudit(tx: Tx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      projectId: entry.projectId,
      actorType: actor.type,
      actorId: actor.type === "USER" ? actor.userId : actor.type === "TOKEN" ? actor.tokenId : null,
      actorLabel: actor.type === "ANONYMOUS" ? `anonymous (${actor.address ?? "unknown address"})` : actorLabel(actor),
      actorRole: entry.actorRole,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
  });
}

/** Dates and undefineds made JSON-safe; undefined means "no snapshot" (SQL NULL). */
function toJson(value: unknown) {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as object);
}
