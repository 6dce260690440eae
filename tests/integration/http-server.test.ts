import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { uniqueSuffix } from "../factories";
import { loopbackAddress, signInError, startTally, stopTallies } from "../support/tally-server";

/**
 * Tally's own HTTP server (scripts/serve.ts over the production build), as `npm start` runs it:
 * which client address it believes. Needs `next build` first, which `npm test` runs before this.
 */
let direct = "";
let behindProxy = "";
beforeAll(async () => {
  [direct, behindProxy] = await Promise.all([startTally(), startTally({ TALLY_TRUSTED_PROXIES: "127.0.0.0/8" })]);
}, 90_000);

afterAll(stopTallies);

/** A cross-site tRPC POST, refused and audited with the client address the server believed. */
async function auditedAddress(base: string, headers: Record<string, string>): Promise<string> {
  const origin = `https://evil-${uniqueSuffix()}.example`;
  const response = await fetch(`${base}/api/trpc/account.signUp`, {
    method: "POST",
    headers: { "content-type": "application/json", origin, ...headers },
    body: "{}",
  });
  expect(response.status).toBe(403);
  const events = await db().auditEvent.findMany({ where: { action: "request.refused" }, orderBy: { id: "desc" }, take: 50 });
  const event = events.find((candidate) => (candidate.after as { origin?: string }).origin === origin);
  return (event!.after as { address: string }).address;
}

describe("the client address Tally believes", () => {
  it("is the TCP peer: a forged X-Forwarded-For or peer header changes nothing", async () => {
    expect(await auditedAddress(direct, { "x-forwarded-for": "198.51.100.1", "x-tally-peer-address": "198.51.100.2" })).toBe(
      "127.0.0.1",
    );
  });

  it("is the nearest hop a trusted proxy added, when the peer is one", async () => {
    expect(await auditedAddress(behindProxy, { "x-forwarded-for": "198.51.100.1, 203.0.113.9" })).toBe("203.0.113.9");
  });

  it("keeps a password guesser who rotates X-Forwarded-For throttled", async () => {
    // The guesser's own loopback address: the throttle's counts are shared by every server on the database.
    const guesser = loopbackAddress();
    const errors: (string | null)[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const headers = { "x-forwarded-for": `198.51.100.${attempt + 10}` };
      errors.push(await signInError(direct, `guess-${uniqueSuffix()}@example.test`, "not-the-password", { headers, from: guesser }));
    }
    expect(errors.slice(0, 5)).toEqual(Array(5).fill("CredentialsSignin"));
    expect(errors.at(-1)).toMatch(/^Too many failed sign-in attempts/);
  });
});
