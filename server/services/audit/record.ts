import type { AuditAction } from "@/lib/audit-actions";
import { executeIn, type SqlTx, type Tx } from "@/server/db/transaction";
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

const INSERT_AUDIT_EVENT = `INSERT INTO "AuditEvent"
  ("projectId", "actorType", "actorId", "actorLabel", "actorRole", "action", "resourceType", "resourceId", "before", "after")
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)`;

/**
 * Appends one audit event. Always called with the transaction of the change it records, so the event
 * exists exactly when the change does: a Prisma transaction or the raw one of the metric hot path
 * (one statement for both).
 */
export async function recordAudit(tx: Tx | SqlTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await executeIn(tx, INSERT_AUDIT_EVENT, [
    entry.projectId,
    actor.type,
    actor.type === "USER" ? actor.userId : actor.type === "TOKEN" ? actor.tokenId : null,
    actor.type === "ANONYMOUS" ? `anonymous (${actor.address ?? "unknown address"})` : actorLabel(actor),
    entry.actorRole,
    entry.action,
    entry.resourceType,
    entry.resourceId,
    toJson(entry.before),
    toJson(entry.after),
  ]);
}

/** JSON text (dates as ISO strings); undefined means "no snapshot" (SQL NULL). */
function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
