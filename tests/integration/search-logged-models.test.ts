import { describe, expect, it } from "vitest";
import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";
import { resolveProjectAccess } from "@/server/services/access";
import { createLoggedModel, finalizeLoggedModel } from "@/server/services/logged-models";
import { createRun } from "@/server/services/runs";
import { createProjectWithToken, systemActor } from "../factories";

async function seeded() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const model = async (name: string, params: Record<string, string>, tags: Record<string, string>) => {
    const created = await createLoggedModel(access, {
      experimentId: "0",
      name,
      sourceRunId: run.info.run_id,
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    return created.info.model_id;
  };
  const forest = await model("forest", { depth: "8" }, { team: "risk" });
  const linear = await model("linear", { depth: "1" }, {});
  const forest2 = await model("forest", { depth: "12" }, { team: "growth" });
  await finalizeLoggedModel(access, forest, "LOGGED_MODEL_READY");
  const search = async (body: Record<string, unknown>) => {
    const response = await handleMlflowRequest(
      new Request(`http://tally.test/projects/${project.slug}/api/2.0/mlflow/logged-models/search`, {
        method: "POST",
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
        body: JSON.stringify({ experiment_ids: ["0"], ...body }),
      }),
      { projectSlug: project.slug, segments: ["logged-models", "search"] },
    );
    return { status: response.status, body: (await response.json()) as { models?: { info: { model_id: string } }[]; next_page_token?: string; error_code?: string; message?: string } };
  };
  return { search, forest, linear, forest2, runId: run.info.run_id };
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

  it("refuses a metric filter and a bad filter with INVALID_PARAMETER_VALUE", async () => {
    const { search } = await seeded();
    const metric = await search({ filter: "metrics.acc > 0.5" });
    expect(metric.status).toBe(400);
    expect(metric.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const broken = await search({ filter: "name = " });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/Invalid filter at position/);
  });

  it("finds nothing in another project's experiments", async () => {
    const mine = await seeded();
    const theirs = await seeded();
    expect(ids((await theirs.search({ filter: "name = 'forest'" })).body)).not.toContain(mine.forest);
  });
});
