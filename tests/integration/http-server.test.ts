import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/server/db/client";
import { uniqueSuffix } from "../factories";

/**
 * Tally's own HTTP server (scripts/serve.ts over the production build), as `npm start` runs it:
 * which client address it believes. Needs `next build` first, which `npm test` runs before this.
 */
const root = path.resolve(import.meta.dirname, "../..");
const running: { child: ChildProcess; home: string }[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startTally(env: Record<string, string> = {}): Promise<string> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("Run `npx next build` first");
  const port = await freePort();
  const home = await mkdtemp(path.join(tmpdir(), "tally-http-"));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: inject("databaseUrl"), TALLY_HOME: home, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  running.push({ child, home });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(`${url}/api/health`).then((response) => response.ok, () => false)) return url;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Tally's server did not answer within 60 s");
}

let direct = "";
let behindProxy = "";
beforeAll(async () => {
  [direct, behindProxy] = await Promise.all([startTally(), startTally({ TALLY_TRUSTED_PROXIES: "127.0.0.0/8" })]);
}, 90_000);

afterAll(async () => {
  for (const { child, home } of running) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    await rm(home, { recursive: true, force: true });
  }
});

/** A password sign-in through next-auth's own endpoints; the error the sign-in page would show. */
async function signIn(base: string, email: string, headers: Record<string, string>): Promise<string | null> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const cookie = csrf.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, ...headers },
    body: new URLSearchParams({ email, password: "not-the-password", csrfToken }),
  });
  return new URL(response.headers.get("location")!, base).searchParams.get("error");
}

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
    const errors: (string | null)[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      errors.push(await signIn(direct, `guess-${uniqueSuffix()}@example.test`, { "x-forwarded-for": `198.51.100.${attempt + 10}` }));
    }
    expect(errors.slice(0, 5)).toEqual(Array(5).fill("CredentialsSignin"));
    expect(errors.at(-1)).toMatch(/^Too many failed sign-in attempts/);
  });
});
