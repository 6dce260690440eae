import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { inject } from "vitest";

/**
 * Tally's own HTTP server (scripts/serve.ts over the production build), as `npm start` runs it, on the
 * test database. Needs `next build` first, which `npm test` runs before the integration tests.
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

/**
 * Starts a server with its own TALLY_HOME (unless `env` names one); resolves to its base URL once it
 * is up (live: it may still be unready, e.g. on a database without migrations). `onLogLine` receives
 * each line of its standard output (the JSON log).
 */
export async function startTally(env: Record<string, string> = {}, options: { onLogLine?: (line: string) => void } = {}): Promise<string> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("Run `npx next build` first");
  const port = await freePort();
  const home = await mkdtemp(path.join(tmpdir(), "tally-http-"));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    // Its background jobs stay off: they would work on the other test files' webhook deliveries.
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: inject("databaseUrl"), TALLY_HOME: home, TALLY_BACKGROUND_JOBS: "false", ...env },
    stdio: ["ignore", options.onLogLine ? "pipe" : "ignore", "inherit"],
  });
  if (options.onLogLine) createInterface({ input: child.stdout!, crlfDelay: Infinity }).on("line", options.onLogLine);
  running.push({ child, home });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(`${url}/api/health/live`).then((response) => response.ok, () => false)) return url;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Tally's server did not answer within 60 s");
}

/** Stops every server this file started and removes their homes. */
export async function stopTallies(): Promise<void> {
  for (const { child, home } of running.splice(0)) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    await rm(home, { recursive: true, force: true });
  }
}

/** A password sign-in through next-auth's own endpoints; the session cookie, or null when refused. */
export async function signInCookie(base: string, email: string, password: string, headers: Record<string, string> = {}): Promise<string | null> {
  const { cookie, response } = await submitSignIn(base, email, password, headers);
  const session = response.headers.getSetCookie().find((value) => value.includes("session-token="));
  return session ? `${cookie}; ${session.split(";")[0]}` : null;
}

/** The error a password sign-in ends with, as the sign-in page would show it (null when it succeeded). */
export async function signInError(base: string, email: string, password: string, headers: Record<string, string> = {}): Promise<string | null> {
  const { response } = await submitSignIn(base, email, password, headers);
  return new URL(response.headers.get("location")!, base).searchParams.get("error");
}

async function submitSignIn(base: string, email: string, password: string, headers: Record<string, string>) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const cookie = csrf.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, ...headers },
    body: new URLSearchParams({ email, password, csrfToken }),
  });
  return { cookie, response };
}
