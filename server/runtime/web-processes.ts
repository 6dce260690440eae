import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Env } from "@/lib/env";
import { serveMetricsAsks } from "../observability/cluster-metrics";
import { logger } from "../observability/logger";

/**
 * Node's flags for a web process (its workers inherit them). A young generation of 32 MiB per
 * semi-space instead of V8's 16: a request's objects (a 1,000-point batch parsed, validated and
 * turned into SQL) live as long as its statement takes, and in the default young generation
 * they outlived it into the old one; collecting them there took 39% of a web process's time on bulk
 * log-batch (docs/performance.md, "Garbage collection").
 */
export const WEB_PROCESS_NODE_FLAGS = ["--max-semi-space-size=32"];

/** Web processes to run: TALLY_WEB_PROCESSES, else one per core; always one in development mode. */
export function webProcessCount(env: Pick<Env, "TALLY_WEB_PROCESSES">, dev: boolean): number {
  return dev ? 1 : (env.TALLY_WEB_PROCESSES ?? availableParallelism());
}

/** Crashes tolerated within CRASH_WINDOW_MS before the whole server gives up (a crash loop). */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
/** How long stopping waits for workers to finish their requests before killing them. */
const STOP_GRACE_MS = 10_000;

/**
 * The primary of a multi-process server (docs/operations.md, "Processes"): forks `count` workers that
 * each run this same script and share the listening port through node:cluster, replaces a worker that
 * dies, and stops them all when it is stopped or its launcher goes away. Everything the workers share
 * (sign-in throttle, cache evictions, background work) already goes through PostgreSQL, as it does
 * between replicas on different machines.
 */
export function superviseWebProcesses(count: number): void {
  const crashes: number[] = [];
  /** Set once stopping: the exit code the primary ends with when its last worker has gone. */
  let stopCode: number | null = null;
  serveMetricsAsks();
  for (let index = 0; index < count; index++) cluster.fork();

  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopCode !== null) {
      if (liveWorkers().length === 0) process.exit(stopCode);
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (crashes.length > MAX_CRASHES) {
      logger().fatal({ pid: worker.process.pid, crashes: crashes.length }, `Web processes keep dying (last: ${how}); stopping`);
      stop(1);
      return;
    }
    logger().error({ pid: worker.process.pid }, `A web process stopped (${how}); starting another`);
    cluster.fork();
  });

  const stop = (code = 0) => {
    if (stopCode !== null) return;
    stopCode = code;
    const workers = liveWorkers();
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of workers) worker.process.kill("SIGKILL");
      process.exit(code);
    }, STOP_GRACE_MS).unref();
  };
  process.once("SIGTERM", () => stop());
  process.once("SIGINT", () => stop());
  // Under `npm start` the launcher's IPC channel is this process's lifeline, as it is a single server's.
  process.once("disconnect", () => stop());
}

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
}
