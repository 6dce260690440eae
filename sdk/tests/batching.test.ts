import { describe, expect, it } from "vitest";
import { LIMITS, splitBatches } from "../src/batching.ts";
import type { WireMetric } from "../src/wire.ts";

const metrics = (n: number, key = "m"): WireMetric[] =>
  Array.from({ length: n }, (_, i) => ({ key, value: i, timestamp: 1000 + i, step: i }));
const kv = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));

function checkLimits(batches: ReturnType<typeof splitBatches>) {
  for (const batch of batches) {
    expect(batch.metrics.length).toBeLessThanOrEqual(LIMITS.metrics);
    expect(batch.params.length).toBeLessThanOrEqual(LIMITS.params);
    expect(batch.tags.length).toBeLessThanOrEqual(LIMITS.tags);
    expect(batch.metrics.length + batch.params.length + batch.tags.length).toBeLessThanOrEqual(LIMITS.total);
    expect(JSON.stringify(batch).length).toBeLessThan(1_000_000);
    expect(new Set(batch.params.map((p) => p.key)).size).toBe(batch.params.length);
  }
}

describe("splitBatches", () => {
  it("returns nothing for nothing", () => {
    expect(splitBatches({ metrics: [], params: [], tags: [] })).toEqual([]);
  });

  it("splits 2,500 metrics into 1000 + 1000 + 500, in order", () => {
    const all = metrics(2500);
    const batches = splitBatches({ metrics: all, params: [], tags: [] });
    expect(batches.map((b) => b.metrics.length)).toEqual([1000, 1000, 500]);
    expect(batches.flatMap((b) => b.metrics)).toEqual(all);
    checkLimits(batches);
  });

  it("keeps params ≤100 and tags ≤100 per request and the total ≤1000", () => {
    const batches = splitBatches({ metrics: metrics(1950), params: kv(250, "p"), tags: kv(150, "t") });
    checkLimits(batches);
    expect(batches.flatMap((b) => b.params)).toHaveLength(250);
    expect(batches.flatMap((b) => b.tags)).toHaveLength(150);
    expect(batches.flatMap((b) => b.metrics)).toHaveLength(1950);
    // params go first
    expect(batches[0]!.params).toHaveLength(100);
  });

  it("honours maxBatchSize", () => {
    const batches = splitBatches({ metrics: metrics(250), params: kv(30, "p"), tags: [] }, 100);
    checkLimits(batches);
    for (const batch of batches) expect(batch.metrics.length + batch.params.length + batch.tags.length).toBeLessThanOrEqual(100);
    expect(batches.length).toBe(3);
  });

  it("moves a repeated param key to a later request", () => {
    const batches = splitBatches({
      metrics: [],
      params: [
        { key: "lr", value: "0.1" },
        { key: "bs", value: "32" },
        { key: "lr", value: "0.1" },
      ],
      tags: [],
    });
    checkLimits(batches);
    expect(batches.map((b) => b.params.map((p) => p.key))).toEqual([["lr", "bs"], ["lr"]]);
  });

  it("splits by bytes when values are large", () => {
    const big = "x".repeat(6000);
    const batches = splitBatches({ metrics: [], params: [], tags: Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: big })) });
    checkLimits(batches);
    expect(batches).toHaveLength(1);
    const huge = "y".repeat(8000);
    const many = splitBatches({
      metrics: [],
      params: Array.from({ length: 400 }, (_, i) => ({ key: `p${i}`, value: huge })),
      tags: [],
    });
    checkLimits(many);
    expect(many.flatMap((b) => b.params)).toHaveLength(400);
  });
});
