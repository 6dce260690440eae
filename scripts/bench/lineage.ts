/**
 * npm run bench:lineage [-- --runs 100000 --datasets 20000 --models 50 --versions 100 --hot 10000 --repeat 40]
 *
 * Fills a fresh Tally with a lineage-heavy project: `models` x `versions` model versions, each
 * registered from a run of its own (seed-registry.ts), and runs up to `runs` in all, arranged in
 * pipelines of ten (each run the child of the one before, so an upstream walk of depth 10 has ten
 * levels to climb); `datasets` dataset versions, each run consuming two of them for training and
 * evaluation, and one "hot" version that the last runs of `hot` pipelines trained on. Rows are written in bulk with SQL
 * (through the triggers that keep the lineage edges, as the services' writes are); the queries are
 * timed over HTTP with a project token and print p50/p95.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { mlflowCall, percentile, startBenchInstance, timeCalls, type BenchInstance } from "./instance";
import { seedRegistry } from "./seed-registry";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100000" },
    datasets: { type: "string", default: "20000" },
    models: { type: "string", default: "50" },
    versions: { type: "string", default: "100" },
    hot: { type: "string", default: "10000" },
    repeat: { type: "string", default: "40" },
    warmup: { type: "string", default: "5" },
    port: { type: "string", default: "3404" },
  },
});
const totalRuns = Number(values.runs);
const datasetCount = Number(values.datasets);
const models = Number(values.models);
const versionsPerModel = Number(values.versions);
const hotRuns = Number(values.hot);
const repeat = Number(values.repeat);
const warmup = Number(values.warmup);
const time = (call: () => Promise<unknown>) => timeCalls(call, { warmup, repeat });
const PIPELINE = 10;
/** Runs in pipeline order (the order the parent links were drawn in). */
const PIPELINE_ORDER = `SELECT id, row_number() OVER (ORDER BY name DESC) - 1 AS position FROM "Run" WHERE "experimentId" = $1`;

const HOT = { name: "hot-transactions", digest: "hot0000" };

const instance = await startBenchInstance(Number(values.port));
try {
  const seconds = await seed(instance);
  const counts = await tableCounts(instance);
  console.log(
    `seeded ${counts.runs} runs, ${counts.datasetVersions} dataset versions, ${counts.versions} model versions, ` +
      `${counts.edges} lineage edges in ${seconds.toFixed(1)} s`,
  );
  const { version, pipelineHead } = await probeNodes(instance);
  const calls: [string, string, Record<string, string>, (body: Record<string, unknown>) => boolean][] = [
    [`upstream depth 10 of ${version}`, "upstream", { node: version, depth: "10" }, (b) => (b.nodes as unknown[]).length >= 20],
    [`downstream depth 10 of a pipeline's first run`, "downstream", { node: pipelineHead, depth: "10" }, (b) => (b.nodes as unknown[]).length >= 10],
    [
      `downstream depth 10 of a dataset version used by ${hotRuns} runs (graph, capped at 1,000 nodes)`,
      "downstream",
      { node: `dataset:${HOT.name}@${HOT.digest}`, depth: "10" },
      (b) => (b.nodes as unknown[]).length > 0,
    ],
    [
      `impact of a dataset version used by ${hotRuns} runs`,
      "impact",
      { dataset: HOT.name, digest: HOT.digest },
      (b) => (b.runs as unknown[]).length >= hotRuns,
    ],
  ];
  for (const [label, endpoint, query, check] of calls) {
    let size = 0;
    const timings = await time(async () => {
      const body = await get(instance, endpoint, query);
      if (!check(body)) throw new Error(`${label}: unexpected answer ${JSON.stringify(body).slice(0, 300)}`);
      size = JSON.stringify(body).length;
    });
    console.log(`${label}: p50 ${percentile(timings, 0.5).toFixed(1)} ms, p95 ${percentile(timings, 0.95).toFixed(1)} ms (${(size / 1024).toFixed(0)} KiB)`);
  }
} finally {
  await instance.stop();
}

async function get(bench: BenchInstance, endpoint: string, query: Record<string, string>) {
  const url = bench.url.replace("/projects/bench", "/api/v1/projects/bench/lineage");
  const response = await fetch(`${url}/${endpoint}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${bench.token}` } });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}


async function withDatabase<T>(bench: BenchInstance, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function tableCounts(bench: BenchInstance) {
  return withDatabase(bench, async (client) => {
    const count = async (table: string) => Number((await client.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
    return {
      runs: await count("Run"),
      datasetVersions: await count("DatasetVersion"),
      versions: await count("ModelVersion"),
      edges: await count("LineageEdge"),
    };
  });
}

/**
 * A version registered from the last run of a pipeline (its run has nine ancestors, each with two
 * datasets), and the first run of a pipeline.
 */
async function probeNodes(bench: BenchInstance): Promise<{ version: string; pipelineHead: string }> {
  return withDatabase(bench, async (client) => {
    const { rows: experiments } = await client.query(`SELECT id FROM "Experiment" WHERE name = 'lineage-bench'`);
    const experimentId = experiments[0].id as string;
    const { rows: versions } = await client.query(
      `WITH ordered AS (${PIPELINE_ORDER})
       SELECT m.name, v.version FROM ordered o JOIN "ModelVersion" v ON v."runId" = o.id JOIN "RegisteredModel" m ON m.id = v."modelId"
       WHERE o.position % ${PIPELINE} = ${PIPELINE - 1} ORDER BY m.name, v.version LIMIT 1`,
      [experimentId],
    );
    const { rows: heads } = await client.query(
      `WITH ordered AS (${PIPELINE_ORDER}) SELECT id FROM ordered WHERE position % ${PIPELINE} = 0 ORDER BY position DESC LIMIT 1`,
      [experimentId],
    );
    return { version: `version:${versions[0].name}/${versions[0].version}`, pipelineHead: `run:${heads[0].id}` };
  });
}

async function seed(bench: BenchInstance): Promise<number> {
  const started = performance.now();
  const { experiment_id } = (await mlflowCall(bench, "POST", "experiments/create", { name: "lineage-bench" })) as { experiment_id: string };
  await withDatabase(bench, async (client) => {
    const { rows: tokens } = await client.query<{ id: string; name: string; projectId: string }>(`SELECT id, name, "projectId" FROM "ApiToken" LIMIT 1`);
    const token = tokens[0]!;
    const { rows: experiments } = await client.query<{ id: string }>(`SELECT id FROM "Experiment" WHERE "projectId" = $1 AND number = $2`, [
      token.projectId,
      Number(experiment_id),
    ]);
    const experiment = { id: experiments[0]!.id, number: experiment_id };
    await seedRegistry(client, { models, versionsPerModel, tagsPerModel: 1, alias: "champion", token, experiment });
    // The rest of the runs, named step-<n>, so that all runs (registry ones first) form pipelines of ten.
    const registryRuns = models * versionsPerModel;
    await client.query(
      `INSERT INTO "Run" (id, "projectId", "experimentId", name, status, "startTime", "endTime", "artifactUri")
       SELECT md5('step-' || g), $1, $2, 'step-' || lpad(g::text, 6, '0'), 'FINISHED', 1700000000000 + g * 1000, 1700000000000 + g * 1000 + 60000,
              'mlflow-artifacts:/' || $3 || '/' || md5('step-' || g) || '/artifacts'
       FROM generate_series(1, $4::int) g`,
      [token.projectId, experiment.id, experiment_id, Math.max(0, totalRuns - registryRuns)],
    );
    // Pipelines of ten in start order: each run after the first of its ten is the child of the one before.
    await client.query(
      `WITH ordered AS (${PIPELINE_ORDER})
       UPDATE "Run" r SET "parentRunId" = previous.id
       FROM ordered current JOIN ordered previous ON previous.position = current.position - 1
       WHERE r.id = current.id AND current.position % ${PIPELINE} <> 0`,
      [experiment.id],
    );
    await client.query(
      `INSERT INTO "Dataset" (id, "experimentId", name, digest, "sourceType", source, schema, profile)
       SELECT 'ds' || g, $1, 'table-' || (g % ($2::int / 4)), md5('digest-' || g), 's3',
              '{"uri": "s3://lake/table-' || (g % ($2::int / 4)) || '/' || g || '.parquet"}', NULL, '{"num_rows": ' || g || '}'
       FROM generate_series(1, $2::int - 1) g
       UNION ALL SELECT 'ds-hot', $1, $3, $4, 's3', '{"uri": "s3://lake/hot.parquet"}', NULL, NULL`,
      [experiment.id, datasetCount, HOT.name, HOT.digest],
    );
    // Every run trains on one version and evaluates on another. The hot version is what the last
    // run of `hot` pipelines trained on: the runs an incident would ask about, each with its model
    // version downstream.
    await client.query(
      `WITH ordered AS (${PIPELINE_ORDER})
       INSERT INTO "RunInput" ("runId", "datasetId", tags)
       SELECT o.id, CASE WHEN o.position % ${PIPELINE} = ${PIPELINE - 1} AND o.position / ${PIPELINE} < $3
                         THEN 'ds-hot' ELSE 'ds' || (1 + o.position % ($2::int - 1)) END,
              '[{"key": "mlflow.data.context", "value": "train"}]'::jsonb
       FROM ordered o
       UNION ALL
       SELECT o.id, 'ds' || (1 + (o.position * 7 + 3) % ($2::int - 1)), '[{"key": "mlflow.data.context", "value": "eval"}]'::jsonb
       FROM ordered o
       ON CONFLICT DO NOTHING`,
      [experiment.id, datasetCount, hotRuns],
    );
    await client.query(`ANALYZE`);
  });
  return (performance.now() - started) / 1000;
}
