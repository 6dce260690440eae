/**
 * `npm start` (and `npm run dev` with --dev): validates the configuration, starts the embedded
 * PostgreSQL unless DATABASE_URL is set, applies migrations, builds when the sources changed since the
 * last build, then serves Tally and says where and how to sign in. Ctrl-C stops everything cleanly.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { EnvError, parseEnv, type Env } from "../lib/env";
import pg from "pg";
import { setupToken } from "../server/auth/secret";
import { applyMigrations } from "../server/db/migrate";
import { ensureEmbeddedPostgres, type RunningPostgres } from "../server/runtime/embedded-postgres";

const startedAt = Date.now();
const dev = process.argv.includes("--dev");
const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

let env: Env;
try {
  env = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) fail(error.message);
  throw error;
}

const home = path.resolve(root, env.TALLY_HOME);
mkdirSync(home, { recursive: true });
const publicUrl = env.TALLY_URL ?? `http://localhost:${env.PORT}`;

let postgres: RunningPostgres | undefined;
/** Set once the web server is spawned; `stop` may run before that (Ctrl-C during the build). */
const running: { server?: ChildProcess } = {};
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const server = running.server;
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
  if (postgres?.owned) {
    console.log("Stopping the embedded PostgreSQL…");
    await postgres.stop();
  }
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

let databaseUrl = env.DATABASE_URL;
if (!databaseUrl) {
  console.log(`Starting the embedded PostgreSQL (data in ${path.join(home, "pg")})…`);
  postgres = await ensureEmbeddedPostgres({ home, preferredPort: env.TALLY_PG_PORT }).catch((error: Error) =>
    fail(`The embedded PostgreSQL did not start: ${error.message}`),
  );
  databaseUrl = postgres.url;
  if (postgres.port !== env.TALLY_PG_PORT && postgres.owned) {
    console.log(`Port ${env.TALLY_PG_PORT} was taken; the embedded PostgreSQL listens on ${postgres.port}.`);
  }
}
const applied = await applyMigrations(databaseUrl).catch((error: Error) => fail(error.message));
if (applied.length) console.log(`Applied ${applied.length} database migration(s).`);
const setupLink = (await accountsExist(databaseUrl)) ? null : setupUrl();

const childEnv = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  TALLY_HOME: home,
  NEXTAUTH_URL: publicUrl,
  NEXT_TELEMETRY_DISABLED: "1",
};

if (!dev && buildIsStale()) {
  console.log("Building the web app (first start, or the sources changed)…");
  const build = spawn(process.execPath, [nextBin, "build"], { cwd: root, env: childEnv, stdio: "inherit" });
  const code: number = await new Promise((resolve) => build.once("exit", (exitCode) => resolve(exitCode ?? 1)));
  if (code !== 0) {
    await stop(code);
  }
}

const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "--port", String(env.PORT), ...(dev ? ["--dev"] : [])], {
  cwd: root,
  env: { ...childEnv, NODE_ENV: dev ? "development" : "production" },
  stdio: ["ignore", "pipe", "inherit"],
});
// Tally's log (JSON lines, docs/operations.md) passes through; of Next's own chatter only warnings and
// errors do: the summary below says the rest.
createInterface({ input: server.stdout!, crlfDelay: Infinity }).on("line", (line) => {
  if (line.startsWith("{") || /error|warn/i.test(line)) process.stdout.write(`${line}\n`);
});
running.server = server;
server.once("exit", (code) => void stop(code ?? 0));

await waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`);
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
console.log(`
Tally is running at ${publicUrl}  (ready in ${seconds} s${dev ? ", development mode" : ""})
${postgres ? `Database: embedded PostgreSQL, data in ${path.join(home, "pg")}` : "Database: DATABASE_URL"}

How to sign in:
${
  setupLink
    ? `  - No account exists yet. Open ${setupLink}
    to create the administrator account (only someone with this link, or the setup token in it, can),
    or headlessly: npm run admin -- create-user --email you@example.com --password '…' --admin`
    : "  - Sign in with your account. Accounts are created with: npm run admin -- create-user …"
}
  - Sign-up for others follows TALLY_SIGNUP (now: ${env.TALLY_SIGNUP}); project owners send invite links.
Press Ctrl-C to stop.`);

async function accountsExist(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM \"User\" LIMIT 1")).rowCount !== 0;
  } finally {
    await client.end();
  }
}

/** /setup, with the setup token when this mode asks for one (see server/auth/secret.ts). */
function setupUrl(): string {
  const token = setupToken({ ...env, TALLY_HOME: home }, !dev);
  return token ? `${publicUrl}/setup?token=${encodeURIComponent(token)}` : `${publicUrl}/setup`;
}

async function waitForHttp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (stopping) return;
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fail(`Tally did not answer on ${url} within 2 minutes`);
}

/** A build is stale when it is missing or any source file is newer than it. */
function buildIsStale(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "server", "public"].map((dir) => path.join(root, dir));
  const files = ["next.config.mjs", "proxy.ts", "package-lock.json", "tailwind.config.ts", "prisma/schema.prisma"].map((file) =>
    path.join(root, file),
  );
  return [...files, ...sources].some((entry) => newerThan(entry, builtAt));
}

function newerThan(entry: string, time: number): boolean {
  if (!existsSync(entry)) return false;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs > time;
  return readdirSync(entry).some((name) => name !== "generated" && newerThan(path.join(entry, name), time));
}
