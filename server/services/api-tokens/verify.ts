import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/rbac";
import { unauthenticated } from "@/lib/errors";
import { db } from "@/server/db/client";
import type { TokenActor } from "../access";
import { noteTokenAddress } from "./addresses";
import { isExpired, parseToken, secretMatches } from "./token-format";

export interface TokenPrincipal extends TokenActor {
  expiresAt: Date | null;
}

/**
 * Verified tokens are remembered briefly so the ingestion hot path does not query the database per
 * request. Revocation in this process evicts at once; the TTL bounds staleness otherwise.
 */
const CACHE_TTL_MS = 30_000;
const cache = new LRUCache<string, TokenPrincipal>({ max: 10_000, ttl: CACHE_TTL_MS });
/** lastUsedAt is written at most this often per token, so heavy use doesn't turn into write load. */
const LAST_USED_RESOLUTION_MS = 60_000;

const cacheKey = (plaintext: string) => createHash("sha256").update(plaintext).digest("hex");

export function forgetCachedToken(tokenId: string): void {
  for (const [key, principal] of cache.entries()) {
    if (principal.tokenId === tokenId) cache.delete(key);
  }
}

export function clearTokenCache(): void {
  cache.clear();
}

/**
 * The one verification path for every REST route. Throws UNAUTHENTICATED with the reason. The
 * client address, when known, is noted for the token (a new one is audited).
 */
export async function authenticateToken(plaintext: string | null, clientAddress?: string, now = new Date()): Promise<TokenPrincipal> {
  const principal = await verifyToken(plaintext, now);
  await noteTokenAddress(principal, clientAddress);
  return principal;
}

async function verifyToken(plaintext: string | null, now: Date): Promise<TokenPrincipal> {
  if (!plaintext) throw unauthenticated("An API token is required (Authorization: Bearer tly_...)");
  const key = cacheKey(plaintext);
  const cached = cache.get(key);
  if (cached && !isExpired(cached.expiresAt, now)) return cached;

  const parsed = parseToken(plaintext);
  if (!parsed) throw unauthenticated("The API token is malformed");
  const row = await db().apiToken.findUnique({
    where: { id: parsed.id },
    select: {
      id: true,
      name: true,
      scopes: true,
      salt: true,
      secretHash: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      project: { select: { id: true, slug: true, name: true } },
    },
  });
  if (!row || !secretMatches(row.salt, parsed.secret, row.secretHash)) {
    throw unauthenticated("The API token is not valid");
  }
  if (row.revokedAt) throw unauthenticated("The API token was revoked");
  if (isExpired(row.expiresAt, now)) throw unauthenticated("The API token has expired");

  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  const principal: TokenPrincipal = {
    type: "TOKEN",
    tokenId: row.id,
    tokenName: row.name,
    project: row.project,
    scopes: row.scopes.filter((scope): scope is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(scope)),
    expiresAt: row.expiresAt,
  };
  cache.set(key, principal);
  return principal;
}
