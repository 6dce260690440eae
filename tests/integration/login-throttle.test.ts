import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import {
  loginRetryAfterMs,
  purgeExpiredLoginFailures,
  recordLoginFailure,
  recordLoginSuccess,
} from "@/server/services/users/login-throttle";

/**
 * The throttle's counts are in the shared database (every app process sees them). Each test throttles
 * its own accounts and addresses, so tests (and other test files) don't see each other's failures.
 */
const email = () => `throttle-${randomBytes(4).toString("hex")}@example.test`;
const ip = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join(".")}`;
const T0 = 1_800_000_000_000;

async function fail(times: number, who: string, address: string | undefined, at = T0) {
  for (let i = 0; i < times; i++) await recordLoginFailure(who, address, at);
}

describe("login throttle", async () => {
  it("lets the first five failures through without waiting", async () => {
    const who = email();
    for (let i = 0; i < 5; i++) {
      expect(await loginRetryAfterMs(who, undefined, T0)).toBe(0);
      await recordLoginFailure(who, undefined, T0);
    }
  });

  it("locks after the fifth failure, with a wait that doubles per further failure", async () => {
    const who = email();
    await fail(4, who, undefined);
    expect(await loginRetryAfterMs(who, undefined, T0)).toBe(0);
    const waits: number[] = [];
    for (let failure = 5; failure <= 9; failure++) {
      await recordLoginFailure(who, undefined, T0);
      waits.push(await loginRetryAfterMs(who, undefined, T0));
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it("counts the wait down and allows another attempt once it is over", async () => {
    const who = email();
    await fail(6, who, undefined); // locked for 2 s
    expect(await loginRetryAfterMs(who, undefined, T0 + 500)).toBe(1500);
    expect(await loginRetryAfterMs(who, undefined, T0 + 1999)).toBe(1);
    expect(await loginRetryAfterMs(who, undefined, T0 + 2000)).toBe(0);
    // A failure after the wait locks again, for longer.
    await recordLoginFailure(who, undefined, T0 + 2000);
    expect(await loginRetryAfterMs(who, undefined, T0 + 2000)).toBe(4000);
  });

  it("caps the wait at 15 minutes", async () => {
    const who = email();
    await fail(40, who, undefined);
    expect(await loginRetryAfterMs(who, undefined, T0)).toBe(15 * 60_000);
  });

  it("clears an account's failures on a successful sign-in", async () => {
    const who = email();
    await fail(7, who, undefined);
    expect(await loginRetryAfterMs(who, undefined, T0)).toBeGreaterThan(0);
    await recordLoginSuccess(who, undefined);
    expect(await loginRetryAfterMs(who, undefined, T0)).toBe(0);
    // The count starts over: five more free failures.
    await fail(4, who, undefined);
    expect(await loginRetryAfterMs(who, undefined, T0)).toBe(0);
  });

  it("throttles one account without touching another", async () => {
    const victim = email();
    const bystander = email();
    await fail(8, victim, undefined);
    expect(await loginRetryAfterMs(victim, undefined, T0)).toBeGreaterThan(0);
    expect(await loginRetryAfterMs(bystander, undefined, T0)).toBe(0);
  });

  it("throttles a client address that tries many accounts", async () => {
    const attacker = ip();
    for (let i = 0; i < 5; i++) await recordLoginFailure(email(), attacker, T0);
    // A sixth account, never tried before, is locked from that address but not from another one.
    const fresh = email();
    expect(await loginRetryAfterMs(fresh, attacker, T0)).toBe(1000);
    expect(await loginRetryAfterMs(fresh, ip(), T0)).toBe(0);
    expect(await loginRetryAfterMs(fresh, undefined, T0)).toBe(0);
  });

  it("locks an account that is guessed from many addresses for each address that failed on it, not for a clean one", async () => {
    const who = email();
    const guessers = [ip(), ip(), ip(), ip(), ip()];
    for (const address of guessers) await recordLoginFailure(who, address, T0);
    // Every address that already failed on the account waits; the owner's clean address does not.
    for (const address of guessers) expect(await loginRetryAfterMs(who, address, T0)).toBe(1000);
    expect(await loginRetryAfterMs(who, ip(), T0)).toBe(0);
  });

  it("never locks the owner out from a clean address, however long someone else keeps failing", async () => {
    const who = email();
    const attacker = ip();
    await fail(30, who, attacker);
    expect(await loginRetryAfterMs(who, attacker, T0)).toBe(15 * 60_000);
    const owner = ip();
    expect(await loginRetryAfterMs(who, owner, T0)).toBe(0);
    // The owner signs in: the account's overall count is cleared, the attacker's address stays locked.
    await recordLoginSuccess(who, owner);
    expect(await loginRetryAfterMs(who, attacker, T0)).toBe(15 * 60_000);
  });

  it("does not clear the address's failures when one account signs in", async () => {
    const address = ip();
    const who = email();
    for (let i = 0; i < 6; i++) await recordLoginFailure(i === 0 ? who : email(), address, T0);
    await recordLoginSuccess(who, address);
    expect(await loginRetryAfterMs(email(), address, T0)).toBe(2000);
  });

  it("forgets a count 15 minutes after its last failure, and purges only such counts", async () => {
    // Long ago, so that purging at the window's end touches no other test's counts.
    const past = 1_500_000_000_000;
    const windowEnd = past + 15 * 60_000;
    const [inside, after, purged] = [email(), email(), email()];
    for (const who of [inside, after, purged]) await fail(9, who, undefined, past);
    // A tenth failure just inside the window locks for 32 s; one at its end is a first failure again.
    await recordLoginFailure(inside, undefined, windowEnd - 1);
    expect(await loginRetryAfterMs(inside, undefined, windowEnd - 1)).toBe(32_000);
    await recordLoginFailure(after, undefined, windowEnd);
    await fail(3, after, undefined, windowEnd);
    expect(await loginRetryAfterMs(after, undefined, windowEnd)).toBe(0);

    expect(await purgeExpiredLoginFailures(new Date(windowEnd))).toBeGreaterThanOrEqual(2);
    const remaining = async (who: string) => db().loginThrottle.count({ where: { key: { startsWith: `account:${who}` } } });
    expect([await remaining(inside), await remaining(after), await remaining(purged)]).toEqual([2, 2, 0]);
  });

  it("counts failures that arrive at the same moment, as from several app processes", async () => {
    const who = email();
    const address = ip();
    await Promise.all(Array.from({ length: 12 }, () => recordLoginFailure(who, address, T0)));
    // Twelve failures: locked for 2^(12-5) s.
    expect(await loginRetryAfterMs(who, address, T0)).toBe(128_000);
  });
});
