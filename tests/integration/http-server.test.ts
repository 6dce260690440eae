import { request as httpRequest } from "node:http";
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

/** One request over node:http, which (unlike fetch) sends any method. */
function rawRequest(url: string, method: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("what the server reads of a request", () => {
  it("refuses a method no page or handler serves (TRACE) with 405, where Next.js answered 500", async () => {
    const response = await rawRequest(`${direct}/api/v1/whoami`, "TRACE");
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(JSON.parse(response.body)).toEqual({
      error: { code: "METHOD_NOT_ALLOWED", message: "Method TRACE is not allowed", request_id: response.headers["x-request-id"] },
    });
  });

  it("reads the longest URL the API documents: a 10,000-character filter of 4-byte characters reaches Tally", async () => {
    const filter = encodeURIComponent("\u{F7728}".repeat(10_000));
    expect(filter.length).toBeGreaterThan(100_000);
    const response = await fetch(`${direct}/api/2.0/mlflow/model-versions/search?filter=${filter}`);
    expect(response.status).toBe(401);
    expect((await response.json()).error_code).toBe("UNAUTHENTICATED");
  });
});
