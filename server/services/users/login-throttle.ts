import { LRUCache } from "lru-cache";

/**
 * Slows password guessing per account and per client address. After FREE_ATTEMPTS failures in the
 * window, each further attempt must wait twice as long as the last (capped); a success clears the
 * account's record. Kept in memory: Tally runs as one server process.
 */
const FREE_ATTEMPTS = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MS = 15 * 60_000;

interface Failures {
  count: number;
  lastFailureAt: number;
}

const failures = new LRUCache<string, Failures>({ max: 50_000, ttl: WINDOW_MS });

function keysFor(email: string, ip: string | undefined): string[] {
  return ip ? [`email:${email}`, `ip:${ip}`] : [`email:${email}`];
}

function lockRemainingMs(entry: Failures | undefined, now: number): number {
  if (!entry || entry.count < FREE_ATTEMPTS) return 0;
  const lockMs = Math.min(1000 * 2 ** (entry.count - FREE_ATTEMPTS), MAX_LOCK_MS);
  return Math.max(0, entry.lastFailureAt + lockMs - now);
}

/** Milliseconds until another attempt is allowed (0 when allowed now). */
export function loginRetryAfterMs(email: string, ip: string | undefined, now = Date.now()): number {
  return Math.max(...keysFor(email, ip).map((key) => lockRemainingMs(failures.get(key), now)));
}

export function recordLoginFailure(email: string, ip: string | undefined, now = Date.now()): void {
  for (const key of keysFor(email, ip)) {
    const entry = failures.get(key);
    failures.set(key, { count: (entry?.count ?? 0) + 1, lastFailureAt: now });
  }
}

export function recordLoginSuccess(email: string): void {
  failures.delete(`email:${email}`);
}

export function resetLoginThrottle(): void {
  failures.clear();
}
