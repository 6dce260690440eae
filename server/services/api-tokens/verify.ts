import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/rbac";
import { unauthenticated } from "@/lib/errors";
import { db } from "@/server/db/client";
import type { TokenActor } from "../access";
import { cacheGeneration, startInvalidationListener, subscribeToInvalidations } from "../cache-invalidation";
import { noteTokenAddress } from "./addresses";
import { isExpired, parseToken, secretMatches } from "./token-format";

export interface TokenPrincipal extends TokenActor {
  expiresAt: Date | null;
}

/**
 * Verified tokens are remembered briefly so the ingestion hot path does not query the database per
 * request. Every process evicts a revoked token (or a renamed or deleted project's tokens) when the
 * change's notification arrives (server/services/cache-invalidation); the TTL is the backstop.
 */
const CACHE_TTL_MS = 30_000;
/** lastUsedAt is written at most this often per token, so heavy use doesn't turn into write load. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * One cache per process on globalThis: Tally's HTTP server and the Next.js bundle load their own
 * copies of this module, and the invalidation listener must empty the cache requests are served from.
 */
const globalForTokens = globalThis as unknown as { tallyTokenCache?: LRUCache<string, TokenPrincipal> };

function tokenCache(): LRUCache<string, TokenPrincipal> {
  if (!globalForTokens.tallyTokenCache) {
    const cache = new LRUCache<string, TokenPrincipal>({ max: 10_000, ttl: CACHE_TTL_MS });
    const forget = (stale: (principal: TokenPrincipal) => boolean) => {
      for (const [key, principal] of cache.entries()) if (stale(principal)) cache.delete(key);
    };
    subscribeToInvalidations({
      evict: (change) => {
        if (change.kind === "token") forget((principal) => principal.tokenId === change.tokenId);
        else forget((principal) => principal.project.id === change.projectId);
      },
      clear: () => cache.clear(),
    });
    globalForTokens.tallyTokenCache = cache;
  }
  startInvalidationListener();
  return globalForTokens.tallyTokenCache;
}

const cacheKey = (plaintext: string) => createHash("sha256").update(plaintext).digest("hex");

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
  const cache = tokenCache();
  const key = cacheKey(plaintext);
  const cached = cache.get(key);
  if (cached && !isExpired(cached.expiresAt, now)) return cached;
  // A change announced while the row is being read must keep it out of the cache.
  const generation = cacheGeneration();

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
  if (generation !== null && cacheGeneration() === generation) cache.set(key, principal);
  return principal;
}
