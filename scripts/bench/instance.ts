import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseEnv } from "../../lib/env";
import { webProcessCount } from "../../server/runtime/web-processes";

const root = path.resolve(import.meta.dirname, "../..");

export interface BenchInstance {
  /** The bench project's base URL on the (first) server. */
  url: string;
  /** The same on every server of the instance (one unless started with `replicas`). */
  replicaUrls: string[];
  databaseUrl: string;
  token: string;
  /** Peak resident memory (VmHWM) of the server's process tree so far, in MiB. */
  peakMemoryMiB(): number;
  /** CPU time (user and system) the server's process tree has used so far, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * A disposable Tally (production build required) with one project and a read/write token; with
 * `replicas` > 1, that many servers on its one database (ports `port`, `port + 1`, …). The database is
 * a throwaway PostgreSQL of its own unless `databaseUrl` names an empty database to use instead; `env`
 * adds to the servers' environment.
 */
export async function startBenchInstance(
  port = 3400,
  replicas = 1,
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<BenchInstance> {
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/serve-test-instance.ts"], {
    cwd: root,
    // Each server runs as `npm start` would: one web process per core unless TALLY_WEB_PROCESSES says otherwise.
    env: {
      ...process.env,
      TALLY_TEST_PORT: String(port),
      TALLY_TEST_REPLICAS: String(replicas),
      TALLY_WEB_PROCESSES: String(benchWebProcesses()),
      ...(options.databaseUrl ? { TALLY_TEST_DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const lines = createInterface({ input: server.stdout! });
  let instance: { url: string; databaseUrl: string; replicas: string[] } | undefined;
  for await (const line of lines) {
    if (line.startsWith("TALLY_TEST_INSTANCE ")) {
      instance = JSON.parse(line.slice("TALLY_TEST_INSTANCE ".length)) as { url: string; databaseUrl: string; replicas: string[] };
      break;
    }
  }
  if (!instance) throw new Error("The test instance did not start (run `npx next build` first)");
  const admin = (...args: string[]) => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: instance!.databaseUrl },
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout.trim();
  };
  admin("create-user", "--email", "bench@example.test", "--password", "bench-password-1", "--admin");
  admin("create-project", "--slug", "bench", "--name", "Bench", "--owner", "bench@example.test");
  const token = admin("create-token", "--project", "bench", "--name", "bench", "--scopes", "read,write");
  return {
    databaseUrl: instance.databaseUrl,
    url: `${instance.url}/projects/bench`,
    replicaUrls: instance.replicas.map((replica) => `${replica}/projects/bench`),
    token,
    peakMemoryMiB: () => sumOverTree(server.pid!, peakMemoryKiB) / 1024,
    cpuSeconds: () => sumOverTree(server.pid!, cpuTicks) / CLOCK_TICKS_PER_SECOND,
    stop: async () => {
      process.kill(-server.pid!, "SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    },
  };
}

/** `measure` summed over a process and its descendants other than PostgreSQL, read from /proc. */
function sumOverTree(pid: number, measure: (pid: number, status: string) => number): number {
  const children = childProcesses();
  const total = (current: number): number => {
    let own = 0;
    try {
      const status = readFileSync(`/proc/${current}/status`, "utf8");
      const name = /Name:\s+(\S+)/.exec(status)?.[1] ?? "";
      // PostgreSQL is the database, not the server under test.
      if (!name.startsWith("postgres")) own = measure(current, status);
    } catch {
      own = 0;
    }
    return own + (children.get(current) ?? []).reduce((sum, child) => sum + total(child), 0);
  };
  return total(pid);
}

/** VmHWM, in kB. */
const peakMemoryKiB = (_pid: number, status: string) => Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime: fields 14 and 15 of /proc/<pid>/stat, counted after the parenthesised name. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** Web processes each bench server runs: as many as `npm start` would (TALLY_WEB_PROCESSES, else one per core). */
export function benchWebProcesses(): number {
  return webProcessCount(parseEnv(process.env), false);
}

/**
 * Wall-clock milliseconds of `repeat` sequential calls after `warmup` untimed ones per web process
 * (calls take turns between the processes, and each must be warm: a server that has been up for a
 * while is), fastest first.
 */
export async function timeCalls(call: () => Promise<unknown>, options: { warmup: number; repeat: number }): Promise<number[]> {
  for (let index = 0; index < options.warmup * benchWebProcesses(); index++) await call();
  const measured: number[] = [];
  for (let index = 0; index < options.repeat; index++) {
    const started = performance.now();
    await call();
    measured.push(performance.now() - started);
  }
  return measured.sort((a, b) => a - b);
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** Calls the MLflow REST API of the bench project. */
export async function mlflowCall(instance: BenchInstance, method: string, endpoint: string, body?: unknown) {
  const response = await fetch(`${instance.url}/api/2.0/mlflow/${endpoint}`, {
    method,
    headers: { authorization: `Bearer ${instance.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Every process's children, by parent pid, read from /proc. */
export function childProcesses(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]);
      const siblings = children.get(parent);
      if (siblings) siblings.push(Number(entry));
      else children.set(parent, [Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}
