import { promotionRequestTransition } from "@/lib/model-registry-states";
import { transaction } from "@/server/db/transaction";
import { resolveProjectAccess, type SystemActor } from "../access";
import { claimInTransaction, lagSeconds, startBackgroundLoop, type BackgroundLoop, type LeasedTable } from "../jobs";
import { recordRegistryEvent } from "../registry/internal";
import { modelOfRow } from "./requests";

const EXPIRY_ACTOR: SystemActor = { type: "SYSTEM", label: "request expiry" };
const BATCH = 100;
const DUE_REQUESTS: LeasedTable = { table: "PromotionRequest", dueColumn: "expiresAt", ready: `"state" = 'PENDING'` };
/** How long a batch claimed by a machine that vanished mid-way stays claimed. */
const LEASE_MS = 30_000;

/**
 * Marks pending requests past their expiry as EXPIRED, each with its history row, a batch at a time.
 * Each batch is claimed for its transaction (`claimInTransaction`): rows another process is expiring
 * at the same moment are skipped, so running this on several replicas at once expires each request
 * once, and a batch whose process died mid-way is released and expired by another. Returns how many
 * it expired.
 */
export async function expireDueRequests(now: Date = new Date()): Promise<number> {
  let expired = 0;
  for (;;) {
    const done = await transaction(async (tx) => {
      const due = await claimInTransaction(tx, DUE_REQUESTS, { now, leaseMs: LEASE_MS, limit: BATCH });
      for (const id of due) {
        const row = await tx.promotionRequest.findUniqueOrThrow({ where: { id }, include: { project: { select: { slug: true } } } });
        const state = promotionRequestTransition(row.state, "EXPIRED");
        await tx.promotionRequest.update({ where: { id }, data: { state, decidedAt: now, resolution: `Expired on ${row.expiresAt.toISOString()} with no decision` } });
        const access = await resolveProjectAccess(EXPIRY_ACTOR, row.project.slug);
        await recordRegistryEvent(tx, access, {
          model: await modelOfRow(tx, row),
          version: row.version,
          kind: "promotion.expire",
          before: { state: "PENDING" },
          after: { state },
          requestId: id,
        });
      }
      return due.length;
    });
    expired += done;
    if (done < BATCH) return expired;
  }
}

const EXPIRY_INTERVAL_MS = 60_000;

/** Expires due requests once a minute in this process (several replicas at once stay correct: SKIP LOCKED). */
export function startRequestExpiry(): BackgroundLoop {
  return startBackgroundLoop("promotion request expiry", EXPIRY_INTERVAL_MS, () => expireDueRequests());
}

/** How long the longest-overdue pending request has waited to be expired, in seconds. */
export function expiryLagSeconds(now: Date = new Date()): Promise<number> {
  return lagSeconds(DUE_REQUESTS, now);
}
