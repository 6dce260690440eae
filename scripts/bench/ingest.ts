/**
 * npm run bench:ingest [-- --writers 8 --batches 50 --points 1000]
 *
 * N concurrent writers, each with its own run, send log-batch requests of `points` metric points
 * through HTTP to a fresh Tally. Prints points/s, request latency p50/p99 and the server's peak
 * memory, then checks that every point was stored exactly once.
 */
import { parseArgs } from "node:util";
import { startBenchInstance } from "./instance";
import { runIngest, storedPoints } from "./ingest-load";
import { mlflowClient } from "./mlflow-client";

const { values } = parseArgs({
  options: {
    writers: { type: "string", default: "8" },
    batches: { type: "string", default: "50" },
    points: { type: "string", default: "1000" },
  },
});
const load = { writers: Number(values.writers), batches: Number(values.batches), points: Number(values.points) };

const instance = await startBenchInstance();
const client = mlflowClient(instance.url, instance.token);
try {
  const result = await runIngest([client], load, "ingest");
  const stored = await storedPoints(instance, result.runIds);

  console.log(`writers: ${load.writers}, batches per writer: ${load.batches}, points per batch: ${load.points}`);
  console.log(`ingested ${result.points} points in ${result.seconds.toFixed(2)} s: ${result.pointsPerSecond} points/s`);
  console.log(`log-batch latency: p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`);
  console.log(`server peak memory (RSS high-water mark, app processes): ${instance.peakMemoryMiB().toFixed(0)} MiB`);
  console.log(`stored points: ${stored} (${stored === result.points ? "exactly once each" : `MISMATCH: expected ${result.points}`})`);
  if (stored !== result.points) process.exitCode = 1;
} finally {
  client.close();
  await instance.stop();
}
