import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { mlflowRoutes } from "@/server/http/mlflow/routes";
import { resolveProjectAccess } from "@/server/services/access";
import { createToken } from "@/server/services/api-tokens";
import { createProjectWithToken, mlflowRequest, systemActor, uniqueSuffix } from "../factories";

/**
 * Nothing crosses projects on the MLflow API either. A write token of project A aimed at project B
 * is refused on B's URL; on the bare URL (where the token names A) it may name B's run and model ids
 * and B's model and experiment names, and still reaches only A's own objects: no answer carries
 * anything of B, and B is left exactly as it was. Routes are enumerated from the route table, so a
 * new route fails this file until it has an entry below.
 */

/** Written only into B's own values (tags, names), which no attack sends: finding it in an answer is a leak. */
const SECRET = `b-secret-${uniqueSuffix()}`;

interface Victim {
  slug: string;
  runId: string;
  experimentId: string;
  loggedModelId: string;
  modelName: string;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";
interface Attack {
  /** The endpoint with its path parameters filled in. */
  endpoint?: (b: Victim) => string;
  fields: (b: Victim) => Record<string, unknown>;
}

const run = (b: Victim) => ({ run_id: b.runId });
const experiment = (b: Victim) => ({ experiment_id: b.experimentId });
const version = (b: Victim) => ({ name: b.modelName, version: "1" });

const ATTACKS: Record<string, Attack> = {
  "POST /experiments/search": { fields: () => ({ max_results: 1000 }) },
  "GET /experiments/search": { fields: () => ({ max_results: 1000 }) },
  "GET /experiments/get-by-name": { fields: () => ({ experiment_name: "victim-experiment" }) },
  "GET /experiments/get": { fields: experiment },
  "POST /experiments/create": { fields: () => ({ name: "victim-experiment" }) },
  "POST /experiments/update": { fields: (b) => ({ ...experiment(b), new_name: "defaced" }) },
  "POST /experiments/delete": { fields: experiment },
  "POST /experiments/restore": { fields: experiment },
  "POST /experiments/set-experiment-tag": { fields: (b) => ({ ...experiment(b), key: "owned", value: "yes" }) },
  "POST /experiments/delete-experiment-tag": { fields: (b) => ({ ...experiment(b), key: "team" }) },
  "POST /runs/create": { fields: experiment },
  "GET /runs/get": { fields: run },
  "POST /runs/update": { fields: (b) => ({ ...run(b), status: "KILLED" }) },
  "POST /runs/delete": { fields: run },
  "POST /runs/restore": { fields: run },
  "POST /runs/search": { fields: (b) => ({ experiment_ids: [b.experimentId] }) },
  "POST /runs/log-metric": { fields: (b) => ({ ...run(b), key: "acc", value: 0, timestamp: 1, step: 99 }) },
  "POST /runs/log-parameter": { fields: (b) => ({ ...run(b), key: "planted", value: "x" }) },
  "POST /runs/set-tag": { fields: (b) => ({ ...run(b), key: "owned", value: "yes" }) },
  "POST /runs/delete-tag": { fields: (b) => ({ ...run(b), key: "team" }) },
  "POST /runs/log-batch": { fields: (b) => ({ ...run(b), tags: [{ key: "owned", value: "yes" }] }) },
  "POST /runs/log-inputs": {
    fields: (b) => ({ ...run(b), datasets: [{ tags: [], dataset: { name: "d", digest: "x", source_type: "local", source: "/x" } }] }),
  },
  "POST /runs/outputs": { fields: (b) => ({ ...run(b), models: [{ model_id: b.loggedModelId, step: 0 }] }) },
  "POST /runs/log-model": { fields: (b) => ({ ...run(b), model_json: JSON.stringify({ artifact_path: "m" }) }) },
  "GET /metrics/get-history": { fields: (b) => ({ ...run(b), metric_key: "acc" }) },
  "GET /metrics/get-history-bulk-interval": { fields: (b) => ({ run_ids: b.runId, metric_key: "acc" }) },
  "GET /artifacts/list": { fields: run },
  "POST /logged-models/search": { fields: (b) => ({ experiment_ids: [b.experimentId] }) },
  "POST /logged-models": { fields: (b) => ({ ...experiment(b), name: "planted" }) },
  "GET /logged-models/:modelId": { endpoint: (b) => `logged-models/${b.loggedModelId}`, fields: () => ({}) },
  "PATCH /logged-models/:modelId": { endpoint: (b) => `logged-models/${b.loggedModelId}`, fields: () => ({ status: "LOGGED_MODEL_UPLOAD_FAILED" }) },
  "DELETE /logged-models/:modelId": { endpoint: (b) => `logged-models/${b.loggedModelId}`, fields: () => ({}) },
  "PATCH /logged-models/:modelId/tags": {
    endpoint: (b) => `logged-models/${b.loggedModelId}/tags`,
    fields: () => ({ tags: [{ key: "owned", value: "yes" }] }),
  },
  "DELETE /logged-models/:modelId/tags/*tagKey": { endpoint: (b) => `logged-models/${b.loggedModelId}/tags/team`, fields: () => ({}) },
  "GET /logged-models/:modelId/artifacts/directories": {
    endpoint: (b) => `logged-models/${b.loggedModelId}/artifacts/directories`,
    fields: () => ({}),
  },
  "POST /logged-models/:modelId/params": {
    endpoint: (b) => `logged-models/${b.loggedModelId}/params`,
    fields: () => ({ params: [{ key: "planted", value: "x" }] }),
  },
  "POST /registered-models/create": { fields: (b) => ({ name: b.modelName }) },
  "GET /registered-models/get": { fields: (b) => ({ name: b.modelName }) },
  "POST /registered-models/rename": { fields: (b) => ({ name: b.modelName, new_name: "stolen" }) },
  "PATCH /registered-models/update": { fields: (b) => ({ name: b.modelName, description: "defaced" }) },
  "DELETE /registered-models/delete": { fields: (b) => ({ name: b.modelName }) },
  "GET /registered-models/search": { fields: () => ({}) },
  "GET /model-versions/search": { fields: (b) => ({ filter: `name = '${b.modelName}'` }) },
  "POST /registered-models/get-latest-versions": { fields: (b) => ({ name: b.modelName }) },
  "GET /registered-models/get-latest-versions": { fields: (b) => ({ name: b.modelName }) },
  "POST /registered-models/set-tag": { fields: (b) => ({ name: b.modelName, key: "owned", value: "yes" }) },
  "DELETE /registered-models/delete-tag": { fields: (b) => ({ name: b.modelName, key: "team" }) },
  "POST /registered-models/alias": { fields: (b) => ({ ...version(b), alias: "hijacked" }) },
  "DELETE /registered-models/alias": { fields: (b) => ({ name: b.modelName, alias: "challenger" }) },
  "GET /registered-models/alias": { fields: (b) => ({ name: b.modelName, alias: "challenger" }) },
  "POST /model-versions/create": { fields: (b) => ({ name: b.modelName, source: `runs:/${b.runId}/model`, run_id: b.runId }) },
  "GET /model-versions/get": { fields: version },
  "PATCH /model-versions/update": { fields: (b) => ({ ...version(b), description: "defaced" }) },
  "DELETE /model-versions/delete": { fields: version },
  "POST /model-versions/transition-stage": { fields: (b) => ({ ...version(b), stage: "Production", archive_existing_versions: true }) },
  "GET /model-versions/get-download-uri": { fields: version },
  "POST /model-versions/set-tag": { fields: (b) => ({ ...version(b), key: "owned", value: "yes" }) },
  "DELETE /model-versions/delete-tag": { fields: (b) => ({ ...version(b), key: "q" }) },
};

const routeKeys = mlflowRoutes.map((route) => `${route.method} ${route.path}`);

/**
 * The routes a `read` token may call (docs/permissions.md). Every other route, including any new one
 * not listed here, must be refused to a read token of B by its service, with MLflow's 403
 * PERMISSION_DENIED, and change nothing: edges no longer declare scopes, so this is what catches a
 * service that forgot its check.
 */
const READ_ROUTES = new Set([
  "POST /experiments/search",
  "GET /experiments/search",
  "GET /experiments/get-by-name",
  "GET /experiments/get",
  "GET /runs/get",
  "POST /runs/search",
  "GET /metrics/get-history",
  "GET /metrics/get-history-bulk-interval",
  "GET /artifacts/list",
  "POST /logged-models/search",
  "GET /logged-models/:modelId",
  "GET /logged-models/:modelId/artifacts/directories",
  "GET /registered-models/get",
  "GET /registered-models/search",
  "GET /model-versions/search",
  "POST /registered-models/get-latest-versions",
  "GET /registered-models/get-latest-versions",
  "GET /registered-models/alias",
  "GET /model-versions/get",
  "GET /model-versions/get-download-uri",
]);

let victim: Victim;
let victimProjectId: string;
let attacker: { slug: string; token: string };
let victimReader: string;

/** Everything of B that an MLflow route could change. */
async function snapshot(projectId: string) {
  const [experiments, runs, points, loggedModels, models, events] = await Promise.all([
    db().experiment.findMany({ where: { projectId }, select: { name: true, lifecycleStage: true, tags: true }, orderBy: { number: "asc" } }),
    db().run.findMany({
      where: { projectId },
      select: { id: true, status: true, lifecycleStage: true, tags: { orderBy: { key: "asc" } }, params: { orderBy: { key: "asc" } }, inputs: true, outputs: true },
    }),
    db().metricPoint.count({ where: { runSeq: { in: (await db().run.findMany({ where: { projectId }, select: { seq: true } })).map((r) => r.seq) } } }),
    db().loggedModel.findMany({ where: { projectId }, select: { id: true, status: true, lifecycleStage: true, tags: true, params: true } }),
    db().registeredModel.findMany({
      where: { projectId },
      select: { name: true, description: true, tags: true, aliases: true, versions: { select: { version: true, stage: true, description: true, tags: true } } },
    }),
    db().registryEvent.count({ where: { projectId } }),
  ]);
  return { experiments, runs, points, loggedModels, models, events };
}

beforeAll(async () => {
  const b = await createProjectWithToken("OWNER", ["read", "write"]);
  victimProjectId = b.project.id;
  const asB = { projectSlug: b.project.slug, token: b.plaintext };
  const created = await mlflowRequest(asB, "POST", "experiments/create", { name: "victim-experiment" });
  const experimentId = created.body.experiment_id as string;
  await mlflowRequest(asB, "POST", "experiments/set-experiment-tag", { experiment_id: experimentId, key: "team", value: SECRET });
  const runBody = await mlflowRequest(asB, "POST", "runs/create", { experiment_id: experimentId });
  const runId = (runBody.body.run as { info: { run_id: string } }).info.run_id;
  await mlflowRequest(asB, "POST", "runs/log-batch", {
    run_id: runId,
    metrics: [{ key: "acc", value: 0.9, timestamp: 1, step: 0 }],
    tags: [
      { key: "team", value: SECRET },
      { key: "mlflow.runName", value: SECRET },
    ],
  });
  const logged = await mlflowRequest(asB, "POST", "logged-models", { experiment_id: experimentId, name: SECRET, source_run_id: runId });
  const loggedModelId = (logged.body.model as { info: { model_id: string } }).info.model_id;
  await mlflowRequest(asB, "PATCH", `logged-models/${loggedModelId}/tags`, { tags: [{ key: "team", value: SECRET }] });
  const modelName = `victim-model-${uniqueSuffix()}`;
  await mlflowRequest(asB, "POST", "registered-models/create", { name: modelName, description: SECRET, tags: [{ key: "team", value: SECRET }] });
  await mlflowRequest(asB, "POST", "model-versions/create", { name: modelName, source: `runs:/${runId}/model`, description: SECRET, tags: [{ key: "q", value: SECRET }] });
  await mlflowRequest(asB, "POST", "registered-models/alias", { name: modelName, alias: "challenger", version: "1" });
  victim = { slug: b.project.slug, runId, experimentId, loggedModelId, modelName };
  victimReader = (await createToken(await resolveProjectAccess(systemActor, b.project.slug), { name: "reader", scopes: ["read"] })).plaintext;
  const a = await createProjectWithToken("OWNER", ["read", "write"]);
  attacker = { slug: a.project.slug, token: a.plaintext };
});

describe("tenant isolation over the MLflow API", () => {
  it("has an attack for every route in the route table", () => {
    expect(routeKeys.sort()).toEqual(Object.keys(ATTACKS).sort());
  });

  it.each(routeKeys)("%s: a token of A on B's URL is refused and B is unchanged", async (key) => {
    const attack = ATTACKS[key]!;
    const [method, path] = key.split(" ") as [Method, string];
    const before = await snapshot(victimProjectId);
    const response = await mlflowRequest({ projectSlug: victim.slug, token: attacker.token }, method, attack.endpoint?.(victim) ?? path.slice(1), attack.fields(victim));
    expect([403, 404]).toContain(response.status);
    expect(await snapshot(victimProjectId)).toEqual(before);
  });

  it("lists only existing routes as read routes", () => {
    expect([...READ_ROUTES].filter((key) => !routeKeys.includes(key))).toEqual([]);
  });

  it.each(routeKeys)("%s: B's own read token may call it only if it reads, else 403 PERMISSION_DENIED; B is unchanged", async (key) => {
    const attack = ATTACKS[key]!;
    const [method, path] = key.split(" ") as [Method, string];
    const before = await snapshot(victimProjectId);
    const response = await mlflowRequest({ projectSlug: victim.slug, token: victimReader }, method, attack.endpoint?.(victim) ?? path.slice(1), attack.fields(victim));
    if (READ_ROUTES.has(key)) expect(response.status).toBe(200);
    else expect([response.status, response.body.error_code]).toEqual([403, "PERMISSION_DENIED"]);
    expect(await snapshot(victimProjectId)).toEqual(before);
  });

  it.each(routeKeys)("%s: a token of A naming B's objects finds nothing of B and B is unchanged", async (key) => {
    const attack = ATTACKS[key]!;
    const [method, path] = key.split(" ") as [Method, string];
    const before = await snapshot(victimProjectId);
    const response = await mlflowRequest({ token: attacker.token }, method, attack.endpoint?.(victim) ?? path.slice(1), attack.fields(victim));
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
    expect(await snapshot(victimProjectId)).toEqual(before);
  });
});
