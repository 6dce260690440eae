import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { inject } from "vitest";
import { WEB_PROCESS_NODE_FLAGS } from "@/server/runtime/web-processes";

/**
 * Tally's own HTTP server (scripts/serve.ts over the production build), as `npm start` runs it, on the
 * test database. Needs `next build` first, which `npm test` runs before the integration tests.
 */
const root = path.resolve(import.meta.dirname, "../..");
const running: { child: ChildProcess; home: string; url: string }[] = [];

/** A port nothing listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
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
  const child = spawn(process.execPath, [...WEB_PROCESS_NODE_FLAGS, "--import", "tsx", "scripts/serve.ts", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    // Its background jobs stay off: they would work on the other test files' webhook deliveries.
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: inject("databaseUrl"), TALLY_HOME: home, TALLY_BACKGROUND_JOBS: "false", TALLY_WEB_PROCESSES: "1", ...env },
    stdio: ["ignore", options.onLogLine ? "pipe" : "ignore", "inherit"],
  });
  if (options.onLogLine) createInterface({ input: child.stdout!, crlfDelay: Infinity }).on("line", options.onLogLine);
  const url = `http://127.0.0.1:${port}`;
  running.push({ child, home, url });
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(`${url}/api/health/live`).then((response) => response.ok, () => false)) return url;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Tally's server did not answer within 60 s");
}

/** The pid of the server process started for `url` (the primary, when it runs several web processes). */
export function serverPid(url: string): number {
  const server = running.find((each) => each.url === url);
  if (!server?.child.pid) throw new Error(`No server of this file runs at ${url}`);
  return server.child.pid;
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

/**
 * Where a test's requests come from. `from` is a loopback address of the test's own (127.x.y.z) for
 * the TCP connection, so that what the server believes about the client (the sign-in throttle's
 * counts, kept in the shared database) is this test's alone.
 */
export interface SignInOptions {
  headers?: Record<string, string>;
  from?: string;
}

/** A password sign-in through next-auth's own endpoints; the session cookie, or null when refused. */
export async function signInCookie(base: string, email: string, password: string, options: SignInOptions = {}): Promise<string | null> {
  const { cookie, response } = await submitSignIn(base, email, password, options);
  const session = response.setCookies.find((value) => value.includes("session-token="));
  return session ? `${cookie}; ${session.split(";")[0]}` : null;
}

/** The error a password sign-in ends with, as the sign-in page would show it (null when it succeeded). */
export async function signInError(base: string, email: string, password: string, options: SignInOptions = {}): Promise<string | null> {
  const { response } = await submitSignIn(base, email, password, options);
  return new URL(response.location!, base).searchParams.get("error");
}

/** A random loopback address other than 127.0.0.1 (Linux answers on all of 127.0.0.0/8). */
export function loopbackAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `127.${a}.${b}.${Math.max(2, c! % 255)}`;
}

async function submitSignIn(base: string, email: string, password: string, { headers = {}, from }: SignInOptions) {
  const csrf = await send(`${base}/api/auth/csrf`, { headers, from });
  const cookie = csrf.setCookies.map((value) => value.split(";")[0]).join("; ");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const response = await send(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, ...headers },
    body: new URLSearchParams({ email, password, csrfToken }).toString(),
    from,
  });
  return { cookie, response };
}

/** One HTTP request without following redirects, from the local address `from` when given. */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; from?: string }) {
  return new Promise<{ status: number; location: string | undefined; setCookies: string[]; body: string }>((resolve, reject) => {
    const request = httpRequest(url, { method: init.method ?? "GET", headers: init.headers, localAddress: init.from }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          setCookies: response.headers["set-cookie"] ?? [],
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(init.body);
  });
}
