import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_EXPERIMENT_TAG_VALUE_LENGTH, MAX_PARAM_VALUE_LENGTH, MAX_RUN_TAG_VALUE_LENGTH } from "@/lib/schemas/mlflow";
import { db } from "@/server/db/client";
import { createProjectWithToken, mlflowCaller } from "../factories";

/**
 * Values at MLflow's documented size limits must be stored and found again, whatever they contain.
 * Random text does not compress, so an index that tries to hold whole values (PostgreSQL's btree
 * refuses entries over ~2.7 kB) fails here rather than in a user's training job.
 */
function incompressible(length: number): string {
  return randomBytes(length).toString("base64").slice(0, length);
}

/** Three-byte UTF-8 characters: the same character limit, three times the bytes. */
function incompressibleWide(length: number): string {
  return Array.from({ length }, () => String.fromCodePoint(0x4e00 + randomInt(0x5000))).join("");
}

async function project() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const call = mlflowCaller(project.slug, plaintext);
  const created = await call("POST", "runs/create", { experiment_id: "0" });
  const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
  return { call, runId };
}

type RunData = { params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] };

async function runData(call: Awaited<ReturnType<typeof project>>["call"], runId: string): Promise<RunData> {
  const { body } = await call("GET", "runs/get", undefined, `?run_id=${runId}`);
  return (body.run as { data: RunData }).data;
}

describe("values at MLflow's size limits", () => {
  it("stores a param of the maximum length with random content and finds the run by it", async () => {
    const { call, runId } = await project();
    const value = incompressible(MAX_PARAM_VALUE_LENGTH);
    const logged = await call("POST", "runs/log-parameter", { run_id: runId, key: "long", value });
    expect(logged.status).toBe(200);
    expect((await runData(call, runId)).params).toContainEqual({ key: "long", value });

    const found = await call("POST", "runs/search", { experiment_ids: ["0"], filter: `params.long = '${value}'` });
    expect((found.body.runs as { info: { run_id: string } }[]).map((run) => run.info.run_id)).toEqual([runId]);
  });

  it("stores a full batch of maximum-length wide-character params and tags", async () => {
    const { call, runId } = await project();
    const params = Array.from({ length: 100 }, (_, index) => ({ key: `p${index}`, value: incompressibleWide(MAX_PARAM_VALUE_LENGTH) }));
    const tags = Array.from({ length: 100 }, (_, index) => ({ key: `t${index}`, value: incompressibleWide(MAX_RUN_TAG_VALUE_LENGTH) }));
    const logged = await call("POST", "runs/log-batch", { run_id: runId, params, tags });
    expect(logged.status).toBe(200);
    const data = await runData(call, runId);
    expect(data.params).toEqual(expect.arrayContaining(params));
    expect(data.tags).toEqual(expect.arrayContaining(tags));
  });

  it("stores a maximum-length run name tag and experiment tag", async () => {
    const { call, runId } = await project();
    const runName = incompressible(MAX_RUN_TAG_VALUE_LENGTH);
    expect((await call("POST", "runs/set-tag", { run_id: runId, key: "mlflow.runName", value: runName })).status).toBe(200);
    const info = (await call("GET", "runs/get", undefined, `?run_id=${runId}`)).body.run as { info: { run_name: string } };
    expect(info.info.run_name).toBe(runName);

    const experimentTag = incompressibleWide(MAX_EXPERIMENT_TAG_VALUE_LENGTH);
    expect((await call("POST", "experiments/set-experiment-tag", { experiment_id: "0", key: "about", value: experimentTag })).status).toBe(200);
    const experiment = (await call("GET", "experiments/get", undefined, "?experiment_id=0")).body.experiment as { tags: { key: string; value: string }[] };
    expect(experiment.tags).toContainEqual({ key: "about", value: experimentTag });
  });

  it("stores a maximum-length experiment name of wide characters", async () => {
    const { call } = await project();
    const name = incompressibleWide(500);
    const created = await call("POST", "experiments/create", { name });
    expect(created.status).toBe(200);
    const found = await call("GET", "experiments/get-by-name", undefined, `?experiment_name=${encodeURIComponent(name)}`);
    expect((found.body.experiment as { experiment_id: string }).experiment_id).toBe(created.body.experiment_id);
  });

  it("stores maximum-length logged-model params and tags", async () => {
    const { call, runId } = await project();
    const params = [{ key: "arch", value: incompressible(MAX_PARAM_VALUE_LENGTH) }];
    const tags = [{ key: "card", value: incompressible(MAX_RUN_TAG_VALUE_LENGTH) }];
    const created = await call("POST", "logged-models", { experiment_id: "0", source_run_id: runId, params, tags });
    expect(created.status).toBe(200);
    const modelId = (created.body.model as { info: { model_id: string } }).info.model_id;
    const more = [{ key: "more", value: incompressible(MAX_PARAM_VALUE_LENGTH) }];
    expect((await call("POST", `logged-models/${modelId}/params`, { params: more })).status).toBe(200);
    const model = (await call("GET", `logged-models/${modelId}`)).body.model as {
      info: { tags: { key: string; value: string }[] };
      data: { params: { key: string; value: string }[] };
    };
    expect(model.data.params).toEqual(expect.arrayContaining([...params, ...more]));
    expect(model.info.tags).toEqual(expect.arrayContaining(tags));
  });

  it("stores a dataset with a maximum-length name and a large source", async () => {
    const { call, runId } = await project();
    const dataset = {
      name: incompressibleWide(500),
      digest: incompressible(36),
      source_type: "local",
      source: incompressible(65_535),
    };
    const logged = await call("POST", "runs/log-inputs", { run_id: runId, datasets: [{ dataset, tags: [] }] });
    expect(logged.status).toBe(200);
    const run = (await call("GET", "runs/get", undefined, `?run_id=${runId}`)).body.run as {
      inputs: { dataset_inputs: { dataset: typeof dataset }[] };
    };
    expect(run.inputs.dataset_inputs.map((input) => input.dataset)).toEqual([expect.objectContaining(dataset)]);
  });

  it("refuses a param one character over the limit and writes nothing", async () => {
    const { call, runId } = await project();
    const refused = await call("POST", "runs/log-batch", {
      run_id: runId,
      params: [{ key: "fine", value: "1" }, { key: "long", value: incompressible(MAX_PARAM_VALUE_LENGTH + 1) }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(String(refused.body.message)).toMatch(/at most 6000 characters/);
    expect(await db().param.count({ where: { runId } })).toBe(0);
  });
});
