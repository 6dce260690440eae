import { executeIn, type SqlTx, type Tx } from "@/server/db/transaction";
import { INVALIDATION_CHANNEL, encodeInvalidation, type Invalidation } from "./messages";
import { dispatch } from "./listener";

/**
 * Tells every app process about `change`, from inside the transaction that makes it: PostgreSQL
 * delivers the notification when (and only if) that transaction commits, so no process evicts too
 * early and none misses a committed change while it is listening.
 */
export async function announceInvalidation(tx: Tx | SqlTx, change: Invalidation): Promise<void> {
  await executeIn(tx, "SELECT pg_notify($1, $2)", [INVALIDATION_CHANNEL, encodeInvalidation(change)]);
}

/**
 * Evicts `change` in this process at once, without waiting for its own notification to come back.
 * Call it after the transaction that announced the change has committed.
 */
export function invalidateLocally(change: Invalidation): void {
  dispatch(change);
}
