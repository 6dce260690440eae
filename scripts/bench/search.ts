/**
 * npm run bench:search [-- --runs 100000 --repeat 20]
 *
 * Fills a fresh Tally with `runs` runs of 20 metrics and 20 params each (written in bulk with SQL,
 * which is not what is measured), then times over HTTP: filter + order-by-metric searches
 * (runs/search), and the downsampled history (~1,000 buckets) of a 1,000,000-point metric.
 * Prints p50/p95 per query.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { mlflowCall, percentile, startBenchInstance, timeCalls, type BenchInstance } from "./instance";
import { seedRuns } from "./seed-runs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "100000" }, repeat: { type: "string", default: "20" } },
});
const runCount = Number(values.runs);
const repeat = Number(values.repeat);
const time = (call: () => Promise<unknown>) => timeCalls(call, { warmup: 1, repeat });

const instance = await startBenchInstance(3401);
try {
  const { experiment_id } = (await mlflowCall(instance, "POST", "experiments/create", { name: "search-bench" })) as {
    experiment_id: string;
  };
  const { run } = (await mlflowCall(instance, "POST", "runs/create", { experiment_id, run_name: "long-curve" })) as {
    run: { info: { run_id: string } };
  };
  const seeded = await seed(instance, experiment_id, run.info.run_id);
  console.log(`seeded ${runCount} runs x 20 metrics x 20 params and a 1,000,000-point metric in ${seeded.toFixed(1)} s`);

  const historyUrl = `${instance.url.replace(/\/projects\/bench$/, "")}/api/v1/runs/${run.info.run_id}/metric-history?key=curve&buckets=1000`;
  const historyTimings = await time(async () => {
    const response = await fetch(historyUrl, { headers: { authorization: `Bearer ${instance.token}` } });
    const body = (await response.json()) as { buckets: unknown[] };
    if (!response.ok || body.buckets.length < 900) throw new Error(`downsampled history: ${response.status}`);
  });
  report("downsampled history of 1,000,000 points (1,000 buckets)", historyTimings);
  const searches: Record<string, unknown> = {
    "filter metric + param, order by metric": {
      filter: "metrics.m_0 > 0.5 AND params.p_1 = 'v3'",
      order_by: ["metrics.m_2 DESC"],
    },
    "filter two metrics, order by param": {
      filter: "metrics.m_3 < 0.2 AND metrics.m_4 > 0.1",
      order_by: ["params.p_5 ASC"],
    },
    "OR of params, order by metric": {
      filter: "params.p_2 = 'v1' OR params.p_3 = 'v7'",
      order_by: ["metrics.m_7 ASC"],
    },
    "no filter, order by metric": { order_by: ["metrics.m_9 DESC"] },
    "attribute filter, default order": { filter: "attributes.status = 'FINISHED'" },
  };
  for (const [label, body] of Object.entries(searches)) {
    const timings = await time(() =>
      mlflowCall(instance, "POST", "runs/search", { experiment_ids: [experiment_id], max_results: 100, ...(body as object) }),
    );
    report(`runs/search ${label}`, timings);
  }

} finally {
  await instance.stop();
}


function report(label: string, sorted: number[]) {
  console.log(`${label}: p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms`);
}

/** Bulk rows straight into PostgreSQL: the point is to measure reads, not to wait for writes. */
async function seed(bench: BenchInstance, experimentNumber: string, curveRunId: string): Promise<number> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  try {
    await seedRuns(client, experimentNumber, runCount, curveRunId);
    await client.query(
      `INSERT INTO "MetricPoint" ("runSeq", key, step, timestamp, value)
       SELECT (SELECT seq FROM "Run" WHERE id = $1), 'curve', s, 1700000000000 + s, sin(s / 1000.0)
       FROM generate_series(0, 999999) s`,
      [curveRunId],
    );
    // Steady state: autovacuum has run, so index-only scans skip the heap.
    await client.query(`VACUUM ANALYZE`);
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}
