/**
 * node --import tsx scripts/bench/hot-requests.ts [--workload log-metric|log-param|log-batch-params|log-batch-bulk|runs-get|runs-search]
 *   [--clients 8] [--seconds 10] [--cpu-prof-dir DIR]
 *
 * One MLflow request at a time per client, `clients` keep-alive clients at once, against a fresh
 * production instance (run `npx next build` first): single-point runs/log-metric (each request a new
 * step of one run), runs/log-parameter (a new param of one run each time), runs/log-batch of ten new
 * params and ten metric points, runs/log-batch of 1,000 metric points (10 keys), runs/get of a run with ten metrics, ten params and a few tags, or
 * bench:vs-mlflow's runs/search (its 10,000 runs seeded first through the API, as it seeds them; 100
 * runs a page). Prints requests/s, latency p50/p99, and the CPU time per request of the server, of
 * PostgreSQL and of the client itself (the numbers a busy machine distorts least). With
 * --cpu-prof-dir the server writes a V8 CPU profile of the measured load there
 * (cpu-profile-preload.mjs; summarize it with scripts/cpu-profile-summary.ts).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { childProcesses, mlflowCall, percentile, startBenchInstance } from "./instance";
import { mlflowClient } from "./mlflow-client";
import { expectedSearchOrder, loadAtScale, SEARCH, seedRuns } from "./vs-mlflow-workloads";

const { values } = parseArgs({
  options: {
    workload: { type: "string", default: "log-metric" },
    clients: { type: "string", default: "8" },
    seconds: { type: "string", default: "10" },
    "cpu-prof-dir": { type: "string" },
  },
});
const WORKLOADS = ["log-metric", "log-param", "log-batch-params", "log-batch-bulk", "runs-get", "runs-search"] as const;
type Workload = (typeof WORKLOADS)[number];
const workload = values.workload as Workload;
if (!WORKLOADS.includes(workload)) throw new Error(`unknown workload ${workload}: use ${WORKLOADS.join(", ")}`);
const clients = Number(values.clients);
const seconds = Number(values.seconds);
if (values["cpu-prof-dir"]) {
  // Read by the processes the instance spawns (this one has started already). Node 20 refuses
  // --cpu-prof in NODE_OPTIONS, so a preload starts the same profiler.
  process.env.TALLY_CPU_PROF_DIR = path.resolve(values["cpu-prof-dir"]);
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --import ${path.join(import.meta.dirname, "cpu-profile-preload.mjs")}`.trim();
}

const instance = await startBenchInstance(3450);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

function send(method: "GET" | "POST", path: string, body?: string): Promise<void> {
  const url = new URL(`${instance.url}/api/2.0/mlflow/${path}`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${instance.token}`,
          ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${response.statusCode}`))));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** This process's descendants that run scripts/serve.ts: the instance's servers (and no one else's). */
function serverPids(root: number): number[] {
  const children = childProcesses();
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      try {
        if (readFileSync(`/proc/${child}/cmdline`, "utf8").includes("scripts/serve.ts")) found.push(child);
      } catch {
        // the process ended while we looked
      }
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** CPU time of a process so far in user space and in the kernel, in seconds (clock ticks are 1/100 s on Linux). */
interface CpuTime {
  user: number;
  system: number;
}
const NO_CPU: CpuTime = { user: 0, system: 0 };
const addCpu = (a: CpuTime, b: CpuTime): CpuTime => ({ user: a.user + b.user, system: a.system + b.system });
const subtractCpu = (a: CpuTime, b: CpuTime): CpuTime => ({ user: a.user - b.user, system: a.system - b.system });

function cpuTime(pid: number, fields = statFields(pid)): CpuTime {
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** /proc/<pid>/stat from field 3 on (after the parenthesised name). */
const statFields = (pid: number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");

/**
 * CPU time of the instance's PostgreSQL so far, in seconds: its live processes, plus what its
 * postmaster has collected from those that ended (backends, autovacuum workers), so that the
 * difference of two readings counts every process that ran in between.
 */
function databaseCpuTime(root: number): CpuTime {
  const children = childProcesses();
  let total = NO_CPU;
  const visit = (pid: number, parentIsPostgres: boolean) => {
    for (const child of children.get(pid) ?? []) {
      let isPostgres = false;
      try {
        isPostgres = /Name:\s+postgres/.test(readFileSync(`/proc/${child}/status`, "utf8"));
        if (isPostgres) {
          const fields = statFields(child);
          total = addCpu(total, cpuTime(child, fields));
          // cutime and cstime: the ended children's time, counted once, at the postmaster.
          if (!parentIsPostgres) total = addCpu(total, { user: Number(fields[13]) / 100, system: Number(fields[14]) / 100 });
        }
      } catch {
        // the process ended while we looked
      }
      visit(child, isPostgres);
    }
  };
  visit(root, false);
  return total;
}

/** Seeds bench:vs-mlflow's runs and checks the first page of its search: the body to send. */
async function seedSearch(): Promise<string> {
  const client = mlflowClient(instance.url, instance.token);
  try {
    const load = loadAtScale(1, clients);
    const started = performance.now();
    const { experimentId } = await seedRuns(client, load);
    console.log(`seeded ${load.seededRuns} runs in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const body = JSON.stringify({ experiment_ids: [experimentId], filter: SEARCH.filter, order_by: SEARCH.orderBy, max_results: 100 });
    const { runs } = (await client.post("runs/search", body)) as { runs: { info: { run_name: string } }[] };
    const expected = expectedSearchOrder(load.seededRuns).slice(0, 100);
    if (runs.map((run) => run.info.run_name).join() !== expected.join()) throw new Error("runs/search answered other runs than expected");
    return body;
  } finally {
    client.close();
  }
}

try {
  const { experiment_id } = (await mlflowCall(instance, "POST", "experiments/create", { name: `hot-${workload}` })) as { experiment_id: string };
  const { run } = (await mlflowCall(instance, "POST", "runs/create", { experiment_id, run_name: "hot" })) as { run: { info: { run_id: string } } };
  const runId = run.info.run_id;
  await mlflowCall(instance, "POST", "runs/log-batch", {
    run_id: runId,
    metrics: Array.from({ length: 10 }, (_, index) => ({ key: `metric_${index}`, value: index / 10, timestamp: 1_700_000_000_000, step: 0 })),
    params: Array.from({ length: 10 }, (_, index) => ({ key: `param_${index}`, value: String(index) })),
    tags: [{ key: "team", value: "bench" }, { key: "stage", value: "train" }],
  });

  let step = 1;
  const searchBody = workload === "runs-search" ? await seedSearch() : "";
  const requests: Record<Workload, () => Promise<void>> = {
    "log-metric": () => {
      const current = step++;
      return send("POST", "runs/log-metric", JSON.stringify({ run_id: runId, key: "loss", value: 1 / current, timestamp: 1_700_000_000_000 + current, step: current }));
    },
    // A new key each time: a param is logged once per run.
    "log-param": () => {
      const current = step++;
      return send("POST", "runs/log-parameter", JSON.stringify({ run_id: runId, key: `lr_${current}`, value: `0.${current}` }));
    },
    "log-batch-params": () => {
      const current = step++;
      const params = Array.from({ length: 10 }, (_, index) => ({ key: `p_${current}_${index}`, value: `value-${current}-${index}` }));
      const metrics = Array.from({ length: 10 }, (_, index) => ({ key: `m_${index}`, value: index, timestamp: 1_700_000_000_000, step: current }));
      return send("POST", "runs/log-batch", JSON.stringify({ run_id: runId, params, metrics }));
    },
    // bench:vs-mlflow's bulk request: 1,000 points, 10 keys of 100 new steps each.
    "log-batch-bulk": () => {
      const first = (step += 100) - 100;
      const metrics = Array.from({ length: 1000 }, (_, index) => ({
        key: `bulk_${index % 10}`,
        value: Math.sin(first + index),
        timestamp: 1_700_000_000_000 + first + Math.floor(index / 10),
        step: first + Math.floor(index / 10),
      }));
      return send("POST", "runs/log-batch", JSON.stringify({ run_id: runId, metrics }));
    },
    "runs-get": () => send("GET", `runs/get?run_id=${runId}`),
    "runs-search": () => send("POST", "runs/search", searchBody),
  };
  const request = requests[workload];

  // Warm-up: compiles the route and fills the token cache.
  for (let index = 0; index < 200; index++) await request();
  const servers = serverPids(process.pid);
  const profiled = values["cpu-prof-dir"] ? servers : [];
  for (const pid of profiled) process.kill(pid, "SIGUSR2");
  const serverCpuTime = () => servers.map((pid) => cpuTime(pid)).reduce(addCpu, NO_CPU);
  const serverCpuBefore = serverCpuTime();
  const databaseCpuBefore = databaseCpuTime(process.pid);
  const clientCpuBefore = process.cpuUsage();

  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        await request();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const serverCpu = subtractCpu(serverCpuTime(), serverCpuBefore);
  const databaseCpu = subtractCpu(databaseCpuTime(process.pid), databaseCpuBefore);
  const clientCpuMicros = process.cpuUsage(clientCpuBefore);
  const clientCpu = { user: clientCpuMicros.user / 1e6, system: clientCpuMicros.system / 1e6 };
  // Per request, in ms, and how much of it the kernel took (system calls, loopback TCP).
  const perRequest = (cpu: CpuTime) =>
    `${((1000 * (cpu.user + cpu.system)) / latencies.length).toFixed(2)} ms (kernel ${((1000 * cpu.system) / latencies.length).toFixed(2)})`;
  latencies.sort((a, b) => a - b);
  console.log(
    `${workload}: ${latencies.length} requests in ${elapsed.toFixed(1)} s with ${clients} clients: ` +
      `${Math.round(latencies.length / elapsed)} requests/s, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms; ` +
      // CPU time is what a busy machine does not distort: the server's own, per request.
      `server CPU ${perRequest(serverCpu)} per request, PostgreSQL CPU ${perRequest(databaseCpu)}, this client's CPU ${perRequest(clientCpu)}`,
  );
  for (const pid of profiled) {
    process.kill(pid, "SIGUSR2");
    const file = path.join(process.env.TALLY_CPU_PROF_DIR!, `${pid}.cpuprofile`);
    for (let waited = 0; !existsSync(file) && waited < 30_000; waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
    // The file may still be being written; its size stops changing when it is complete.
    for (let size = -1; statSync(file).size !== size; ) {
      size = statSync(file).size;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.log(`CPU profile of the server: ${file}`);
  }
} finally {
  agent.destroy();
  await instance.stop();
}
