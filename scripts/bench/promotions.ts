/**
 * npm run bench:promotions [-- --models 2000 --versions 50 --history 12000 --approvals 250 --requests 1000 --repeat 100 --warmup 10]
 *
 * Promotions under the default approval policy (owners approve, four eyes) in a project whose registry
 * holds `models` x `versions` model versions (100,000 by default) and `history` registry history rows,
 * both written in bulk with SQL (filling the database is not what is measured; the ledger's trigger
 * seals the history rows as it does every row). Then, through the services, as the web app calls them:
 * - the approval transaction: a member asks for stage Production or alias `champion` (not timed), the
 *   owner's approval (`decidePromotion`, the last and only one needed) moves it (timed), each on a
 *   model of its own;
 * - with `requests` promotion requests in the project: the inbox (`promotions.list`, the owner's
 *   decidable requests and all of them) and one request's page data (`promotions.get`).
 * Prints p50/p95 per call; the approval's target is p95 < 100 ms. Needs no build: no HTTP server.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../../server/db/migrate";
import { startScratchPostgres } from "../../server/runtime/embedded-postgres";
import { percentile, timeCalls } from "./instance";
import { aliasedVersion, seededModelName, seedRegistry } from "./seed-registry";

const { values } = parseArgs({
  options: {
    models: { type: "string", default: "2000" },
    versions: { type: "string", default: "50" },
    history: { type: "string", default: "12000" },
    approvals: { type: "string", default: "250" },
    requests: { type: "string", default: "1000" },
    repeat: { type: "string", default: "100" },
    warmup: { type: "string", default: "10" },
  },
});
const modelCount = Number(values.models);
const versionsPerModel = Number(values.versions);
const historyRows = Number(values.history);
const approvalCount = Number(values.approvals);
const requestCount = Number(values.requests);
const repeat = Number(values.repeat);
const warmup = Number(values.warmup);
const time = (call: () => Promise<unknown>) => timeCalls(call, { warmup, repeat });
if (versionsPerModel < 4) throw new Error("--versions must be at least 4: candidates are neither the newest nor the Production version");
if (modelCount < warmup + approvalCount) throw new Error("--models must be at least --warmup + --approvals: each approval moves a model of its own");
if (requestCount < warmup + approvalCount || requestCount > modelCount) {
  throw new Error("--requests must be at least --warmup + --approvals and at most --models: each request is for a model of its own");
}

const ALIAS = "champion";
/** The version every request promotes: the one between the Production version and the newest (Staging). */
const CANDIDATE = aliasedVersion(versionsPerModel) + 1;

const postgres = await startScratchPostgres();
try {
  await applyMigrations(postgres.url);
  // Set before the services first open their pool.
  process.env.DATABASE_URL = postgres.url;
  await run(postgres.url);
} finally {
  const { disconnectDb } = await import("../../server/db/client");
  const { closePgPool } = await import("../../server/db/pool");
  await disconnectDb();
  await closePgPool();
  await postgres.stop();
}

async function run(databaseUrl: string) {
  const { createUser } = await import("../../server/services/users");
  const { createProject } = await import("../../server/services/projects");
  const { resolveProjectAccess } = await import("../../server/services/access");
  const { addMember } = await import("../../server/services/members");
  const { createToken } = await import("../../server/services/api-tokens");
  const { createExperiment } = await import("../../server/services/experiments");
  const { decidePromotion, requestPromotion } = await import("../../server/services/promotions");
  const { createCaller } = await import("../../server/trpc/root");
  const { db } = await import("../../server/db/client");

  const system = { type: "SYSTEM", label: "bench" } as const;
  const person = async (email: string) => {
    const user = await createUser(system, { email, password: "bench-password-1" });
    return { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin } as const;
  };
  const owner = await person("owner@example.test");
  const member = await person("member@example.test");
  const project = await createProject(system, { slug: "bench", name: "Bench", ownerEmail: owner.email });
  const ownerAccess = await resolveProjectAccess(owner, project.slug);
  await addMember(ownerAccess, member.email, "MEMBER");
  const memberAccess = await resolveProjectAccess(member, project.slug);

  const seedStarted = performance.now();
  const { token } = await createToken(ownerAccess, { name: "bench", scopes: ["read", "write"] });
  const { id: experimentNumber } = await createExperiment(ownerAccess, { name: "promotions-bench", tags: [] });
  const experiment = await db().experiment.findFirstOrThrow({ where: { projectId: project.id, number: Number(experimentNumber) }, select: { id: true } });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await seedRegistry(client, {
      models: modelCount,
      versionsPerModel,
      tagsPerModel: 1,
      alias: ALIAS,
      token: { id: token.id, name: token.name, projectId: project.id },
      experiment: { id: experiment.id, number: experimentNumber },
    });
    await seedHistory(client, project.id, token);
    await client.query("VACUUM ANALYZE");
  } finally {
    await client.end();
  }
  const versions = await db().modelVersion.count({ where: { model: { projectId: project.id } } });
  const history = await db().registryEvent.count({ where: { projectId: project.id } });
  console.log(`seeded ${versions} model versions in ${modelCount} models and ${history} history rows in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  // Model i gets stage Production (even i) or alias champion (odd i) for its candidate version.
  const ask = (index: number) =>
    requestPromotion(memberAccess, {
      name: seededModelName(index),
      version: CANDIDATE,
      target: index % 2 === 0 ? { kind: "stage", stage: "Production" } : { kind: "alias", alias: ALIAS },
      archiveExisting: index % 2 === 0,
      comment: `Candidate ${CANDIDATE} beats the holder`,
    });
  const approvals: number[] = [];
  for (let index = 0; index < warmup + approvalCount; index++) {
    const request = await ask(index);
    const started = performance.now();
    const decided = await decidePromotion(ownerAccess, request.id, "APPROVE", "Looks good");
    const elapsed = performance.now() - started;
    if (decided.state !== "APPROVED") throw new Error(`request ${request.id} ended ${decided.state}, not APPROVED`);
    if (index >= warmup) approvals.push(elapsed);
  }
  const moved = await db().modelVersion.count({ where: { model: { projectId: project.id }, version: CANDIDATE, stage: "Production" } });
  if (moved !== Math.ceil((warmup + approvalCount) / 2)) throw new Error(`${moved} candidates hold Production after the approvals`);

  const pendingIds: string[] = [];
  for (let index = warmup + approvalCount; index < requestCount; index++) pendingIds.push((await ask(index)).id);
  const requests = await db().promotionRequest.count({ where: { projectId: project.id } });
  console.log(`${warmup + approvalCount} approved and ${pendingIds.length} pending requests (${requests} in all)`);

  const caller = createCaller({ actor: owner });
  const inbox = await time(async () => {
    const page = await caller.promotions.list({ projectSlug: project.slug, view: "decidable", limit: 50 });
    if (page.requests.length !== Math.min(50, pendingIds.length)) throw new Error(`the inbox shows ${page.requests.length} requests`);
  });
  const all = await time(async () => {
    const page = await caller.promotions.list({ projectSlug: project.slug, view: "all", limit: 50 });
    if (page.requests.length !== 50) throw new Error(`the list of all requests shows ${page.requests.length}`);
  });
  let probe = 0;
  const get = await time(async () => {
    const id = pendingIds[(probe++ * 7919) % pendingIds.length]!;
    const { request, abilities } = await caller.promotions.get({ projectSlug: project.slug, id });
    if (request.id !== id || !abilities) throw new Error(`promotions.get answered another request than ${id}`);
  });

  printTable([
    [`approval (decidePromotion, moves the target), ${approvals.length} approvals`, approvals.sort((a, b) => a - b), 100],
    [`promotions.list view=decidable (inbox, first 50), ${repeat} calls`, inbox, null],
    [`promotions.list view=all (first 50), ${repeat} calls`, all, null],
    [`promotions.get (request page), ${repeat} calls`, get, null],
  ]);
}

/**
 * `historyRows` registry history rows as months of registry work leave them (versions registered,
 * stages moved, aliases set), spread over the seeded models, written as the token that seeded them.
 */
async function seedHistory(client: pg.Client, projectId: string, token: { id: string; name: string }) {
  await client.query(
    `INSERT INTO "RegistryEvent" ("projectId", "modelId", "modelName", version, kind, "actorType", "actorId", "actorLabel", after, "createdAt")
     SELECT $1, 'cm' || substr(md5('model-' || m), 1, 23), 'model-' || lpad(m::text, 5, '0'), 1 + (i / $3) % $4,
            (ARRAY['version.create', 'version.stage', 'alias.set'])[1 + i % 3], 'TOKEN', $5, $6,
            jsonb_build_object('n', i), to_timestamp(1700000000 + i * 60)
     FROM generate_series(0, $2::int - 1) i, LATERAL (SELECT i % $3 AS m) model
     ORDER BY i`,
    [projectId, historyRows, modelCount, versionsPerModel, token.id, `token ${token.name} (${token.id})`],
  );
}


/** One line per call: p50, p95 and, where there is one, the p95 target and whether it is met. */
function printTable(rows: [string, number[], number | null][]) {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${"call".padEnd(width)}  ${"p50 ms".padStart(8)}  ${"p95 ms".padStart(8)}  target p95`);
  for (const [label, timings, target] of rows) {
    const p95 = percentile(timings, 0.95);
    const verdict = target === null ? "-" : `< ${target} ms ${p95 < target ? "met" : "MISSED"}`;
    console.log(`${label.padEnd(width)}  ${percentile(timings, 0.5).toFixed(1).padStart(8)}  ${p95.toFixed(1).padStart(8)}  ${verdict}`);
  }
}
