import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIsStale } from "@/server/runtime/build-freshness";
import { ensureEmbeddedPostgres } from "@/server/runtime/embedded-postgres";
import { isAlive, waitForExit } from "@/server/runtime/process-info";
import { createProjectWithToken } from "../factories";
import { withDatabaseUrl } from "../support/databases";
import { freePort } from "../support/tally-server";

/**
 * `npm start` on its own TALLY_HOME, killed the hard way (docs/operations.md, "Crash safety"): the
 * launcher, its whole process group, or its PostgreSQL, with SIGKILL, while the real mlflow client
 * logs. Serves the production build, so run `npx next build` first (`npm test` does).
 */
const root = path.resolve(import.meta.dirname, "../..");
const python = path.join(root, ".venv", "bin", "python");
let home = "";
let webPort = 0;
let pgPort = 0;
let databaseUrl = "";
let project = { slug: "", token: "" };

interface Launcher {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm start` as a user runs it, as the leader of its own process group (like a terminal's job). */
function launch(env: Record<string, string> = {}): Launcher {
  const childEnv: Record<string, string | undefined> = { ...process.env, TALLY_HOME: home, PORT: String(webPort), TALLY_PG_PORT: String(pgPort), ...env };
  // No DATABASE_URL (the embedded PostgreSQL is the point) and no NODE_ENV=test from Vitest.
  delete childEnv.DATABASE_URL;
  delete childEnv.NODE_ENV;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: childEnv as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function until(what: string, timeoutMs: number, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const healthy = () => fetch(`http://127.0.0.1:${webPort}/api/health`).then((response) => response.ok, () => false);

async function started(launcher: Launcher): Promise<Launcher> {
  await until("Tally to start", 90_000, () => {
    if (launcher.child.exitCode !== null) throw new Error(`npm start exited:\n${launcher.output()}`);
    return launcher.output().includes("Tally is running at");
  });
  return launcher;
}

let current: Launcher | undefined;

/** The Tally of this file's home, started if the previous test left none running. */
async function running(): Promise<Launcher> {
  if (current && current.child.exitCode === null && current.child.signalCode === null && (await healthy())) return current;
  current = await started(launch());
  return current;
}

const postmasterPid = () => Number(readFileSync(path.join(home, "pg", "postmaster.pid"), "utf8").split("\n")[0]);

async function mlflow(endpoint: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${webPort}/projects/${project.slug}/api/2.0/mlflow/${endpoint}`, {
    headers: { authorization: `Bearer ${project.token}` },
  });
  await response.body?.cancel();
  return response.status;
}

beforeAll(async () => {
  if (buildIsStale(root)) throw new Error("The production build is older than the sources: run `npx next build` first");
  home = await mkdtemp(path.join(tmpdir(), "tally-crash-"));
  await chmod(home, 0o755); // PostgreSQL runs as its own user and must reach its folder
  [webPort, pgPort] = [await freePort(), await freePort()];
  await running();
  // The launcher's database, reached the way the admin CLI reaches it while Tally runs.
  databaseUrl = (await ensureEmbeddedPostgres({ home, preferredPort: pgPort })).url;
  const created = await withDatabaseUrl(databaseUrl, () => createProjectWithToken("MEMBER"));
  project = { slug: created.project.slug, token: created.plaintext };
}, 120_000);

afterAll(async () => {
  if (current?.child.exitCode === null) {
    current.child.kill("SIGTERM");
    await current.exited;
  }
  const pidFile = path.join(home, "pg", "postmaster.pid");
  if (existsSync(pidFile) && isAlive(postmasterPid())) {
    const pid = postmasterPid();
    process.kill(pid, "SIGQUIT");
    await waitForExit(pid, 10_000);
  }
  await rm(home, { recursive: true, force: true });
}, 60_000);

describe("npm start after crashes", () => {
  it("refuses a second start on a busy TALLY_HOME, saying where the running one is", async () => {
    const first = await running();
    const second = launch({ PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`Tally is already running at http://localhost:${webPort} (pid ${first.child.pid},`);
    expect(await healthy()).toBe(true);
  }, 30_000);

  it("after kill -9 of the whole process group while the mlflow client logs, starts again and the client finishes: every point stored once", async () => {
    const before = await running();
    const client = spawn(python, [path.join(root, "tests/support/mlflow_log_batches.py"), "40", "5", "0.05"], {
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: `http://127.0.0.1:${webPort}/projects/${project.slug}`,
        MLFLOW_TRACKING_TOKEN: project.token,
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: "8",
        MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: "1",
        MLFLOW_HTTP_REQUEST_TIMEOUT: "20",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let printed = "";
    client.stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    client.stderr.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    const clientExit = new Promise<number | null>((resolve) => client.once("exit", resolve));
    const acknowledged = () => printed.match(/^ACK \d+$/gm)?.length ?? 0;
    await until("the client's first batches", 60_000, () => acknowledged() >= 5);

    process.kill(-before.child.pid!, "SIGKILL");
    await before.exited;
    await until("nothing to answer on the port", 10_000, async () => !(await healthy()));

    const after = (current = await started(launch()));
    expect(after.output()).toMatch(/The previous Tally \(pid \d+\) did not stop cleanly/);
    expect(after.output()).toMatch(/PostgreSQL did not shut down cleanly last time \(its pid \d+ is gone\)/);

    expect(await clientExit, printed).toBe(0);
    expect(acknowledged()).toBe(40);
    const runId = /^RUN (\w+)$/m.exec(printed)![1];
    const client2 = new pg.Client({ connectionString: databaseUrl });
    await client2.connect();
    try {
      const { rows } = await client2.query<{ points: number; distinct: number }>(
        `SELECT count(*)::int AS points, count(DISTINCT (point.key, point.step))::int AS distinct
           FROM "MetricPoint" point JOIN "Run" run ON run.seq = point."runSeq" WHERE run.id = $1`,
        [runId],
      );
      expect(rows[0]).toEqual({ points: 200, distinct: 200 });
    } finally {
      await client2.end();
    }
  }, 120_000);

  it("after kill -9 of the launcher alone, its web server exits too and the next start stops the orphaned PostgreSQL", async () => {
    const before = await running();
    const orphan = postmasterPid();
    process.kill(before.child.pid!, "SIGKILL");
    await before.exited;
    await until("the web server to exit with its launcher", 15_000, async () => !(await healthy()));
    expect(isAlive(orphan)).toBe(true);

    const after = (current = await started(launch()));
    expect(after.output()).toContain(`An embedded PostgreSQL (pid ${orphan}) left running by a Tally that did not stop cleanly`);
    expect(after.output()).toContain("It stopped cleanly.");
    expect(isAlive(orphan)).toBe(false);
    expect(await mlflow("experiments/search?max_results=1")).toBe(200);
  }, 120_000);

  it("restarts an embedded PostgreSQL killed under it, and serves again without a restart of its own", async () => {
    const launcher = await running();
    const restarts = () => launcher.output().split("The embedded PostgreSQL is running again.").length - 1;
    const restartsBefore = restarts();
    const killed = postmasterPid();
    process.kill(killed, "SIGKILL");
    await until("PostgreSQL to be restarted", 30_000, () => restarts() > restartsBefore);
    expect(launcher.output()).toContain(`The embedded PostgreSQL stopped unexpectedly (signal SIGKILL); restarting it on port ${pgPort}`);
    expect(postmasterPid()).not.toBe(killed);
    await until("requests to succeed again", 20_000, async () => (await mlflow("experiments/search?max_results=1")) === 200);
    expect(launcher.child.exitCode).toBe(null);
  }, 60_000);
});
