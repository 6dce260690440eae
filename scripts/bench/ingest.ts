/**
 * npm run bench:ingest [-- --writers 8 --batches 50 --points 1000]
 *
 * N concurrent writers, each with its own run, send log-batch requests of `points` metric points
 * through HTTP to a fresh Tally. Prints points/s, request latency p50/p99 and the server's peak
 * memory, then checks that every point was stored exactly once.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { mlflowCall, percentile, startBenchInstance } from "./instance";

const { values } = parseArgs({
  options: {
    writers: { type: "string", default: "8" },
    batches: { type: "string", default: "50" },
    points: { type: "string", default: "1000" },
  },
});
const writers = Number(values.writers);
const batches = Number(values.batches);
const pointsPerBatch = Number(values.points);

const instance = await startBenchInstance();
try {
  const { experiment_id } = (await mlflowCall(instance, "POST", "experiments/create", { name: "ingest" })) as {
    experiment_id: string;
  };
  const runIds = await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const { run } = (await mlflowCall(instance, "POST", "runs/create", { experiment_id, run_name: `writer-${writer}` })) as {
        run: { info: { run_id: string } };
      };
      return run.info.run_id;
    }),
  );
  // Ten metric keys per batch, as a training loop logging loss, accuracy, lr, ... per step.
  const batchBody = (runId: string, batch: number) => ({
    run_id: runId,
    metrics: Array.from({ length: pointsPerBatch }, (_, index) => {
      const step = batch * (pointsPerBatch / 10) + Math.floor(index / 10);
      return { key: `metric_${index % 10}`, value: Math.sin(step + index), timestamp: 1_700_000_000_000 + step, step };
    }),
  });

  await mlflowCall(instance, "POST", "runs/log-batch", batchBody(runIds[0]!, -1)); // warm-up (compiles the route)
  // Bodies are serialized before the clock starts: the server is what is measured, and client and
  // server share this machine's cores.
  const bodies = runIds.map((runId) => Array.from({ length: batches }, (_, batch) => JSON.stringify(batchBody(runId, batch))));
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    bodies.map(async (writerBodies) => {
      for (const body of writerBodies) {
        const sent = performance.now();
        const response = await fetch(`${instance.url}/api/2.0/mlflow/runs/log-batch`, {
          method: "POST",
          headers: { authorization: `Bearer ${instance.token}`, "content-type": "application/json" },
          body,
        });
        if (!response.ok) throw new Error(`log-batch: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = writers * batches * pointsPerBatch;
  latencies.sort((a, b) => a - b);

  const client = new pg.Client({ connectionString: instance.databaseUrl });
  await client.connect();
  const stored = Number((await client.query(`SELECT count(*) FROM "MetricPoint" WHERE step >= 0`)).rows[0].count);
  await client.end();

  console.log(`writers: ${writers}, batches per writer: ${batches}, points per batch: ${pointsPerBatch}`);
  console.log(`ingested ${total} points in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} points/s`);
  console.log(`log-batch latency: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`);
  console.log(`server peak memory (RSS high-water mark, app processes): ${instance.peakMemoryMiB().toFixed(0)} MiB`);
  console.log(`stored points: ${stored} (${stored === total ? "exactly once each" : `MISMATCH: expected ${total}`})`);
  if (stored !== total) process.exitCode = 1;
} finally {
  await instance.stop();
}
