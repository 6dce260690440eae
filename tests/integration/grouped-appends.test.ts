import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { metrics } from "@/server/observability/metrics";
import { createProjectWithToken, mlflowCaller } from "../factories";

/**
 * Small metric writes that arrive together are stored together (one statement, one commit), and
 * each request is still answered for itself: its points stored exactly once, or its own refusal.
 */
async function project() {
  const { plaintext, project: created } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const call = mlflowCaller(created.slug, plaintext);
  const experimentId = String((await call("POST", "experiments/create", { name: "grouped" })).body.experiment_id);
  const newRun = async () =>
    ((await call("POST", "runs/create", { experiment_id: experimentId })).body.run as { info: { run_id: string } }).info.run_id;
  return { call, newRun };
}

async function groupTotals() {
  const values = (await metrics().metricWriteGroups.get()).values;
  const total = (name: string) => values.find((value) => value.metricName === name)?.value ?? 0;
  return { groups: total("tally_metric_write_group_size_count"), writes: total("tally_metric_write_group_size_sum") };
}

async function storedPoints(runId: string) {
  const { seq } = await db().run.findUniqueOrThrow({ where: { id: runId }, select: { seq: true } });
  const points = await db().metricPoint.findMany({ where: { runSeq: seq }, select: { key: true, step: true, value: true }, orderBy: [{ key: "asc" }, { step: "asc" }] });
  const latest = await db().latestMetric.findMany({ where: { runSeq: seq }, select: { key: true, step: true, value: true }, orderBy: { key: "asc" } });
  return { points: points.map((point) => ({ ...point, step: Number(point.step) })), latest: latest.map((point) => ({ ...point, step: Number(point.step) })) };
}

describe("small metric writes sent at the same time", () => {
  it("are stored together, each point once, and each refusal answered to its own request", async () => {
    const mine = await project();
    const theirs = await project();
    const [first, second, deleted] = [await mine.newRun(), await mine.newRun(), await mine.newRun()];
    const foreign = await theirs.newRun();
    expect((await mine.call("POST", "runs/delete", { run_id: deleted })).status).toBe(200);
    const before = await groupTotals();

    const point = (runId: string, key: string, step: number) => ({ run_id: runId, key, value: step / 10, timestamp: 1_700_000_000_000 + step, step });
    const sends = [
      ...Array.from({ length: 40 }, (_, step) => ["ok", "runs/log-metric", point(first, "loss", step)] as const),
      // The same 10 points again: stored once.
      ...Array.from({ length: 10 }, (_, step) => ["ok", "runs/log-metric", point(first, "loss", step)] as const),
      ...Array.from({ length: 20 }, (_, step) => ["ok", "runs/log-batch", { run_id: second, metrics: [point(second, "acc", step), point(second, "lr", 100 - step)].map(({ run_id: _run, ...metric }) => metric) }] as const),
      ...Array.from({ length: 5 }, (_, step) => ["deleted", "runs/log-metric", point(deleted, "loss", step)] as const),
      ...Array.from({ length: 5 }, (_, step) => ["foreign", "runs/log-metric", point(foreign, "loss", step)] as const),
      ...Array.from({ length: 5 }, (_, step) => ["missing", "runs/log-metric", point("f".repeat(32), "loss", step)] as const),
    ];
    const answers = await Promise.all(sends.map(([, endpoint, body]) => mine.call("POST", endpoint, body)));

    const outcomes = answers.map((answer, index) => [sends[index]![0], answer.status, answer.body.error_code ?? "ok"]);
    const expected = { ok: [200, "ok"], deleted: [400, "INVALID_PARAMETER_VALUE"], foreign: [404, "RESOURCE_DOES_NOT_EXIST"], missing: [404, "RESOURCE_DOES_NOT_EXIST"] };
    expect(outcomes).toEqual(sends.map(([kind]) => [kind, ...expected[kind]]));

    const firstStored = await storedPoints(first);
    expect(firstStored.points).toEqual(Array.from({ length: 40 }, (_, step) => ({ key: "loss", step, value: step / 10 })));
    expect(firstStored.latest).toEqual([{ key: "loss", step: 39, value: 3.9 }]);
    const secondStored = await storedPoints(second);
    expect(secondStored.points).toHaveLength(40);
    // lr was logged at steps 100 down to 81: the newest is step 100, whatever order the writes came in.
    expect(secondStored.latest).toEqual([
      { key: "acc", step: 19, value: 1.9 },
      { key: "lr", step: 100, value: 10 },
    ]);
    expect((await storedPoints(deleted)).points).toEqual([]);
    expect((await storedPoints(foreign)).points).toEqual([]);

    // They did go together: fewer groups than writes.
    const after = await groupTotals();
    expect(after.writes - before.writes).toBeGreaterThanOrEqual(70);
    expect(after.groups - before.groups).toBeLessThan(after.writes - before.writes);
  });
});
