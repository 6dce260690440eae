/**
 * `npm start` (and `npm run dev` with --dev): validates the configuration, takes TALLY_HOME (one Tally
 * per home), starts and supervises the embedded PostgreSQL unless DATABASE_URL is set, applies
 * migrations, builds when the sources changed since the last build, then serves Tally and says where
 * and how to sign in. Ctrl-C stops everything cleanly; after a crash, the next start cleans up.
 * docs/operations.md, "Crash safety", says what happens when something dies.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { EnvError, parseEnv, type Env } from "../lib/env";
import pg from "pg";
import { setupToken } from "../server/auth/secret";
import { applyMigrations } from "../server/db/migrate";
import { buildIsStale } from "../server/runtime/build-freshness";
import { ensureEmbeddedPostgres, type RunningPostgres } from "../server/runtime/embedded-postgres";
import { acquireLauncherLock } from "../server/runtime/launcher-lock";
import { clearLeftoverPostgres } from "../server/runtime/leftover-postgres";
import { superviseEmbeddedPostgres, type SupervisedPostgres } from "../server/runtime/postgres-supervisor";
import { isPortFree } from "../server/runtime/ports";
import { passServerLog } from "../server/runtime/server-log";
import { WEB_PROCESS_NODE_FLAGS, webProcessCount } from "../server/runtime/web-processes";

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

const lock = await acquireLauncherLock(home, { url: publicUrl, port: env.PORT }).catch((error: Error) => fail(error.message));
if (!lock.acquired) {
  const { holder } = lock;
  fail(
    `Tally is already running at ${holder.url} (pid ${holder.pid}, since ${holder.startedAt}) with its data in ${home}.
  Use that one, or stop it first (Ctrl-C in its terminal, or kill ${holder.pid}); another instance needs its own TALLY_HOME.`,
  );
}
if (lock.previous) console.log(`The previous Tally (pid ${lock.previous.pid}) did not stop cleanly; cleaning up after it.`);
if (!(await isPortFree(env.PORT))) {
  fail(`Port ${env.PORT} is in use by another program, so Tally cannot serve there. Stop that program, or set PORT to a free port.`);
}

let postgres: SupervisedPostgres | undefined;
/** Set once the web server is spawned; `stop` may run before that (Ctrl-C during the build). */
const running: { server?: ChildProcess } = {};
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const server = running.server;
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
  if (postgres) {
    console.log("Stopping the embedded PostgreSQL…");
    await postgres.stop();
  }
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

let databaseUrl = env.DATABASE_URL;
if (!databaseUrl) {
  const dataDir = path.join(home, "pg");
  console.log(`Starting the embedded PostgreSQL (data in ${dataDir})…`);
  await clearLeftoverPostgres(dataDir, (line) => console.log(line)).catch((error: Error) => fail(error.message));
  postgres = await superviseEmbeddedPostgres({
    start: startPostgres,
    say: (line) => console.log(line),
    giveUp: (reason) => {
      console.error(`\n✖ The embedded PostgreSQL stopped and ${reason}. Stopping Tally (exit code 1) for a supervisor or a person to take over.\n`);
      void stop(1);
    },
  }).catch((error: Error) => fail(`The embedded PostgreSQL did not start: ${error.message}`));
  databaseUrl = postgres.url;
  if (postgres.port !== env.TALLY_PG_PORT) {
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

if (!dev && buildIsStale(root)) {
  console.log("Building the web app (first start, or the sources changed)…");
  const build = spawn(process.execPath, [nextBin, "build"], { cwd: root, env: childEnv, stdio: "inherit" });
  const code: number = await new Promise((resolve) => build.once("exit", (exitCode) => resolve(exitCode ?? 1)));
  if (code !== 0) {
    await stop(code);
  }
}

const server = spawn(process.execPath, [...WEB_PROCESS_NODE_FLAGS, "--import", "tsx", "scripts/serve.ts", "--port", String(env.PORT), ...(dev ? ["--dev"] : [])], {
  cwd: root,
  env: { ...childEnv, NODE_ENV: dev ? "development" : "production" },
  // The IPC channel is the server's lifeline: it closes when this process dies, however it dies.
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
// Tally's log passes through, and only the warnings and errors of Next's own chatter: the summary
// below says the rest.
passServerLog(server.stdout!, process.stdout);
running.server = server;
server.once("exit", (code, signal) => {
  if (!stopping) console.error(`\n✖ Tally's web server stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}).\n`);
  void stop(code ?? 1);
});

if (await waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`)) printSummary();

function printSummary() {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`
Tally is running at ${publicUrl}  (ready in ${seconds} s${dev ? ", development mode" : ""})
${postgres ? `Database: embedded PostgreSQL, data in ${path.join(home, "pg")}` : "Database: DATABASE_URL"}
Web processes: ${webProcessCount(env, dev)} (TALLY_WEB_PROCESSES; one per core by default)

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
}

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

/** True once our server answers; false when it stopped meanwhile (the port was free, so no other server answers). */
async function waitForHttp(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (stopping) return false;
    try {
      const response = await fetch(url);
      if (response.ok) return !stopping;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fail(`Tally did not answer on ${url} within 2 minutes`);
}

/** The embedded PostgreSQL under TALLY_HOME; `port` pins a restart to the port the web server knows. */
async function startPostgres(port?: number): Promise<RunningPostgres> {
  const recent: string[] = [];
  try {
    return await ensureEmbeddedPostgres({
      home,
      preferredPort: port ?? env.TALLY_PG_PORT,
      exactPort: port !== undefined,
      log: (line) => {
        recent.push(line);
        if (recent.length > 20) recent.shift();
      },
    });
  } catch (error) {
    // embedded-postgres rejects without a reason when the server exits during start-up: its log has it.
    const reason = error instanceof Error ? error.message : "it exited while starting";
    const detail = recent.filter((line) => /FATAL|PANIC|ERROR/.test(line)).at(-1);
    throw new Error(detail ? `${reason} (${detail})` : reason);
  }
}
