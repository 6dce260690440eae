import pg from "pg";
import { closedLoop } from "./closed-loop";
import type { BenchInstance } from "./instance";
import type { MlflowClient } from "./mlflow-client";

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

/** Ten metric keys per batch, as a training loop logging loss, accuracy, lr, ... per step. */
export const INGEST_KEYS = Array.from({ length: 10 }, (_, index) => `metric_${index}`);

/**
 * Creates the writers' runs in a new experiment, then sends every writer's batches through HTTP, all
 * writers at once. Writer i sends to `targets[i % targets.length]` (the MLflow API of one server, or
 * of several servers of the same instance). Each run gets, per key of INGEST_KEYS, the steps 0 to
 * `batches * points / 10 - 1`; warm-up points have negative steps.
 */
export async function runIngest(targets: MlflowClient[], load: IngestLoad, experimentName: string): Promise<IngestResult> {
  const setup = targets[0]!;
  const { experiment_id } = (await setup.post("experiments/create", { name: experimentName })) as { experiment_id: string };
  const runIds = await Promise.all(
    Array.from({ length: load.writers }, async (_, writer) => {
      const { run } = (await setup.post("runs/create", { experiment_id, run_name: `writer-${writer}` })) as {
        run: { info: { run_id: string } };
      };
      return run.info.run_id;
    }),
  );
  const batchBody = (runId: string, batch: number) => ({
    run_id: runId,
    metrics: Array.from({ length: load.points }, (_, index) => {
      const step = batch * (load.points / 10) + Math.floor(index / 10);
      return { key: INGEST_KEYS[index % 10], value: Math.sin(step + index), timestamp: 1_700_000_000_000 + step, step };
    }),
  });
  // A warm-up batch per target (compiles the route there), at negative steps so it is not counted.
  await Promise.all(targets.map((target) => target.post("runs/log-batch", batchBody(runIds[0]!, -1))));

  // Bodies are serialized before the clock starts: the server is what is measured, and client and
  // server share this machine's cores.
  const bodies = runIds.map((runId) => Array.from({ length: load.batches }, (_, batch) => JSON.stringify(batchBody(runId, batch))));
  const measured = await closedLoop(load.writers, load.batches, (writer, batch) =>
    targets[writer % targets.length]!.post("runs/log-batch", bodies[writer]![batch]),
  );
  const points = load.writers * load.batches * load.points;
  const pointsPerSecond = Math.round(points / measured.seconds);
  return { points, seconds: measured.seconds, pointsPerSecond, p50Ms: measured.p50Ms, p99Ms: measured.p99Ms, runIds };
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
