import { db } from "@/server/db/client";
import { startBackgroundLoop, type BackgroundLoop } from "../jobs";

/**
 * Slows password guessing without handing anyone a way to lock a chosen person out.
 * Failures are counted three ways: per client address (any account), per account from one address,
 * and per account overall. After FREE_ATTEMPTS failures under one count, each further attempt waits
 * twice as long as the last (capped). The address counts always apply. The overall account count
 * applies only to addresses that have already failed on that account: the owner signing in from a
 * clean address with the right password gets in even while someone else hammers the account, and a
 * guesser spreading over many addresses gets one attempt per address.
 *
 * The counts live in PostgreSQL (the `LoginThrottle` table), so every app process behind a load
 * balancer sees the same ones and spreading guesses over replicas gains nothing (docs/operations.md).
 */
const FREE_ATTEMPTS = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MS = 15 * 60_000;
const PURGE_BATCH = 1_000;
const PURGE_INTERVAL_MS = 5 * 60_000;

interface Failures {
  failures: number;
  lastFailureAt: Date;
}

const addressKey = (ip: string) => `ip:${ip}`;
const accountKey = (email: string) => `account:${email}`;
/** Without a known address every attempt counts as coming from the same unknown one. */
const accountFromAddressKey = (email: string, ip: string | undefined) => `account:${email}|ip:${ip ?? "unknown"}`;

function lockRemainingMs(entry: Failures | undefined, now: number): number {
  if (!entry || entry.failures < FREE_ATTEMPTS) return 0;
  const lockMs = Math.min(1000 * 2 ** (entry.failures - FREE_ATTEMPTS), MAX_LOCK_MS);
  return Math.max(0, entry.lastFailureAt.getTime() + lockMs - now);
}

/** Milliseconds until another attempt is allowed (0 when allowed now). */
export async function loginRetryAfterMs(email: string, ip: string | undefined, now = Date.now()): Promise<number> {
  const keys = [accountKey(email), accountFromAddressKey(email, ip), ...(ip ? [addressKey(ip)] : [])];
  const rows = await db().loginThrottle.findMany({
    where: { key: { in: keys }, expiresAt: { gt: new Date(now) } },
    select: { key: true, failures: true, lastFailureAt: true },
  });
  const failures = new Map(rows.map((row) => [row.key, row]));
  const fromAddress = failures.get(accountFromAddressKey(email, ip));
  return Math.max(
    ip ? lockRemainingMs(failures.get(addressKey(ip)), now) : 0,
    lockRemainingMs(fromAddress, now),
    fromAddress ? lockRemainingMs(failures.get(accountKey(email)), now) : 0,
  );
}

/**
 * Adds one failure to each of the attempt's counts in one statement, so failures arriving at the same
 * moment through different processes are all counted. A count whose window ended starts over.
 */
export async function recordLoginFailure(email: string, ip: string | undefined, now = Date.now()): Promise<void> {
  const keys = [accountKey(email), accountFromAddressKey(email, ip), ...(ip ? [addressKey(ip)] : [])];
  const at = new Date(now);
  const expires = new Date(now + WINDOW_MS);
  await db().$executeRaw`
    INSERT INTO "LoginThrottle" ("key", "failures", "lastFailureAt", "expiresAt")
    SELECT key, 1, ${at}, ${expires} FROM unnest(${keys}::text[]) AS key
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."expiresAt" > EXCLUDED."lastFailureAt" THEN "LoginThrottle"."failures" + 1 ELSE 1 END,
      "lastFailureAt" = EXCLUDED."lastFailureAt",
      "expiresAt" = EXCLUDED."expiresAt"`;
}

/** The account's own counts are cleared; the address keeps its record of other accounts' failures. */
export async function recordLoginSuccess(email: string, ip: string | undefined): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { key: { in: [accountKey(email), accountFromAddressKey(email, ip)] } } });
}

/**
 * Deletes counts whose window has ended (they already count as zero; this only keeps the table
 * small). Replicas purging at the same time skip each other's rows. Returns how many were deleted.
 */
export async function purgeExpiredLoginFailures(now = new Date()): Promise<number> {
  let purged = 0;
  for (;;) {
    const deleted = await db().$executeRaw`
      DELETE FROM "LoginThrottle" WHERE "key" IN (
        SELECT "key" FROM "LoginThrottle" WHERE "expiresAt" <= ${now}
        ORDER BY "expiresAt" LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED)`;
    purged += deleted;
    if (deleted < PURGE_BATCH) return purged;
  }
}

/** Purges expired counts every few minutes in this process. */
export function startLoginThrottleCleanup(): BackgroundLoop {
  return startBackgroundLoop("sign-in throttle cleanup", PURGE_INTERVAL_MS, () => purgeExpiredLoginFailures());
}
