import { describe, expect, it } from "vitest";
import { withPgTransaction } from "@/server/db/pool";
import { resolveProjectAccess } from "@/server/services/access";
import { metricStore, type MetricPointInput } from "@/server/services/metrics";
import { createRun, getMetricHistory, getRun } from "@/server/services/runs";
import { callerFor, createTestProject, systemActor } from "../factories";

async function newRun() {
  const { project } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const { db } = await import("@/server/db/client");
  const { seq } = await db().run.findUniqueOrThrow({ where: { id: run.id }, select: { seq: true } });
  return { access, runId: run.id, seq: Number(seq) };
}

const append = (seq: number, points: MetricPointInput[]) =>
  withPgTransaction((client) => metricStore().append(client, seq, points));
const historyOf = async (seq: number, key: string) =>
  (await metricStore().history({ sql: `SELECT $1::int8 AS "seq"`, values: [seq] }, key, { limit: 10 }))!;

describe("PostgreSQL metric store", () => {
  it("stores identical points once, however often they are retried", async () => {
    const { seq } = await newRun();
    const point = { key: "loss", value: 0.5, timestamp: 1000, step: 1 };
    await append(seq, [point, point]);
    await append(seq, [point, { ...point, value: 0.25 }]);
    const history = await historyOf(seq, "loss");
    expect(history.map((p) => p.value)).toEqual([0.25, 0.5]);
  });

  it("keeps the latest value by (step, timestamp, value), whatever order the points arrive in", async () => {
    const { access, runId, seq } = await newRun();
    await append(seq, [{ key: "acc", value: 0.9, timestamp: 5000, step: 10 }]);
    await append(seq, [
      { key: "acc", value: 0.1, timestamp: 9000, step: 2 },
      { key: "acc", value: 0.7, timestamp: 6000, step: 10 },
    ]);
    const run = await getRun(access, runId);
    expect(run.metrics).toEqual([{ key: "acc", value: 0.7, timestamp: 6000, step: 10 }]);
  });

  it("breaks a tie of step and timestamp on the value, NaN highest, within a batch and across batches", async () => {
    const { access, runId, seq } = await newRun();
    await append(seq, [
      { key: "tie", value: 0.5, timestamp: 7, step: 3 },
      { key: "tie", value: Infinity, timestamp: 7, step: 3 },
    ]);
    expect((await getRun(access, runId)).metrics).toEqual([{ key: "tie", value: Infinity, timestamp: 7, step: 3 }]);
    await append(seq, [{ key: "tie", value: Number.NaN, timestamp: 7, step: 3 }]);
    await append(seq, [{ key: "tie", value: 1e300, timestamp: 7, step: 3 }]);
    expect((await getRun(access, runId)).metrics).toEqual([{ key: "tie", value: Number.NaN, timestamp: 7, step: 3 }]);
  });

  it("round-trips NaN and infinities", async () => {
    const { seq } = await newRun();
    await append(seq, [
      { key: "odd", value: Number.NaN, timestamp: 1, step: 0 },
      { key: "odd", value: Infinity, timestamp: 2, step: 1 },
      { key: "odd", value: -Infinity, timestamp: 3, step: 2 },
    ]);
    const values = (await historyOf(seq, "odd")).map((p) => p.value);
    expect(values).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  it("pages history by (timestamp, step, value) with a next page token", async () => {
    const { access, runId, seq } = await newRun();
    await append(seq, Array.from({ length: 25 }, (_, step) => ({ key: "m", value: step, timestamp: 100 - step, step })));
    const first = await getMetricHistory(access, { runId, key: "m", maxResults: 10 });
    expect(first.metrics.map((p) => p.step)).toEqual([24, 23, 22, 21, 20, 19, 18, 17, 16, 15]);
    const second = await getMetricHistory(access, { runId, key: "m", maxResults: 10, pageToken: first.nextPageToken });
    const third = await getMetricHistory(access, { runId, key: "m", maxResults: 10, pageToken: second.nextPageToken });
    expect(third.metrics).toHaveLength(5);
    expect(third.nextPageToken).toBeUndefined();
    await expect(getMetricHistory(access, { runId, key: "m", pageToken: "not-a-token" })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
  });

  it("pages through ties and NaN one point at a time, each point exactly once and in order", async () => {
    const { access, runId, seq } = await newRun();
    // Same timestamp and step, values ordered as PostgreSQL orders float8: -Infinity … Infinity, NaN.
    const tied = [-Infinity, -1.5, 0, 1e-300, 2.25, Infinity, Number.NaN].map((value) => ({ key: "t", value, timestamp: 5, step: 1 }));
    await append(seq, [...tied, { key: "t", value: 0, timestamp: 5, step: 0 }, { key: "t", value: 0, timestamp: 6, step: 0 }]);
    const seen: { value: number; step: number; timestamp: number }[] = [];
    let pageToken: string | undefined;
    do {
      const page = await getMetricHistory(access, { runId, key: "t", maxResults: 1, pageToken });
      seen.push(...page.metrics.map(({ value, step, timestamp }) => ({ value, step, timestamp })));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual([
      { value: 0, step: 0, timestamp: 5 },
      ...tied.map(({ value }) => ({ value, step: 1, timestamp: 5 })),
      { value: 0, step: 0, timestamp: 6 },
    ]);
  });

  it("downsamples a long series into at most N buckets with min, max and last per bucket", async () => {
    const { seq } = await newRun();
    const points = Array.from({ length: 10_000 }, (_, step) => ({
      key: "curve",
      value: step % 100 === 50 ? Number.NaN : Math.sin(step / 100),
      timestamp: 1_000_000 + step,
      step,
    }));
    for (let start = 0; start < points.length; start += 1000) await append(seq, points.slice(start, start + 1000));
    const buckets = await metricStore().downsample(seq, "curve", 100);
    expect(buckets).toHaveLength(100);
    expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(10_000);
    for (const [index, bucket] of buckets.entries()) {
      const inBucket = points.filter((p) => p.step >= bucket.stepMin && p.step <= bucket.stepMax);
      const finite = inBucket.map((p) => p.value).filter((v) => !Number.isNaN(v));
      expect(bucket.stepMin).toBe(index * 100);
      expect(bucket.min).toBeCloseTo(Math.min(...finite), 12);
      expect(bucket.max).toBeCloseTo(Math.max(...finite), 12);
      expect(bucket.last).toBeCloseTo(inBucket.at(-1)!.value, 12);
    }
  });

  it("returns one bucket per point when a series is shorter than the bucket count, and none for no data", async () => {
    const { seq } = await newRun();
    await append(seq, [3, 7, 9].map((step) => ({ key: "short", value: step * 2, timestamp: step, step })));
    const buckets = await metricStore().downsample(seq, "short", 1000);
    expect(buckets.map((b) => [b.stepMin, b.last])).toEqual([
      [3, 6],
      [7, 14],
      [9, 18],
    ]);
    expect(await metricStore().downsample(seq, "absent", 1000)).toEqual([]);
  });

  it("spans the whole step range, extremes included, with any bucket count", async () => {
    const { seq } = await newRun();
    const steps = [-Number.MAX_SAFE_INTEGER, -1, 0, 1, Number.MAX_SAFE_INTEGER];
    await append(seq, steps.map((step, index) => ({ key: "wide", value: index, timestamp: index, step })));
    const oneBucket = await metricStore().downsample(seq, "wide", 1);
    expect(oneBucket.map((b) => [b.stepMin, b.stepMax, b.count, b.min, b.max, b.last])).toEqual([
      [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 5, 0, 4, 4],
    ]);
    for (const count of [2, 3, 7, 5000]) {
      const buckets = await metricStore().downsample(seq, "wide", count);
      expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(5);
      expect(buckets[0]!.stepMin).toBe(-Number.MAX_SAFE_INTEGER);
      expect(buckets.at(-1)!.stepMax).toBe(Number.MAX_SAFE_INTEGER);
      expect(buckets.map((b) => b.stepMin)).toEqual([...buckets.map((b) => b.stepMin)].sort((a, b) => a - b));
    }
  });
});

describe("deleting a project", () => {
  it("deletes its runs' metric history and leaves other projects' alone", async () => {
    const doomed = await newRun();
    const kept = await newRun();
    for (const { seq } of [doomed, kept]) await append(seq, [{ key: "loss", value: 1, timestamp: 1, step: 1 }]);
    const { db } = await import("@/server/db/client");
    const project = await db().project.findUniqueOrThrow({ where: { id: doomed.access.project.id }, include: { memberships: true } });
    const owner = await db().user.findUniqueOrThrow({ where: { id: project.memberships[0]!.userId } });
    await callerFor({ type: "USER", userId: owner.id, email: owner.email, isAdmin: false }).projects.delete({
      projectSlug: project.slug,
      confirmSlug: project.slug,
    });
    const { pgPool } = await import("@/server/db/pool");
    const count = async (seq: number) =>
      Number((await pgPool().query(`SELECT count(*) FROM "MetricPoint" WHERE "runSeq" = $1`, [seq])).rows[0].count);
    expect(await count(doomed.seq)).toBe(0);
    expect(await count(kept.seq)).toBe(1);
  });
});

describe("optional point columns", () => {
  it("keeps model and dataset links on the points that have them and NULL elsewhere", async () => {
    const { seq } = await newRun();
    await append(seq, [
      { key: "acc", value: 0.5, timestamp: 1, step: 1 },
      { key: "acc", value: 0.6, timestamp: 2, step: 2, modelId: "m-0123", datasetName: "eval", datasetDigest: "abc" },
    ]);
    await append(seq, [{ key: "acc", value: 0.7, timestamp: 3, step: 3 }]);
    const { pgPool } = await import("@/server/db/pool");
    const { rows } = await pgPool().query(
      `SELECT step, "modelId", "datasetName", "datasetDigest" FROM "MetricPoint" WHERE "runSeq" = $1 ORDER BY step`,
      [seq],
    );
    expect(rows).toEqual([
      { step: 1, modelId: null, datasetName: null, datasetDigest: null },
      { step: 2, modelId: "m-0123", datasetName: "eval", datasetDigest: "abc" },
      { step: 3, modelId: null, datasetName: null, datasetDigest: null },
    ]);
  });
});
