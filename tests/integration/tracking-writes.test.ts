import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createProjectWithToken, mlflowCaller } from "../factories";

/**
 * The single requests that are written in one statement (log-metric, log-parameter, set-tag, a batch
 * of only metrics, runs/create, runs/update) answer every refusal as before, write nothing when they
 * refuse, and store a point sent twice once.
 */
async function trackedRun() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const call = mlflowCaller(project.slug, plaintext);
  const experimentId = String((await call("POST", "experiments/create", { name: "writes" })).body.experiment_id);
  const created = await call("POST", "runs/create", { experiment_id: experimentId, run_name: "first" });
  const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
  const getRun = async () =>
    (await call("GET", "runs/get", undefined, `?run_id=${runId}`)).body.run as {
      info: { status: string; run_name: string; end_time?: number; lifecycle_stage: string };
      data: { metrics: { key: string; value: number; step: number }[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] };
    };
  return { project, call, experimentId, runId, getRun };
}

const refusal = (response: { status: number; body: Record<string, unknown> }) => [response.status, response.body.error_code];
const single = {
  "runs/log-metric": { key: "late", value: 1, timestamp: 1, step: 0 },
  "runs/log-parameter": { key: "late", value: "1" },
  "runs/set-tag": { key: "late", value: "1" },
  "runs/log-batch": { metrics: [{ key: "late", value: 1, timestamp: 1, step: 0 }] },
} as const;

async function storedFor(runId: string) {
  const run = await db().run.findUniqueOrThrow({ where: { id: runId }, select: { seq: true } });
  return {
    points: await db().metricPoint.count({ where: { runSeq: run.seq } }),
    params: await db().param.count({ where: { runId } }),
    tags: await db().runTag.findMany({ where: { runId }, select: { key: true } }),
  };
}

describe("single writes to a run", () => {
  it("refuses a deleted run with 400 naming its state, and writes nothing", async () => {
    const { call, runId } = await trackedRun();
    expect((await call("POST", "runs/delete", { run_id: runId })).status).toBe(200);
    const before = await storedFor(runId);
    for (const [endpoint, fields] of Object.entries(single)) {
      const refused = await call("POST", endpoint, { run_id: runId, ...fields });
      expect(refusal(refused), endpoint).toEqual([400, "INVALID_PARAMETER_VALUE"]);
      expect(refused.body.message).toContain("must be in the 'active' state. Current state is deleted.");
    }
    expect(await storedFor(runId)).toEqual(before);
  });

  it("answers 404 for a run of another project or no run at all, and writes nothing there", async () => {
    const mine = await trackedRun();
    const theirs = await trackedRun();
    const before = await storedFor(theirs.runId);
    for (const runId of [theirs.runId, "0".repeat(32)]) {
      for (const [endpoint, fields] of Object.entries(single)) {
        const refused = await mine.call("POST", endpoint, { run_id: runId, ...fields });
        expect(refusal(refused), endpoint).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
        expect(refused.body.message).toContain(`Run with id=${runId} not found`);
      }
    }
    expect(await storedFor(theirs.runId)).toEqual(before);
  });

  it("keeps logging to a finished run, as MLflow does", async () => {
    const { call, runId, getRun } = await trackedRun();
    expect((await call("POST", "runs/update", { run_id: runId, status: "FINISHED", end_time: 10 })).status).toBe(200);
    for (const [endpoint, fields] of Object.entries(single)) expect((await call("POST", endpoint, { run_id: runId, ...fields })).status, endpoint).toBe(200);
    const run = await getRun();
    expect(run.info.status).toBe("FINISHED");
    expect(run.data.metrics).toEqual([{ key: "late", value: 1, timestamp: 1, step: 0 }]);
    expect(run.data.params).toEqual([{ key: "late", value: "1" }]);
    expect(run.data.tags).toContainEqual({ key: "late", value: "1" });
  });

  it("stores a point sent twice once, and points differing only in value both", async () => {
    const { call, runId } = await trackedRun();
    const point = { run_id: runId, key: "loss", value: 0.5, timestamp: 100, step: 1 };
    for (const body of [point, point, { ...point, value: 0.25 }]) expect((await call("POST", "runs/log-metric", body)).status).toBe(200);
    expect((await call("POST", "runs/log-batch", { run_id: runId, metrics: [point, point] })).status).toBe(200);
    const history = await call("GET", "metrics/get-history", undefined, `?run_id=${runId}&metric_key=loss`);
    expect(history.body.metrics).toEqual([
      { key: "loss", value: 0.25, timestamp: 100, step: 1 },
      { key: "loss", value: 0.5, timestamp: 100, step: 1 },
    ]);
  });

  it("stores a large batch sent again, partly overlapping and with a point twice, once per point", async () => {
    const { call, runId, getRun } = await trackedRun();
    const points = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, index) => ({ key: `k${(from + index) % 3}`, value: from + index, timestamp: 1000 + from + index, step: from + index }));
    const first = points(0, 600);
    expect((await call("POST", "runs/log-batch", { run_id: runId, metrics: first })).status).toBe(200);
    expect((await call("POST", "runs/log-batch", { run_id: runId, metrics: [...points(300, 900), first[599]!] })).status).toBe(200);
    const { seq } = await db().run.findUniqueOrThrow({ where: { id: runId }, select: { seq: true } });
    const stored = await db().metricPoint.findMany({ where: { runSeq: seq }, select: { step: true }, orderBy: { step: "asc" } });
    expect(stored.map((point) => Number(point.step))).toEqual(Array.from({ length: 900 }, (_, step) => step));
    expect((await getRun()).data.metrics.map(({ key, step }) => [key, step])).toEqual([["k0", 897], ["k1", 898], ["k2", 899]]);
  });

  it("accepts a param logged again with its value and refuses another value, keeping the first", async () => {
    const { call, runId, getRun } = await trackedRun();
    const param = { run_id: runId, key: "lr", value: "0.1" };
    expect((await call("POST", "runs/log-parameter", param)).status).toBe(200);
    expect((await call("POST", "runs/log-parameter", param)).status).toBe(200);
    const changed = await call("POST", "runs/log-parameter", { ...param, value: "0.2" });
    expect(refusal(changed)).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(changed.body.message).toContain("Changing param values is not allowed. Param with key='lr' was already logged with value='0.1'");
    expect((await getRun()).data.params).toEqual([{ key: "lr", value: "0.1" }]);
  });

  it("refuses a batch naming one param twice with two values, and writes none of it", async () => {
    const { call, runId } = await trackedRun();
    const before = await storedFor(runId);
    const refused = await call("POST", "runs/log-batch", {
      run_id: runId,
      metrics: [{ key: "acc", value: 1, timestamp: 1, step: 1 }],
      params: [{ key: "lr", value: "0.1" }, { key: "lr", value: "0.2" }],
      tags: [{ key: "t", value: "v" }],
    });
    expect(refusal(refused)).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(await storedFor(runId)).toEqual(before);
  });

  it("stores a batch repeating a logged param with its value, and refuses one changing it, writing none of that batch", async () => {
    const { call, runId, getRun } = await trackedRun();
    const batch = (value: string, step: number) => ({
      run_id: runId,
      metrics: [{ key: "acc", value: step / 10, timestamp: step, step }],
      params: [{ key: "lr", value }, { key: `fresh_${step}`, value: "x" }],
      tags: [{ key: `tag_${step}`, value: "v" }],
    });
    expect((await call("POST", "runs/log-batch", batch("0.1", 1))).status).toBe(200);
    expect((await call("POST", "runs/log-batch", batch("0.1", 2))).status).toBe(200);
    const before = await storedFor(runId);
    const changed = await call("POST", "runs/log-batch", batch("0.2", 3));
    expect(refusal(changed)).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(changed.body.message).toContain("Param with key='lr' was already logged with value='0.1'");
    expect(await storedFor(runId)).toEqual(before);
    const { data } = await getRun();
    expect(data.params).toEqual([{ key: "fresh_1", value: "x" }, { key: "fresh_2", value: "x" }, { key: "lr", value: "0.1" }]);
    expect(data.metrics).toEqual([expect.objectContaining({ key: "acc", step: 2, value: 0.2 })]);
  });

  it("lets only the first of two batches logging one new param with different values at once store anything", async () => {
    const { call, runId, getRun } = await trackedRun();
    const batch = (value: string, key: string) => ({ run_id: runId, metrics: [{ key, value: 1, timestamp: 1, step: 1 }], params: [{ key: "seed", value }], tags: [{ key, value }] });
    const answers = await Promise.all(["1", "2", "3", "4"].map((value) => call("POST", "runs/log-batch", batch(value, `from_${value}`))));
    const accepted = answers.flatMap((answer, index) => (answer.status === 200 ? [String(index + 1)] : []));
    expect(accepted).toHaveLength(1);
    for (const answer of answers.filter((each) => each.status !== 200)) expect(refusal(answer)).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    const { data } = await getRun();
    expect(data.params).toEqual([{ key: "seed", value: accepted[0] }]);
    expect(data.metrics.map((metric) => metric.key)).toEqual([`from_${accepted[0]}`]);
    expect(data.tags.filter((tag) => tag.key.startsWith("from_"))).toEqual([{ key: `from_${accepted[0]}`, value: accepted[0] }]);
  });

  it("renames the run through the mlflow.runName tag, audited, and sets other tags without an audit event", async () => {
    const { project, call, runId, getRun } = await trackedRun();
    expect((await call("POST", "runs/set-tag", { run_id: runId, key: "note", value: "x" })).status).toBe(200);
    expect((await call("POST", "runs/set-tag", { run_id: runId, key: "mlflow.runName", value: "second" })).status).toBe(200);
    expect((await getRun()).info.run_name).toBe("second");
    const renames = await db().auditEvent.findMany({ where: { projectId: project.id, action: "run.rename" }, select: { before: true, after: true } });
    expect(renames).toEqual([{ before: { name: "first" }, after: { name: "second" } }]);
  });
});

describe("runs/create", () => {
  it("refuses a missing or deleted experiment, a parent run of another project and two different names, creating nothing", async () => {
    const mine = await trackedRun();
    const theirs = await trackedRun();
    const deleted = String((await mine.call("POST", "experiments/create", { name: "gone" })).body.experiment_id);
    expect((await mine.call("POST", "experiments/delete", { experiment_id: deleted })).status).toBe(200);
    const runsBefore = await db().run.count({ where: { projectId: mine.project.id } });

    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ experiment_id: "999" }, 404, "RESOURCE_DOES_NOT_EXIST", "No experiment with id=999 exists"],
      [{ experiment_id: "x1" }, 400, "INVALID_PARAMETER_VALUE", "Invalid experiment id"],
      [{ experiment_id: deleted }, 400, "INVALID_PARAMETER_VALUE", `The experiment ${deleted} must be in the 'active' state`],
      [
        { experiment_id: mine.experimentId, tags: [{ key: "mlflow.parentRunId", value: theirs.runId }] },
        404,
        "RESOURCE_DOES_NOT_EXIST",
        `Run with id=${theirs.runId} not found`,
      ],
      [
        { experiment_id: mine.experimentId, run_name: "a", tags: [{ key: "mlflow.runName", value: "b" }] },
        400,
        "INVALID_PARAMETER_VALUE",
        "were given and they differ",
      ],
    ];
    for (const [body, status, code, message] of cases) {
      const refused = await mine.call("POST", "runs/create", body);
      expect(refusal(refused), JSON.stringify(body)).toEqual([status, code]);
      expect(refused.body.message).toContain(message);
    }
    expect(await db().run.count({ where: { projectId: mine.project.id } })).toBe(runsBefore);
  });

  it("answers the run as runs/get reads it: tags sorted, nothing logged, under its parent", async () => {
    const { call, experimentId, runId } = await trackedRun();
    const created = await call("POST", "runs/create", {
      experiment_id: experimentId,
      user_id: "ada",
      start_time: 1234,
      tags: [{ key: "z", value: "1" }, { key: "mlflow.parentRunId", value: runId }, { key: "a", value: "2" }],
    });
    expect(created.status).toBe(200);
    const id = (created.body.run as { info: { run_id: string } }).info.run_id;
    const read = await call("GET", "runs/get", undefined, `?run_id=${id}`);
    expect(created.body.run).toEqual(read.body.run);
  });

  it("creates the Default experiment of a project on its first run there", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const created = await mlflowCaller(project.slug, plaintext)("POST", "runs/create", { experiment_id: "0" });
    expect(created.status).toBe(200);
    expect((created.body.run as { info: { experiment_id: string } }).info.experiment_id).toBe("0");
    expect(await db().experiment.findMany({ where: { projectId: project.id }, select: { number: true, name: true } })).toEqual([
      { number: 0, name: "Default" },
    ]);
  });
});

describe("runs/update", () => {
  it("keeps an end time it is not sent, and refuses a deleted or missing run", async () => {
    const { call, runId, getRun } = await trackedRun();
    expect((await call("POST", "runs/update", { run_id: runId, status: "FINISHED", end_time: 50 })).status).toBe(200);
    const answer = await call("POST", "runs/update", { run_id: runId, status: "RUNNING" });
    expect(answer.body.run_info).toMatchObject({ status: "RUNNING", end_time: 50, run_name: "first" });
    expect((await getRun()).info).toMatchObject({ status: "RUNNING", end_time: 50 });

    expect(refusal(await call("POST", "runs/update", { run_id: "f".repeat(32), status: "FAILED" }))).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    expect((await call("POST", "runs/delete", { run_id: runId })).status).toBe(200);
    const refused = await call("POST", "runs/update", { run_id: runId, status: "FAILED" });
    expect(refusal(refused)).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect((await getRun()).info.status).toBe("RUNNING");
  });

  it("renames the run and its mlflow.runName tag, auditing only a new name", async () => {
    const { project, call, runId, getRun } = await trackedRun();
    for (const name of ["second", "second"]) expect((await call("POST", "runs/update", { run_id: runId, run_name: name })).status).toBe(200);
    const run = await getRun();
    expect(run.info.run_name).toBe("second");
    expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: "second" });
    const renames = await db().auditEvent.findMany({ where: { projectId: project.id, action: "run.rename" }, select: { before: true, after: true } });
    expect(renames).toEqual([{ before: { name: "first" }, after: { name: "second" } }]);
  });
});

describe("metrics/get-history", () => {
  it("answers 404 for a missing run before any other refusal, and 400 for a bad page of an existing one", async () => {
    const { call, runId } = await trackedRun();
    const missing = "e".repeat(32);
    expect(refusal(await call("GET", "metrics/get-history", undefined, `?run_id=${missing}&metric_key=loss`))).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    expect(refusal(await call("GET", "metrics/get-history", undefined, `?run_id=${missing}&metric_key=loss&page_token=nope`))).toEqual([
      404,
      "RESOURCE_DOES_NOT_EXIST",
    ]);
    expect(refusal(await call("GET", "metrics/get-history", undefined, `?run_id=${runId}&metric_key=loss&page_token=nope`))).toEqual([
      400,
      "INVALID_PARAMETER_VALUE",
    ]);
    expect((await call("GET", "metrics/get-history", undefined, `?run_id=${runId}&metric_key=loss`)).body).toEqual({ metrics: [] });
  });
});

describe("params and tags from every write path", () => {
  it("are found by a search on them, and only on their own run", async () => {
    const { call, experimentId, runId } = await trackedRun();
    const other = await call("POST", "runs/create", { experiment_id: experimentId, run_name: "other" });
    const otherId = (other.body.run as { info: { run_id: string } }).info.run_id;
    const created = await call("POST", "runs/create", { experiment_id: experimentId, run_name: "tagged", tags: [{ key: "created", value: "yes" }] });
    const taggedId = (created.body.run as { info: { run_id: string } }).info.run_id;
    const writes: [string, Record<string, unknown>][] = [
      ["runs/update", { run_id: runId, run_name: "renamed" }],
      ["runs/log-parameter", { run_id: runId, key: "single", value: "1" }],
      ["runs/set-tag", { run_id: runId, key: "single", value: "1" }],
      ["runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }], params: [{ key: "batched", value: "2" }], tags: [{ key: "batched", value: "2" }] }],
      // `single` again with its value: the batch goes the transactional way.
      ["runs/log-batch", { run_id: runId, params: [{ key: "single", value: "1" }, { key: "again", value: "3" }], tags: [{ key: "again", value: "3" }] }],
      ["runs/log-model", { run_id: runId, model_json: JSON.stringify({ artifact_path: "model", run_id: runId, flavors: {} }) }],
    ];
    for (const [endpoint, body] of writes) expect((await call("POST", endpoint, body)).status, endpoint).toBe(200);

    const found = async (filter: string) => {
      const { body } = await call("POST", "runs/search", { experiment_ids: [experimentId], filter });
      return ((body.runs ?? []) as { info: { run_id: string } }[]).map((run) => run.info.run_id);
    };
    for (const filter of [
      "tags.`mlflow.runName` = 'renamed'",
      "params.single = '1'",
      "tags.single = '1'",
      "params.batched = '2' AND metrics.m = 1",
      "tags.batched = '2'",
      "params.again = '3'",
      "tags.again = '3'",
      "tags.`mlflow.log-model.history` LIKE '%model%'",
    ]) {
      expect(await found(filter), filter).toEqual([runId]);
    }
    expect(await found("tags.created = 'yes'")).toEqual([taggedId]);
    expect(await found("tags.`mlflow.runName` = 'other'")).toEqual([otherId]);
  });
});
