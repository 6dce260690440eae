import { LRUCache } from "lru-cache";

/**
 * Slows password guessing without handing anyone a way to lock a chosen person out.
 * Failures are counted three ways: per client address (any account), per account from one address,
 * and per account overall. After FREE_ATTEMPTS failures under one count, each further attempt waits
 * twice as long as the last (capped). The address counts always apply. The overall account count
 * applies only to addresses that have already failed on that account: the owner signing in from a
 * clean address with the right password gets in even while someone else hammers the account, and a
 * guesser spreading over many addresses gets one attempt per address. Kept in memory: Tally runs as
 * one server process.
 */
const FREE_ATTEMPTS = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MS = 15 * 60_000;

interface Failures {
  count: number;
  lastFailureAt: number;
}

const failures = new LRUCache<string, Failures>({ max: 50_000, ttl: WINDOW_MS });

const addressKey = (ip: string) => `ip:${ip}`;
const accountKey = (email: string) => `account:${email}`;
/** Without a known address every attempt counts as coming from the same unknown one. */
const accountFromAddressKey = (email: string, ip: string | undefined) => `account:${email}|ip:${ip ?? "unknown"}`;

function lockRemainingMs(entry: Failures | undefined, now: number): number {
  if (!entry || entry.count < FREE_ATTEMPTS) return 0;
  const lockMs = Math.min(1000 * 2 ** (entry.count - FREE_ATTEMPTS), MAX_LOCK_MS);
  return Math.max(0, entry.lastFailureAt + lockMs - now);
}

/** Milliseconds until another attempt is allowed (0 when allowed now). */
export function loginRetryAfterMs(email: string, ip: string | undefined, now = Date.now()): number {
  const fromAddress = failures.get(accountFromAddressKey(email, ip));
  return Math.max(
    ip ? lockRemainingMs(failures.get(addressKey(ip)), now) : 0,
    lockRemainingMs(fromAddress, now),
    fromAddress ? lockRemainingMs(failures.get(accountKey(email)), now) : 0,
  );
}

export function recordLoginFailure(email: string, ip: string | undefined, now = Date.now()): void {
  const keys = [accountKey(email), accountFromAddressKey(email, ip), ...(ip ? [addressKey(ip)] : [])];
  for (const key of keys) {
    const entry = failures.get(key);
    failures.set(key, { count: (entry?.count ?? 0) + 1, lastFailureAt: now });
  }
}

/** The account's own counts are cleared; the address keeps its record of other accounts' failures. */
export function recordLoginSuccess(email: string, ip: string | undefined): void {
  failures.delete(accountKey(email));
  failures.delete(accountFromAddressKey(email, ip));
}

export function resetLoginThrottle(): void {
  failures.clear();
}
