import { z } from "zod";

/**
 * A committed change that makes cached authorization data stale. Every app process hears it
 * (PostgreSQL NOTIFY on `INVALIDATION_CHANNEL`) and evicts what it cached about the thing named.
 */
export type Invalidation =
  /** A token was revoked. */
  | { kind: "token"; tokenId: string }
  /** A project was renamed or deleted (its tokens carry it, or are gone with it). */
  | { kind: "project"; projectId: string };

export const INVALIDATION_CHANNEL = "tally_cache_invalidation";

const invalidation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("token"), tokenId: z.string().min(1) }),
  z.object({ kind: z.literal("project"), projectId: z.string().min(1) }),
]);

export const encodeInvalidation = (change: Invalidation): string => JSON.stringify(change);

/** null for a payload this version does not understand (a newer replica's): the caller then clears everything. */
export function decodeInvalidation(payload: string | undefined): Invalidation | null {
  try {
    const parsed = invalidation.safeParse(JSON.parse(payload ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
