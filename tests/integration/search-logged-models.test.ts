import { describe, expect, it } from "vitest";
import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";
import { resolveProjectAccess } from "@/server/services/access";
import { putArtifact, storagePathOf } from "@/server/services/artifacts";
import { createLoggedModel, finalizeLoggedModel } from "@/server/services/logged-models";
import { createRun } from "@/server/services/runs";
import { createProjectWithToken, mlflowCaller, systemActor } from "../factories";

async function seeded() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const model = async (name: string, params: Record<string, string>, tags: Record<string, string>) => {
    const created = await createLoggedModel(access, {
      experimentId: "0",
      name,
      sourceRunId: run.id,
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    return created.id;
  };
  const forest = await model("forest", { depth: "8" }, { team: "risk" });
  const linear = await model("linear", { depth: "1" }, {});
  const forest2 = await model("forest", { depth: "12" }, { team: "growth" });
  await finalizeLoggedModel(access, forest, "LOGGED_MODEL_READY");
  const call = mlflowCaller(project.slug, plaintext);
  const search = async (body: Record<string, unknown>) => {
    const { status, body: answer } = await call("POST", "logged-models/search", { experiment_ids: ["0"], ...body });
    return { status, body: answer as { models?: { info: { model_id: string } }[]; next_page_token?: string; error_code?: string; message?: string } };
  };
  const logMetric = async (modelId: string, metric: { key: string; value: number | string; step: number; dataset_name?: string; dataset_digest?: string }) => {
    const logged = await call("POST", "runs/log-metric", { run_id: run.id, model_id: modelId, timestamp: 1_700_000_000_000 + metric.step, ...metric });
    expect(logged.status).toBe(200);
  };
  return { search, logMetric, forest, linear, forest2, runId: run.id };
}

const ids = (body: { models?: { info: { model_id: string } }[] }) => (body.models ?? []).map((model) => model.info.model_id);

describe("POST logged-models/search", () => {
  it("filters by name as the mlflow client does, and by params, tags and status", async () => {
    const { search, forest, linear, forest2 } = await seeded();
    expect(ids((await search({ filter: "name = 'forest'" })).body).sort()).toEqual([forest, forest2].sort());
    expect(ids((await search({ filter: "params.depth = '1'" })).body)).toEqual([linear]);
    expect(ids((await search({ filter: "tags.team IS NULL" })).body)).toEqual([linear]);
    expect(ids((await search({ filter: "name = 'forest' AND status = 'LOGGED_MODEL_READY'" })).body)).toEqual([forest]);
    expect(ids((await search({ filter: "tags.team = 'risk' OR params.depth = '1'" })).body).sort()).toEqual([forest, linear].sort());
  });

  it("orders by the client's order_by objects and pages without repeats", async () => {
    const { search, forest, linear, forest2 } = await seeded();
    const ordered = await search({ order_by: [{ field_name: "name", ascending: false }, { field_name: "creation_timestamp", ascending: true }] });
    expect(ids(ordered.body)).toEqual([linear, forest, forest2]);
    const first = await search({ max_results: 2, order_by: [{ field_name: "name" }] });
    expect(first.body.next_page_token).toBeTruthy();
    const second = await search({ max_results: 2, order_by: [{ field_name: "name" }], page_token: first.body.next_page_token });
    expect([...ids(first.body), ...ids(second.body)].sort()).toEqual([forest, linear, forest2].sort());
    expect(second.body.next_page_token).toBeUndefined();
  });

  it("filters and orders by a model's latest metric, optionally for given datasets", async () => {
    const { search, logMetric, forest, linear, forest2 } = await seeded();
    // forest: acc 0.7 then 0.9 on eval; linear: 0.6 on eval, 0.95 on train; forest2: no acc at all.
    await logMetric(forest, { key: "acc", value: 0.7, step: 1, dataset_name: "eval", dataset_digest: "e1" });
    await logMetric(forest, { key: "acc", value: 0.9, step: 2, dataset_name: "eval", dataset_digest: "e1" });
    await logMetric(linear, { key: "acc", value: 0.6, step: 1, dataset_name: "eval", dataset_digest: "e1" });
    await logMetric(linear, { key: "acc", value: 0.95, step: 2, dataset_name: "train", dataset_digest: "t1" });
    await logMetric(forest2, { key: "loss", value: "NaN", step: 1 });

    expect(ids((await search({ filter: "metrics.acc > 0.8" })).body).sort()).toEqual([forest, linear].sort());
    expect(ids((await search({ filter: "metrics.acc > 0.8", datasets: [{ dataset_name: "eval" }] })).body)).toEqual([forest]);
    expect(ids((await search({ filter: "metrics.acc < 0.8", datasets: [{ dataset_name: "eval", dataset_digest: "e1" }] })).body)).toEqual([linear]);
    expect(ids((await search({ filter: "metrics.acc > 0", datasets: [{ dataset_name: "eval", dataset_digest: "other" }] })).body)).toEqual([]);
    expect(ids((await search({ filter: "metrics.acc > 0.8 OR params.depth = '12'" })).body).sort()).toEqual([forest, linear, forest2].sort());

    const byAcc = await search({ order_by: [{ field_name: "metrics.acc", ascending: false }] });
    expect(ids(byAcc.body)).toEqual([linear, forest, forest2]);
    const byEvalAcc = await search({ order_by: [{ field_name: "metrics.acc", ascending: false, dataset_name: "eval" }] });
    expect(ids(byEvalAcc.body)).toEqual([forest, linear, forest2]);
    // NaN after every number and before models without the metric, in both directions.
    const byLoss = await search({ order_by: [{ field_name: "metrics.loss", ascending: false }, { field_name: "name" }] });
    expect(ids(byLoss.body)).toEqual([forest2, forest, linear]);
  });

  it("refuses bad filters and misplaced datasets with INVALID_PARAMETER_VALUE", async () => {
    const { search } = await seeded();
    for (const body of [
      { filter: "name = " },
      { filter: "metrics.acc > 'high'" },
      { filter: "metrics.acc IS NULL" },
      { order_by: [{ field_name: "name", dataset_name: "eval" }] },
      { order_by: [{ field_name: "metrics.acc", dataset_digest: "e1" }] },
      { datasets: [{ dataset_digest: "e1" }] },
    ]) {
      const refused = await search(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    expect((await search({ filter: "name = " })).body.message).toMatch(/Invalid filter at position/);
  });

  it("finds nothing in another project's experiments", async () => {
    const mine = await seeded();
    const theirs = await seeded();
    expect(ids((await theirs.search({ filter: "name = 'forest'" })).body)).not.toContain(mine.forest);
  });
});

describe("GET logged-models/{id}/artifacts/directories", () => {
  it("lists a folder of the model's artifacts and refuses paths that leave it", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const access = await resolveProjectAccess(systemActor, project.slug);
    const model = await createLoggedModel(access, { experimentId: "0", name: "net", params: [], tags: [] });
    const root = storagePathOf(model.artifactUri)!;
    await putArtifact(access, `${root}/MLmodel`, Buffer.from("flavors: {}\n"), { size: 12 });
    await putArtifact(access, `${root}/data/weights.bin`, Buffer.from("0123456789"), { size: 10 });
    const call = mlflowCaller(project.slug, plaintext);
    const list = (query = "") => call("GET", `logged-models/${model.id}/artifacts/directories`, undefined, query);

    const top = await list();
    expect(top.body).toEqual({
      root_uri: model.artifactUri,
      files: expect.arrayContaining([{ path: "MLmodel", is_dir: false, file_size: 12 }, { path: "data", is_dir: true }]),
    });
    expect((await list("?artifact_directory_path=data")).body.files).toEqual([{ path: "data/weights.bin", is_dir: false, file_size: 10 }]);
    expect((await list("?artifact_directory_path=empty")).body.files).toEqual([]);
    const escape = await list("?artifact_directory_path=../../other");
    expect([escape.status, escape.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);

    const other = await createProjectWithToken("MEMBER", ["read", "write"]);
    const foreign = await mlflowCaller(other.project.slug, other.plaintext)("GET", `logged-models/${model.id}/artifacts/directories`);
    expect([foreign.status, foreign.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
  });
});

/**
 * Calls the MLflow edge as Next.js routes `/projects/<slug>/api/2.0/mlflow/[...path]`: `endpoint` is
 * the URL's path, still percent-encoded, and each of its segments reaches the handler decoded once.
 */
function viaNextRoute(projectSlug: string, token: string) {
  return async (method: "GET" | "PATCH" | "DELETE", endpoint: string, body?: Record<string, unknown>) => {
    const response = await handleMlflowRequest(
      new Request(`http://tally.test/projects/${projectSlug}/api/2.0/mlflow/${endpoint}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
      { projectSlug, segments: endpoint.split("/").map(decodeURIComponent) },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

describe("DELETE logged-models/{id}/tags/{key}", () => {
  it("deletes exactly the tag named by the once-decoded key; a key with a literal '%' is never decoded again", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const access = await resolveProjectAccess(systemActor, project.slug);
    const model = (await createLoggedModel(access, { experimentId: "0", name: "net", params: [], tags: [] })).id;
    const call = viaNextRoute(project.slug, plaintext);
    const tagKeys = async () => {
      const { body } = await call("GET", `logged-models/${model}`);
      return (body.model as { info: { tags: { key: string }[] } }).info.tags.map((tag) => tag.key);
    };
    const setTags = await call("PATCH", `logged-models/${model}/tags`, {
      tags: [
        { key: "acc top", value: "0.9" },
        { key: "eval/acc top 5", value: "0.8" },
      ],
    });
    expect(setTags.status).toBe(200);

    // Key "acc%20top" (sent as acc%2520top) names no tag: decoding it again would delete "acc top".
    for (const [encoded, key] of [
      ["acc%2520top", "acc%20top"],
      ["%25", "%"],
      ["100%25%20top", "100% top"],
    ] as const) {
      const refused = await call("DELETE", `logged-models/${model}/tags/${encoded}`);
      expect(refused.status, key).toBe(404);
      expect(refused.body).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST", message: `No tag with key '${key}' on logged model ${model}` });
    }
    expect(await tagKeys()).toEqual(["acc top", "eval/acc top 5"]);

    // What the client sends for keys with spaces and slashes deletes exactly that tag.
    expect((await call("DELETE", `logged-models/${model}/tags/acc%20top`)).status).toBe(200);
    expect(await tagKeys()).toEqual(["eval/acc top 5"]);
    expect((await call("DELETE", `logged-models/${model}/tags/eval/acc%20top%205`)).status).toBe(200);
    expect(await tagKeys()).toEqual([]);
  });
});
