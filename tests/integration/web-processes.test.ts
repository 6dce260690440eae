import { readdirSync, readFileSync } from "node:fs";
import { get } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "@/server/runtime/process-info";
import { serverPid, startTally, stopTallies } from "../support/tally-server";

/**
 * A server with several web processes (TALLY_WEB_PROCESSES), as `npm start` runs one per core: both
 * answer, /metrics counts them all, a process that dies is replaced, and stopping the server stops
 * every one. Needs `next build` first, which `npm test` runs before the integration tests.
 */
const METRICS_TOKEN = "metrics-token-for-the-tests";
const logLines: string[] = [];
let url = "";

beforeAll(async () => {
  url = await startTally({ TALLY_WEB_PROCESSES: "2", TALLY_METRICS_TOKEN: METRICS_TOKEN }, { onLogLine: (line) => logLines.push(line) });
  await until(() => workersOf(serverPid(url)).length === 2);
}, 120_000);

afterAll(async () => {
  await stopTallies();
});

/** Live child processes of `pid`, from /proc. */
function workersOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === pid && fields[0] !== "Z") children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** CPU time (user + system clock ticks) a process has used so far. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** One GET on a connection of its own, so that requests spread over the processes as clients' do. */
function getOnNewConnection(path: string): Promise<{ status: number; requestId: string }> {
  return new Promise((resolve, reject) => {
    get(`${url}${path}`, { agent: false }, (response) => {
      response.resume();
      response.once("end", () => resolve({ status: response.statusCode ?? 0, requestId: String(response.headers["x-request-id"]) }));
    }).once("error", reject);
  });
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function requestsCounted(): Promise<number> {
  const text = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((response) => response.text());
  return [...text.matchAll(/^tally_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe("several web processes", () => {
  it("answers from every process and counts all their requests in /metrics", async () => {
    const workers = workersOf(serverPid(url));
    const before = workers.map(cpuTicks);
    const counted = await requestsCounted();
    const statuses: number[] = [];
    for (let round = 0; round < 20; round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 10 }, async () => (await getOnNewConnection("/api/v1/openapi.json")).status))));
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Each process did part of the work (the OpenAPI document costs each a few milliseconds).
    workers.forEach((pid, index) => expect(cpuTicks(pid)).toBeGreaterThan(before[index]!));
    // Whichever process answers the scrape, it reports every process's requests (the scrape itself included).
    expect(await requestsCounted()).toBeGreaterThanOrEqual(counted + 200);
  });

  it("replaces a process that dies, and keeps answering", async () => {
    const [victim, survivor] = workersOf(serverPid(url));
    process.kill(victim!, "SIGKILL");
    await until(() => {
      const now = workersOf(serverPid(url));
      return now.length === 2 && !now.includes(victim!);
    });
    expect(workersOf(serverPid(url))).toContain(survivor);
    // Log lines go out in blocks, or within half a second.
    await until(() => logLines.some((line) => line.includes("A web process stopped (signal SIGKILL); starting another")), 5_000);
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await getOnNewConnection("/api/health/live")).status));
    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it("stops every process when the server is stopped, having written the log lines of every request answered", async () => {
    const primary = serverPid(url);
    const workers = workersOf(primary);
    expect(workers).toHaveLength(2);
    // Refused requests are logged at info (successful probes are not). The processes write their
    // lines in blocks, into one pipe: the last block goes out as the process exits.
    const answers: { status: number; requestId: string }[] = [];
    for (let round = 0; round < 10; round++) {
      answers.push(...(await Promise.all(Array.from({ length: 20 }, () => getOnNewConnection("/api/v1/whoami")))));
    }
    expect(answers.every((answer) => answer.status === 401)).toBe(true);
    process.kill(primary, "SIGTERM");
    await until(() => !isAlive(primary) && workers.every((pid) => !isAlive(pid)), 20_000);
    // Each line whole (JSON.parse throws on one split by the other process's writes), each request's once.
    const ids = new Set(answers.map((answer) => answer.requestId));
    const requestLines = () =>
      logLines
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { msg?: string; requestId?: string; pid?: number })
        .filter((entry) => entry.msg === "request" && ids.has(entry.requestId ?? ""));
    // The pipe may still hold the last lines when the processes are gone.
    await until(() => requestLines().length >= answers.length, 5_000).catch(() => undefined);
    const written = requestLines();
    expect(written).toHaveLength(answers.length);
    expect(new Set(written.map((entry) => entry.requestId)).size).toBe(answers.length);
    expect(written.every((entry) => workers.includes(entry.pid ?? 0))).toBe(true);
  });
});
