import { describe, expect, it } from "vitest";
import { withPgTransaction } from "@/server/db/pool";
import { resolveProjectAccess } from "@/server/services/access";
import { createLoggedModel } from "@/server/services/logged-models";
import { metricStore } from "@/server/services/metrics";
import { createRun } from "@/server/services/runs";
import { db } from "@/server/db/client";
import { createProjectWithToken, mlflowCaller, mlflowRequest, systemActor } from "../factories";

/**
 * Metrics logged with a model_id belong to that logged model, so the model must be of the caller's
 * project: a write token of one project must not add points to, or reorder, another project's models.
 */
async function projectWithModel() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const model = await createLoggedModel(access, { experimentId: "0", name: "model", params: [], tags: [] });
  const secondModel = await createLoggedModel(access, { experimentId: "0", name: "other", params: [], tags: [] });
  return { call: mlflowCaller(project.slug, plaintext), runId: run.id, modelId: model.id, otherModelId: secondModel.id };
}

type ModelBody = { model: { data: { metrics: { key: string; value: number; run_id: string }[] } } };

async function modelMetrics(call: ReturnType<typeof mlflowCaller>, modelId: string) {
  const { body } = await call("GET", `logged-models/${modelId}`);
  return (body as unknown as ModelBody).model.data.metrics.map(({ key, value, run_id }) => ({ key, value, run_id }));
}

async function searchIds(call: ReturnType<typeof mlflowCaller>, body: Record<string, unknown>) {
  const { body: answer } = await call("POST", "logged-models/search", { experiment_ids: ["0"], ...body });
  return ((answer.models ?? []) as { info: { model_id: string } }[]).map((model) => model.info.model_id);
}

async function runMetricCount(runId: string) {
  const run = await db().run.findUniqueOrThrow({ where: { id: runId }, select: { seq: true } });
  return db().latestMetric.count({ where: { runSeq: run.seq } });
}

describe("metrics logged against a logged model of another project", () => {
  it("are refused on log-metric and log-batch, writing nothing, and leave the model's metrics and search unchanged", async () => {
    const a = await projectWithModel();
    const b = await projectWithModel();
    const ts = 1_700_000_000_000;
    expect((await a.call("POST", "runs/log-metric", { run_id: a.runId, model_id: a.modelId, key: "acc", value: 0.5, timestamp: ts })).status).toBe(200);
    const before = await modelMetrics(a.call, a.modelId);

    const single = await b.call("POST", "runs/log-metric", { run_id: b.runId, model_id: a.modelId, key: "acc", value: 0.99, timestamp: ts, step: 5 });
    expect(single.status).toBe(404);
    expect(single.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");

    // A batch mixing B's own model with A's: nothing of it is stored, not even B's own points or params.
    const batch = await b.call("POST", "runs/log-batch", {
      run_id: b.runId,
      metrics: [
        { key: "acc", value: 0.1, timestamp: ts, model_id: b.modelId },
        { key: "acc", value: 0.99, timestamp: ts, step: 5, model_id: a.modelId },
      ],
      params: [{ key: "p", value: "1" }],
    });
    expect(batch.status).toBe(404);
    expect(batch.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(await runMetricCount(b.runId)).toBe(0);
    expect(await modelMetrics(b.call, b.modelId)).toEqual([]);
    expect(await db().param.count({ where: { runId: b.runId } })).toBe(0);

    expect(await modelMetrics(a.call, a.modelId)).toEqual(before);
    expect(await searchIds(a.call, { filter: "metrics.acc > 0.9" })).toEqual([]);
    expect(await searchIds(a.call, { filter: "metrics.acc = 0.5" })).toEqual([a.modelId]);
  });

  it("are ignored when already stored: the model's page and search read only points of its own project's runs", async () => {
    const a = await projectWithModel();
    const b = await projectWithModel();
    const ts = 1_700_000_000_000;
    expect((await a.call("POST", "runs/log-metric", { run_id: a.runId, model_id: a.modelId, key: "acc", value: 0.5, timestamp: ts })).status).toBe(200);
    expect((await a.call("POST", "runs/log-metric", { run_id: a.runId, model_id: a.otherModelId, key: "acc", value: 0.7, timestamp: ts })).status).toBe(200);
    // A point written before the check existed: B's run, A's model, a later step that would win.
    const bRun = await db().run.findUniqueOrThrow({ where: { id: b.runId }, select: { seq: true } });
    await withPgTransaction((client) =>
      metricStore().append(client, Number(bRun.seq), [{ key: "acc", value: 0.99, timestamp: ts, step: 9, modelId: a.modelId }]),
    );

    expect(await modelMetrics(a.call, a.modelId)).toEqual([{ key: "acc", value: 0.5, run_id: a.runId }]);
    expect(await searchIds(a.call, { filter: "metrics.acc > 0.9" })).toEqual([]);
    expect(await searchIds(a.call, { filter: "metrics.acc = 0.5" })).toEqual([a.modelId]);
    expect(await searchIds(a.call, { order_by: [{ field_name: "metrics.acc", ascending: false }] })).toEqual([a.otherModelId, a.modelId]);
  });
});

describe("logged-model params written concurrently", () => {
  it("keep the first value: of two racing writers of one new key, the other gets INVALID_PARAMETER_VALUE, never a 500", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const target = { projectSlug: project.slug, token: plaintext };
    const created = await mlflowRequest(target, "POST", "logged-models", { experiment_id: "0", name: "racer" });
    const modelId = (created.body.model as { info: { model_id: string } }).info.model_id;
    for (let round = 0; round < 5; round++) {
      const key = `lr_${round}`;
      const answers = await Promise.all(
        ["0.1", "0.2"].map((value) => mlflowRequest(target, "POST", `logged-models/${modelId}/params`, { params: [{ key, value }] })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
      expect(answers.find((answer) => answer.status === 400)!.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    const same = await Promise.all([1, 2].map(() => mlflowRequest(target, "POST", `logged-models/${modelId}/params`, { params: [{ key: "seed", value: "7" }] })));
    expect(same.map((answer) => answer.status)).toEqual([200, 200]);
  });
});
