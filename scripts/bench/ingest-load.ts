import pg from "pg";
import { mlflowCall, percentile, type BenchInstance } from "./instance";

/** The ingest benchmark's load: `writers` concurrent writers, each with its own run, `batches` log-batch requests of `points` points each. */
export interface IngestLoad {
  writers: number;
  batches: number;
  points: number;
}

export interface IngestResult {
  points: number;
  seconds: number;
  pointsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  runIds: string[];
}

/**
 * Creates the writers' runs in a new experiment, then sends every writer's batches through HTTP, all
 * writers at once. Writer i sends to `targets[i % targets.length]` (base URLs of the bench project on
 * one or several servers of the same instance).
 */
export async function runIngest(instance: BenchInstance, targets: string[], load: IngestLoad, experimentName: string): Promise<IngestResult> {
  const { experiment_id } = (await mlflowCall(instance, "POST", "experiments/create", { name: experimentName })) as { experiment_id: string };
  const runIds = await Promise.all(
    Array.from({ length: load.writers }, async (_, writer) => {
      const { run } = (await mlflowCall(instance, "POST", "runs/create", { experiment_id, run_name: `writer-${writer}` })) as {
        run: { info: { run_id: string } };
      };
      return run.info.run_id;
    }),
  );
  // Ten metric keys per batch, as a training loop logging loss, accuracy, lr, ... per step.
  const batchBody = (runId: string, batch: number) => ({
    run_id: runId,
    metrics: Array.from({ length: load.points }, (_, index) => {
      const step = batch * (load.points / 10) + Math.floor(index / 10);
      return { key: `metric_${index % 10}`, value: Math.sin(step + index), timestamp: 1_700_000_000_000 + step, step };
    }),
  });
  // A warm-up batch per target (compiles the route there), at negative steps so it is not counted.
  await Promise.all(targets.map((target) => post(target, instance.token, JSON.stringify(batchBody(runIds[0]!, -1)))));

  // Bodies are serialized before the clock starts: the server is what is measured, and client and
  // server share this machine's cores.
  const bodies = runIds.map((runId) => Array.from({ length: load.batches }, (_, batch) => JSON.stringify(batchBody(runId, batch))));
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    bodies.map(async (writerBodies, writer) => {
      const target = targets[writer % targets.length]!;
      for (const body of writerBodies) {
        const sent = performance.now();
        await post(target, instance.token, body);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const points = load.writers * load.batches * load.points;
  latencies.sort((x, y) => x - y);
  return { points, seconds, pointsPerSecond: Math.round(points / seconds), p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), runIds };
}

async function post(target: string, token: string, body: string): Promise<void> {
  const response = await fetch(`${target}/api/2.0/mlflow/runs/log-batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
  if (!response.ok) throw new Error(`log-batch: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

/** How many of the measured points (steps ≥ 0) of these runs are stored. */
export async function storedPoints(instance: BenchInstance, runIds: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: instance.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM "MetricPoint" WHERE step >= 0 AND "runSeq" IN (SELECT seq FROM "Run" WHERE id = ANY($1::text[]))`,
      [runIds],
    );
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}
