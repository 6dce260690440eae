import type { AnonymousAuditAction } from "@/lib/audit-actions";
import { transaction } from "@/server/db/transaction";
import { recordAudit, type AuditEntry } from "./record";

/**
 * An event with no one identified behind it (a failed sign-in, a refused cross-site request): its
 * own transaction, no project, the client address as the actor.
 */
export async function recordAnonymousEvent(
  address: string | undefined,
  entry: Omit<AuditEntry, "projectId" | "actorRole" | "before" | "action"> & { action: AnonymousAuditAction },
): Promise<void> {
  await transaction((tx) => recordAudit(tx, { type: "ANONYMOUS", address }, { ...entry, projectId: null, actorRole: null }));
}
