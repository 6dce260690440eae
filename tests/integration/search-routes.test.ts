import { describe, expect, it } from "vitest";
import { resolveProjectAccess } from "@/server/services/access";
import { createExperiment } from "@/server/services/experiments";
import { createRun } from "@/server/services/runs";
import { createProjectWithToken, mlflowCaller, systemActor } from "../factories";

async function project() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const { id: experimentId } = await createExperiment(access, { name: "searched", tags: [] });
  const run = await createRun(access, { experimentId, runName: "only", tags: [] });
  const call = mlflowCaller(project.slug, plaintext);
  return { call, experimentId, runId: run.id };
}

describe("runs/search and experiments/search routes", () => {
  it("returns full runs of the project's experiment", async () => {
    const { call, experimentId, runId } = await project();
    const { status, body } = await call("POST", "runs/search", { experiment_ids: [experimentId], filter: "attributes.run_name = 'only'" });
    expect(status).toBe(200);
    const runs = body.runs as { info: { run_id: string }; data: { tags: { key: string }[] } }[];
    expect(runs.map((run) => run.info.run_id)).toEqual([runId]);
    expect(runs[0]!.data.tags.map((tag) => tag.key)).toContain("mlflow.runName");
  });

  it("finds nothing through another project's experiment ids", async () => {
    const mine = await project();
    const theirs = await project();
    const { body } = await theirs.call("POST", "runs/search", { experiment_ids: [mine.experimentId] });
    const ids = ((body.runs as { info: { run_id: string } }[] | undefined) ?? []).map((run) => run.info.run_id);
    expect(ids).not.toContain(mine.runId);
  });

  it("refuses max_results over 50000 and a bad filter with INVALID_PARAMETER_VALUE", async () => {
    const { call, experimentId } = await project();
    const tooMany = await call("POST", "runs/search", { experiment_ids: [experimentId], max_results: 50_001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const bad = await call("POST", "runs/search", { experiment_ids: [experimentId], filter: "params.x = " });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/Invalid filter at position/);
  });

  it("searches experiments by POST and by GET with repeated order_by", async () => {
    const { call } = await project();
    const posted = await call("POST", "experiments/search", { filter: "name = 'searched'" });
    expect((posted.body.experiments as { name: string }[]).map((experiment) => experiment.name)).toEqual(["searched"]);
    const got = await call("GET", "experiments/search", undefined, "?order_by=name%20ASC&order_by=experiment_id%20ASC&max_results=10");
    expect((got.body.experiments as { name: string }[]).map((experiment) => experiment.name)).toEqual(["Default", "searched"]);
  });
});
