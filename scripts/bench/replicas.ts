/**
 * npm run bench:replicas [-- --writers 8 --batches 50 --points 1000 --rounds 2]
 *
 * Ingest throughput through one server against two servers on the same database (replicas behind a
 * load balancer; here each writer talks to one of them directly). Same load as bench:ingest; each
 * round measures one server, then two (writers split evenly), each time with new runs. Prints points/s
 * and log-batch latency per measurement, then checks that every point was stored exactly once.
 * Replicas share the machine's cores with each other, PostgreSQL and this client: the question is
 * whether coordination costs throughput, not whether a second process adds cores.
 */
import { parseArgs } from "node:util";
import { startBenchInstance } from "./instance";
import { runIngest, storedPoints, type IngestResult } from "./ingest-load";
import { mlflowClient } from "./mlflow-client";

const { values } = parseArgs({
  options: {
    writers: { type: "string", default: "8" },
    batches: { type: "string", default: "50" },
    points: { type: "string", default: "1000" },
    rounds: { type: "string", default: "2" },
  },
});
const load = { writers: Number(values.writers), batches: Number(values.batches), points: Number(values.points) };
const rounds = Number(values.rounds);

const instance = await startBenchInstance(3410, 2);
const clients = instance.replicaUrls.map((url) => mlflowClient(url, instance.token));
const results: Record<"one" | "two", IngestResult[]> = { one: [], two: [] };
let mismatches = 0;
try {
  console.log(`writers: ${load.writers}, batches per writer: ${load.batches}, points per batch: ${load.points}, rounds: ${rounds}`);
  for (let round = 1; round <= rounds; round++) {
    for (const setup of ["one", "two"] as const) {
      const targets = setup === "one" ? [clients[0]!] : clients;
      const result = await runIngest(targets, load, `replicas-${setup}-${round}`);
      const stored = await storedPoints(instance, result.runIds);
      if (stored !== result.points) mismatches++;
      results[setup].push(result);
      console.log(
        `round ${round}, ${setup === "one" ? "one server " : "two servers"}: ${result.pointsPerSecond} points/s ` +
          `(${result.seconds.toFixed(2)} s; log-batch p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms)` +
          `${stored === result.points ? "" : `; MISMATCH: ${stored} of ${result.points} points stored`}`,
      );
    }
  }
  const best = (setup: "one" | "two") => Math.max(...results[setup].map((result) => result.pointsPerSecond));
  console.log(`best of ${rounds}: one server ${best("one")} points/s, two servers ${best("two")} points/s (${((best("two") / best("one")) * 100).toFixed(0)}%)`);
  console.log(`app processes' peak memory (RSS high-water mark, both servers): ${instance.peakMemoryMiB().toFixed(0)} MiB`);
  console.log(mismatches === 0 ? "stored points: exactly once each" : `stored points: ${mismatches} measurement(s) with a MISMATCH`);
  if (mismatches) process.exitCode = 1;
} finally {
  for (const client of clients) client.close();
  await instance.stop();
}
