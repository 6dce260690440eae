import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  loginRetryAfterMs,
  recordLoginFailure,
  recordLoginSuccess,
  resetLoginThrottle,
} from "@/server/services/users/login-throttle";

/** Each test throttles its own accounts and addresses, so tests don't see each other's failures. */
const email = () => `throttle-${randomBytes(4).toString("hex")}@example.test`;
const ip = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join(".")}`;
const T0 = 1_800_000_000_000;

function fail(times: number, who: string, address: string | undefined, at = T0) {
  for (let i = 0; i < times; i++) recordLoginFailure(who, address, at);
}

describe("login throttle", () => {
  it("lets the first five failures through without waiting", () => {
    const who = email();
    for (let i = 0; i < 5; i++) {
      expect(loginRetryAfterMs(who, undefined, T0)).toBe(0);
      recordLoginFailure(who, undefined, T0);
    }
  });

  it("locks after the fifth failure, with a wait that doubles per further failure", () => {
    const who = email();
    fail(4, who, undefined);
    expect(loginRetryAfterMs(who, undefined, T0)).toBe(0);
    const waits: number[] = [];
    for (let failure = 5; failure <= 9; failure++) {
      recordLoginFailure(who, undefined, T0);
      waits.push(loginRetryAfterMs(who, undefined, T0));
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it("counts the wait down and allows another attempt once it is over", () => {
    const who = email();
    fail(6, who, undefined); // locked for 2 s
    expect(loginRetryAfterMs(who, undefined, T0 + 500)).toBe(1500);
    expect(loginRetryAfterMs(who, undefined, T0 + 1999)).toBe(1);
    expect(loginRetryAfterMs(who, undefined, T0 + 2000)).toBe(0);
    // A failure after the wait locks again, for longer.
    recordLoginFailure(who, undefined, T0 + 2000);
    expect(loginRetryAfterMs(who, undefined, T0 + 2000)).toBe(4000);
  });

  it("caps the wait at 15 minutes", () => {
    const who = email();
    fail(40, who, undefined);
    expect(loginRetryAfterMs(who, undefined, T0)).toBe(15 * 60_000);
  });

  it("clears an account's failures on a successful sign-in", () => {
    const who = email();
    fail(7, who, undefined);
    expect(loginRetryAfterMs(who, undefined, T0)).toBeGreaterThan(0);
    recordLoginSuccess(who, undefined);
    expect(loginRetryAfterMs(who, undefined, T0)).toBe(0);
    // The count starts over: five more free failures.
    fail(4, who, undefined);
    expect(loginRetryAfterMs(who, undefined, T0)).toBe(0);
  });

  it("throttles one account without touching another", () => {
    const victim = email();
    const bystander = email();
    fail(8, victim, undefined);
    expect(loginRetryAfterMs(victim, undefined, T0)).toBeGreaterThan(0);
    expect(loginRetryAfterMs(bystander, undefined, T0)).toBe(0);
  });

  it("throttles a client address that tries many accounts", () => {
    const attacker = ip();
    for (let i = 0; i < 5; i++) recordLoginFailure(email(), attacker, T0);
    // A sixth account, never tried before, is locked from that address but not from another one.
    const fresh = email();
    expect(loginRetryAfterMs(fresh, attacker, T0)).toBe(1000);
    expect(loginRetryAfterMs(fresh, ip(), T0)).toBe(0);
    expect(loginRetryAfterMs(fresh, undefined, T0)).toBe(0);
  });

  it("locks an account that is guessed from many addresses for each address that failed on it, not for a clean one", () => {
    const who = email();
    const guessers = [ip(), ip(), ip(), ip(), ip()];
    for (const address of guessers) recordLoginFailure(who, address, T0);
    // Every address that already failed on the account waits; the owner's clean address does not.
    for (const address of guessers) expect(loginRetryAfterMs(who, address, T0)).toBe(1000);
    expect(loginRetryAfterMs(who, ip(), T0)).toBe(0);
  });

  it("never locks the owner out from a clean address, however long someone else keeps failing", () => {
    const who = email();
    const attacker = ip();
    fail(30, who, attacker);
    expect(loginRetryAfterMs(who, attacker, T0)).toBe(15 * 60_000);
    const owner = ip();
    expect(loginRetryAfterMs(who, owner, T0)).toBe(0);
    // The owner signs in: the account's overall count is cleared, the attacker's address stays locked.
    recordLoginSuccess(who, owner);
    expect(loginRetryAfterMs(who, attacker, T0)).toBe(15 * 60_000);
  });

  it("does not clear the address's failures when one account signs in", () => {
    const address = ip();
    const who = email();
    for (let i = 0; i < 6; i++) recordLoginFailure(i === 0 ? who : email(), address, T0);
    recordLoginSuccess(who, address);
    expect(loginRetryAfterMs(email(), address, T0)).toBe(2000);
  });

  it("forgets everything on reset", () => {
    const who = email();
    fail(9, who, undefined);
    resetLoginThrottle();
    expect(loginRetryAfterMs(who, undefined, T0)).toBe(0);
  });
});
