/**
 * A background job that dies mid-way, for tests: claims the promotion request named on the command
 * line for expiry the way `expireDueRequests` does, prints `claimed <ids>`, and then hangs inside the
 * claiming transaction until the test kills it.
 * `node --import tsx tests/support/claim-and-hang.ts <requestId>` with DATABASE_URL set.
 */
import { transaction } from "../../server/db/transaction";
import { claimInTransaction } from "../../server/services/jobs";

const requestId = process.argv[2] ?? "";
if (!/^[a-z0-9]+$/.test(requestId)) throw new Error("usage: claim-and-hang.ts <requestId>");
await transaction(
  async (tx) => {
    const claimed = await claimInTransaction(
      tx,
      { table: "PromotionRequest", dueColumn: "expiresAt", ready: `"state" = 'PENDING' AND "id" = '${requestId}'` },
      { now: new Date(), leaseMs: 30_000, limit: 1 },
    );
    console.log(`claimed ${claimed.join(",")}`);
    await new Promise(() => undefined);
  },
);
