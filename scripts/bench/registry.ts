/**
 * npm run bench:registry [-- --models 2000 --versions 50 --tags 20 --repeat 50 --warmup 5]
 *
 * Fills a fresh Tally's model registry with `models` registered models of `versions` versions each
 * (each registered from a run of its own, `runs:/<run>/model`), `tags` tags and one alias per model,
 * written in bulk with SQL (which is not what is measured) as the registry service writes them. Then
 * times over HTTP, with a project token: registered-models/search by name prefix and by tag,
 * model-versions/search of one model, and alias resolution. Prints p50/p95 per call.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { mlflowCall, percentile, startBenchInstance, timeCalls, type BenchInstance } from "./instance";
import { aliasedVersion, seededModelName as modelName, seedRegistry } from "./seed-registry";

const { values } = parseArgs({
  options: {
    models: { type: "string", default: "2000" },
    versions: { type: "string", default: "50" },
    tags: { type: "string", default: "20" },
    repeat: { type: "string", default: "50" },
    warmup: { type: "string", default: "5" },
    port: { type: "string", default: "3402" },
  },
});
const modelCount = Number(values.models);
const versionsPerModel = Number(values.versions);
const tagsPerModel = Math.max(1, Number(values.tags));
const repeat = Number(values.repeat);
const warmup = Number(values.warmup);
const time = (call: () => Promise<unknown>) => timeCalls(call, { warmup, repeat });
const ALIAS = "champion";

const instance = await startBenchInstance(Number(values.port));
try {
  const seconds = await seed(instance);
  console.log(
    `seeded ${modelCount} registered models x ${versionsPerModel} versions (${modelCount * versionsPerModel} versions), ` +
      `${tagsPerModel} tags and 1 alias per model in ${seconds.toFixed(1)} s`,
  );
  const probe = modelName(Math.min(1234, modelCount - 1));
  const calls: [string, string, Record<string, string>, (body: Record<string, unknown>) => boolean][] = [
    [
      "registered-models/search name LIKE 'model-01%'",
      "registered-models/search",
      { filter: "name LIKE 'model-01%'" },
      (body) => (body.registered_models as unknown[] | undefined)?.length === Math.min(100, countWithPrefix("model-01")),
    ],
    [
      "registered-models/search tags.team = 'team-7'",
      "registered-models/search",
      { filter: "tags.team = 'team-7'" },
      (body) => (body.registered_models as unknown[] | undefined)?.length === Math.min(100, Math.ceil((modelCount - 7) / 20)),
    ],
    [
      `model-versions/search name = '${probe}'`,
      "model-versions/search",
      { filter: `name = '${probe}'` },
      (body) => (body.model_versions as unknown[] | undefined)?.length === versionsPerModel,
    ],
    [
      `registered-models/alias (${probe}@${ALIAS})`,
      "registered-models/alias",
      { name: probe, alias: ALIAS },
      (body) => Number((body.model_version as { version?: string } | undefined)?.version) === aliasedVersion(versionsPerModel),
    ],
  ];
  for (const [label, endpoint, query, check] of calls) {
    const timings = await time(async () => {
      const body = await get(instance, endpoint, query);
      if (!check(body)) throw new Error(`${label}: unexpected answer ${JSON.stringify(body).slice(0, 300)}`);
    });
    console.log(`${label}: p50 ${percentile(timings, 0.5).toFixed(1)} ms, p95 ${percentile(timings, 0.95).toFixed(1)} ms`);
  }
} finally {
  await instance.stop();
}

function countWithPrefix(prefix: string): number {
  let count = 0;
  for (let index = 0; index < modelCount; index++) if (modelName(index).startsWith(prefix)) count++;
  return count;
}

async function get(bench: BenchInstance, endpoint: string, query: Record<string, string>) {
  const response = await fetch(`${bench.url}/api/2.0/mlflow/${endpoint}?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${bench.token}` },
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}


async function seed(bench: BenchInstance): Promise<number> {
  const started = performance.now();
  // The runs the versions come from live in an experiment made through the API.
  const { experiment_id } = (await mlflowCall(bench, "POST", "experiments/create", { name: "registry-bench" })) as { experiment_id: string };
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  try {
    const { rows: tokens } = await client.query<{ id: string; name: string; projectId: string }>(
      `SELECT t.id, t.name, t."projectId" FROM "ApiToken" t JOIN "Project" p ON p.id = t."projectId" WHERE p.slug = 'bench'`,
    );
    const token = tokens[0]!;
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Experiment" WHERE "projectId" = $1 AND number = $2`, [
      token.projectId,
      Number(experiment_id),
    ]);
    await seedRegistry(client, {
      models: modelCount,
      versionsPerModel,
      tagsPerModel,
      alias: ALIAS,
      token,
      experiment: { id: rows[0]!.id, number: experiment_id },
    });
    // Steady state: autovacuum has run, so index-only scans skip the heap and the planner has statistics.
    await client.query(`VACUUM ANALYZE`);
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}
