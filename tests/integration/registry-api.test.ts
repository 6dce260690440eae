import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { TokenScope } from "@/lib/rbac";
import { resolveProjectAccess } from "@/server/services/access";
import { createProjectWithToken, mlflowCaller, mlflowRequest, systemActor, uniqueSuffix } from "../factories";

/** The model registry through MLflow's REST API, as its client calls it. */

type Call = ReturnType<typeof mlflowCaller>;
let project: Awaited<ReturnType<typeof createProjectWithToken>>;
let call: Call;
let runId: string;
let artifactUri: string;

const request = (method: "GET" | "POST" | "PATCH" | "DELETE", endpoint: string, fields: Record<string, unknown> = {}) =>
  mlflowRequest({ projectSlug: project.project.slug, token: project.plaintext }, method, endpoint, fields);

const history = async (name: string) => {
  const model = await db().registeredModel.findFirstOrThrow({ where: { projectId: project.project.id, name } });
  return db().registryEvent.findMany({ where: { modelId: model.id }, orderBy: { id: "asc" } });
};

beforeAll(async () => {
  project = await createProjectWithToken("MEMBER", ["read", "write"]);
  call = mlflowCaller(project.project.slug, project.plaintext);
  const run = (await call("POST", "runs/create", { experiment_id: "0" })).body as { run: { info: { run_id: string; artifact_uri: string } } };
  runId = run.run.info.run_id;
  artifactUri = run.run.info.artifact_uri;
});

describe("registered models and versions", () => {
  it("registers versions from a run as READY, numbered from 1, with the run's artifacts as their location", async () => {
    const name = `rm-${uniqueSuffix()}`;
    expect((await request("POST", "registered-models/create", { name, tags: [{ key: "team", value: "cv" }] })).status).toBe(200);
    const created = await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId });
    expect(created.status).toBe(200);
    expect(created.body.model_version).toMatchObject({ name, version: "1", status: "READY", current_stage: "None", run_id: runId });
    const uri = await request("GET", "model-versions/get-download-uri", { name, version: "1" });
    expect(uri.body).toEqual({ artifact_uri: `${artifactUri}/model` });
    const model = await request("GET", "registered-models/get", { name });
    expect(model.body.registered_model).toMatchObject({
      name,
      tags: [{ key: "team", value: "cv" }],
      latest_versions: [expect.objectContaining({ version: "1" })],
      aliases: [],
    });
    expect((await history(name)).map((event) => [event.kind, event.version])).toEqual([
      ["model.create", null],
      ["version.create", 1],
    ]);
  });

  it("refuses a duplicate name, a bad name, a version of a missing model and a source with '..', writing nothing", async () => {
    const name = `rm-${uniqueSuffix()}`;
    await request("POST", "registered-models/create", { name });
    const cases: [string, Record<string, unknown>, number, string][] = [
      ["registered-models/create", { name }, 400, "RESOURCE_ALREADY_EXISTS"],
      ["registered-models/create", { name: "a/b" }, 400, "INVALID_PARAMETER_VALUE"],
      ["registered-models/create", { name: "" }, 400, "INVALID_PARAMETER_VALUE"],
      ["model-versions/create", { name: `${name}-missing`, source: "mlflow-artifacts:/x" }, 404, "RESOURCE_DOES_NOT_EXIST"],
      ["model-versions/create", { name, source: "mlflow-artifacts:/1/../../secret" }, 400, "INVALID_PARAMETER_VALUE"],
      ["model-versions/create", { name, source: "runs:/0123456789abcdef0123456789abcdef/model" }, 404, "RESOURCE_DOES_NOT_EXIST"],
    ];
    for (const [endpoint, body, status, code] of cases) {
      const response = await request("POST", endpoint, body);
      expect([endpoint, response.status, response.body.error_code]).toEqual([endpoint, status, code]);
    }
    expect(await db().registeredModel.count({ where: { projectId: project.project.id, name: { startsWith: name } } })).toBe(1);
    expect((await history(name)).map((event) => event.kind)).toEqual(["model.create"]);
  });

  it("moves stages, archives the others on request, and keeps one history entry per change", async () => {
    const name = `rm-${uniqueSuffix()}`;
    await request("POST", "registered-models/create", { name });
    for (let i = 0; i < 3; i++) await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model` });
    await request("POST", "model-versions/transition-stage", { name, version: "1", stage: "staging", archive_existing_versions: false });
    const moved = await request("POST", "model-versions/transition-stage", { name, version: "2", stage: "Staging", archive_existing_versions: true });
    expect(moved.body.model_version).toMatchObject({ current_stage: "Staging" });
    const refused = await request("POST", "model-versions/transition-stage", { name, version: "3", stage: "None", archive_existing_versions: true });
    expect(refused.status).toBe(400);
    const latest = await request("POST", "registered-models/get-latest-versions", { name, stages: ["STAGING", "archived"] });
    expect((latest.body.model_versions as { version: string; current_stage: string }[]).map((v) => [v.version, v.current_stage])).toEqual([
      ["2", "Staging"],
      ["1", "Archived"],
    ]);
    const stageEvents = (await history(name)).filter((event) => event.kind === "version.stage");
    expect(stageEvents.map((event) => [event.version, event.before, event.after])).toEqual([
      [1, { stage: "None" }, { stage: "Staging" }],
      [1, { stage: "Staging" }, { stage: "Archived", archivedBy: 2 }],
      [2, { stage: "None" }, { stage: "Staging" }],
    ]);
  });

  it("sets, moves, reads and deletes aliases; reserved names and missing versions are refused", async () => {
    const name = `rm-${uniqueSuffix()}`;
    await request("POST", "registered-models/create", { name });
    await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model` });
    await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model` });
    expect((await request("POST", "registered-models/alias", { name, alias: "challenger", version: "1" })).status).toBe(200);
    expect((await request("POST", "registered-models/alias", { name, alias: "challenger", version: "2" })).status).toBe(200);
    const byAlias = await request("GET", "registered-models/alias", { name, alias: "challenger" });
    expect(byAlias.body.model_version).toMatchObject({ version: "2", aliases: ["challenger"] });
    for (const alias of ["latest", "V12", "has space", ""]) {
      expect((await request("POST", "registered-models/alias", { name, alias, version: "1" })).body.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    expect((await request("POST", "registered-models/alias", { name, alias: "other", version: "9" })).status).toBe(404);
    expect((await request("DELETE", "registered-models/alias", { name, alias: "challenger" })).status).toBe(200);
    expect((await request("GET", "registered-models/alias", { name, alias: "challenger" })).body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Registered model alias challenger not found.",
    });
    // A missing model is its own error, though the model and the alias are looked up in one query.
    expect((await request("GET", "registered-models/alias", { name: `${name}-missing`, alias: "challenger" })).body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: `Registered Model with name=${name}-missing not found`,
    });
    const aliasEvents = (await history(name)).filter((event) => event.kind.startsWith("alias."));
    expect(aliasEvents.map((event) => [event.kind, event.before, event.after])).toEqual([
      ["alias.set", null, { alias: "challenger", version: 1 }],
      ["alias.set", { alias: "challenger", version: 1 }, { alias: "challenger", version: 2 }],
      ["alias.delete", { alias: "challenger", version: 2 }, null],
    ]);
  });

  it("renames a model keeping versions, aliases, tags and history; the old name no longer exists", async () => {
    const name = `rm-${uniqueSuffix()}`;
    await request("POST", "registered-models/create", { name, description: "d" });
    await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model`, tags: [{ key: "q", value: "ok" }] });
    await request("POST", "registered-models/alias", { name, alias: "prod", version: "1" });
    await request("POST", "registered-models/set-tag", { name, key: "team", value: "cv" });
    const renamed = await request("POST", "registered-models/rename", { name, new_name: `${name}-2` });
    expect(renamed.body.registered_model).toMatchObject({
      name: `${name}-2`,
      description: "d",
      aliases: [{ alias: "prod", version: "1" }],
      tags: [{ key: "team", value: "cv" }],
    });
    expect((await request("GET", "model-versions/get", { name: `${name}-2`, version: "1" })).body.model_version).toMatchObject({
      tags: [{ key: "q", value: "ok" }],
    });
    expect((await request("GET", "registered-models/get", { name })).status).toBe(404);
    expect((await history(`${name}-2`)).map((event) => event.kind)).toEqual(["model.create", "version.create", "alias.set", "model.tag_set", "model.rename"]);
  });

  it("searches models by name and tag, and versions by name and run, with MLflow's grammar plus OR", async () => {
    const prefix = `search-${uniqueSuffix()}`;
    for (const [suffix, team] of [["a", "cv"], ["b", "nlp"], ["c", "cv"]] as const) {
      await request("POST", "registered-models/create", { name: `${prefix}-${suffix}`, tags: [{ key: "team", value: team }] });
      await request("POST", "model-versions/create", { name: `${prefix}-${suffix}`, source: `runs:/${runId}/model`, run_id: runId });
    }
    const names = (body: Record<string, unknown>) => ((body.registered_models ?? []) as { name: string }[]).map((model) => model.name);
    const byTag = await request("GET", "registered-models/search", { filter: `name LIKE '${prefix}%' AND tags.team = 'cv'`, order_by: "name DESC" });
    expect(names(byTag.body)).toEqual([`${prefix}-c`, `${prefix}-a`]);
    const either = await request("GET", "registered-models/search", { filter: `name = '${prefix}-a' OR name = '${prefix}-b'` });
    expect(names(either.body)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const paged = await request("GET", "registered-models/search", { filter: `name LIKE '${prefix}%'`, max_results: 2 });
    expect(names(paged.body)).toHaveLength(2);
    const next = await request("GET", "registered-models/search", { filter: `name LIKE '${prefix}%'`, max_results: 2, page_token: paged.body.next_page_token as string });
    expect(names(next.body)).toEqual([`${prefix}-c`]);
    const versions = await request("GET", "model-versions/search", { filter: `name = '${prefix}-b' AND run_id = '${runId}'` });
    expect((versions.body.model_versions as { name: string; version: string }[]).map((v) => [v.name, v.version])).toEqual([[`${prefix}-b`, "1"]]);
    expect((await request("GET", "registered-models/search", { filter: "params.x = '1'" })).body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("deletes a version (its number is not reused) and a model, keeping the history", async () => {
    const name = `rm-${uniqueSuffix()}`;
    await request("POST", "registered-models/create", { name });
    await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model` });
    await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model` });
    await request("POST", "registered-models/alias", { name, alias: "c", version: "2" });
    expect((await request("DELETE", "model-versions/delete", { name, version: "2" })).status).toBe(200);
    expect((await request("GET", "registered-models/get", { name })).body.registered_model).toMatchObject({ aliases: [] });
    const third = await request("POST", "model-versions/create", { name, source: `runs:/${runId}/model` });
    expect(third.body.model_version).toMatchObject({ version: "3" });
    const model = await db().registeredModel.findFirstOrThrow({ where: { projectId: project.project.id, name } });
    expect((await request("DELETE", "registered-models/delete", { name })).status).toBe(200);
    expect(await db().modelVersion.count({ where: { modelId: model.id } })).toBe(0);
    const kinds = (await db().registryEvent.findMany({ where: { modelId: model.id }, orderBy: { id: "asc" } })).map((event) => event.kind);
    expect(kinds).toEqual(["model.create", "version.create", "version.create", "alias.set", "version.delete", "version.create", "model.delete"]);
    expect(await db().auditEvent.count({ where: { projectId: project.project.id, action: "registry.model.delete", resourceId: name } })).toBe(1);
  });
});

describe("who may change the registry", () => {
  it("a read token reads but changes nothing; another project's token finds nothing", async () => {
    const createToken = async (slug: string, scopes: TokenScope[]) =>
      (await import("@/server/services/api-tokens")).createToken(await resolveProjectAccess(systemActor, slug), { name: `t-${uniqueSuffix()}`, scopes });
    const name = `rm-${uniqueSuffix()}`;
    await request("POST", "registered-models/create", { name });
    const readOnly = mlflowCaller(project.project.slug, (await createToken(project.project.slug, ["read"])).plaintext);
    expect((await readOnly("GET", "registered-models/get", undefined, `?name=${name}`)).status).toBe(200);
    expect((await readOnly("POST", "registered-models/create", { name: `rm-${uniqueSuffix()}` })).status).toBe(403);
    expect((await readOnly("POST", "registered-models/set-tag", { name, key: "k", value: "v" })).status).toBe(403);
    const other = await createProjectWithToken("MEMBER", ["read", "write"]);
    const outsider = mlflowCaller(other.project.slug, other.plaintext);
    expect((await outsider("GET", "registered-models/get", undefined, `?name=${name}`)).status).toBe(404);
    expect((await outsider("GET", "registered-models/search", undefined, `?filter=${encodeURIComponent(`name = '${name}'`)}`)).body).toEqual({
      registered_models: [],
    });
  });
});
