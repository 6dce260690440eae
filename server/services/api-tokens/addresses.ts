import { LRUCache } from "lru-cache";
import { transaction } from "@/server/db/transaction";
import { recordAudit } from "../audit";
import type { TokenActor } from "../access";

/** Pairs already known to be recorded, so the hot path asks the database once per pair per process. */
const known = new LRUCache<string, true>({ max: 50_000 });

/**
 * Remembers which client addresses a token is used from. The first use from an address it was never
 * used from before goes to the project's audit log, so a leaked token used from elsewhere shows up.
 */
export async function noteTokenAddress(token: TokenActor, address: string | undefined): Promise<void> {
  if (!address) return;
  const key = `${token.tokenId}|${address}`;
  if (known.has(key)) return;
  await transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "ApiTokenAddress" ("tokenId", "address") VALUES (${token.tokenId}, ${address})
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) return;
    await recordAudit(tx, token, {
      projectId: token.project.id,
      action: "token.new_address",
      resourceType: "apiToken",
      resourceId: token.tokenId,
      actorRole: token.scopes.join(","),
      after: { address },
    });
  });
  known.set(key, true);
}
