/**
 * npm run bench:lean-api [-- --seconds 15 --rounds 3 --clients 8]
 *
 * Single-point MLflow requests (`runs/log-metric`, then `runs/get`) from keep-alive clients against
 * one web process of a fresh Tally, with the lean API path off (every request through Next.js) and
 * on, alternating for `rounds` rounds. Prints requests per second, latency p50/p99 and the server's
 * CPU time per request (docs/operations.md, "The lean API path").
 */
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { percentile, startBenchInstance, type BenchInstance } from "./instance";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "15" }, rounds: { type: "string", default: "3" }, clients: { type: "string", default: "8" } },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);

type Call = { url: URL; method: string; body: (sequence: number) => string };

/** One request on a keep-alive connection; resolves to its status once the answer is read. */
function send(agent: Agent, token: string, call: Call, sequence: number): Promise<number> {
  const body = call.body(sequence);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      call.url,
      { method: call.method, agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (answer) => {
        answer.resume();
        answer.on("end", () => resolve(answer.statusCode ?? 0));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** `clients` loops calling back to back for `seconds` (after a short warm-up). */
async function measure(instance: BenchInstance, call: Call) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let sequence = 0;
  const loop = async (until: number, latencies?: number[]) => {
    while (performance.now() < until) {
      const started = performance.now();
      const status = await send(agent, instance.token, call, sequence++);
      if (status !== 200) throw new Error(`${call.method} ${call.url.pathname} answered ${status}`);
      latencies?.push(performance.now() - started);
    }
  };
  const warmUp = performance.now() + 3_000;
  await Promise.all(Array.from({ length: clients }, () => loop(warmUp)));
  const latencies: number[] = [];
  const cpuBefore = instance.cpuSeconds();
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, () => loop(started + seconds * 1_000, latencies)));
  const elapsed = (performance.now() - started) / 1_000;
  const cpuMs = ((instance.cpuSeconds() - cpuBefore) * 1_000) / latencies.length;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return `${Math.round(latencies.length / elapsed)} req/s, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, ${cpuMs.toFixed(2)} ms CPU each`;
}

async function round(lean: boolean): Promise<void> {
  const instance = await startBenchInstance(3480, 1, { env: { TALLY_LEAN_API: String(lean), TALLY_WEB_PROCESSES: "1" } });
  try {
    const mlflow = (endpoint: string) => new URL(`${instance.url}/api/2.0/mlflow/${endpoint}`);
    const created = await fetch(mlflow("runs/create"), {
      method: "POST",
      headers: { authorization: `Bearer ${instance.token}` },
      body: JSON.stringify({ experiment_id: "0" }),
    }).then((answer) => answer.json() as Promise<{ run: { info: { run_id: string } } }>);
    const runId = created.run.info.run_id;
    const logMetric = await measure(instance, {
      url: mlflow("runs/log-metric"),
      method: "POST",
      body: (step) => JSON.stringify({ run_id: runId, key: "loss", value: 1 / (step + 1), timestamp: Date.now(), step }),
    });
    const getRun = await measure(instance, { url: mlflow(`runs/get?run_id=${runId}`), method: "GET", body: () => "" });
    console.log(`${lean ? "lean    " : "Next.js "} runs/log-metric: ${logMetric}`);
    console.log(`${" ".repeat(8)} runs/get: ${getRun}`);
  } finally {
    await instance.stop();
  }
}

console.log(`${clients} keep-alive clients, ${seconds} s per measurement, one web process`);
for (let index = 1; index <= Number(values.rounds); index++) {
  console.log(`round ${index}`);
  await round(false);
  await round(true);
}
