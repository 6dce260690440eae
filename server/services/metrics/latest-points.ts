import type { MetricPointInput } from "./metric-store";

/** Doubles in PostgreSQL's float8 order: NaN above every number (Infinity included), -0 equal to 0. */
function compareValues(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** MLflow's order of points within a key: by step, then timestamp, then value. */
function comparePoints(a: MetricPointInput, b: MetricPointInput): number {
  return a.step - b.step || a.timestamp - b.timestamp || compareValues(a.value, b.value);
}

/**
 * The newest point per key of a batch, sorted by key (so concurrent batches lock latest-value rows
 * in one order). Computed here, it spares the database a sort of every point of every batch.
 */
export function latestPerKey(points: readonly MetricPointInput[]): MetricPointInput[] {
  const newest = new Map<string, MetricPointInput>();
  for (const point of points) {
    const current = newest.get(point.key);
    if (!current || comparePoints(point, current) > 0) newest.set(point.key, point);
  }
  return [...newest.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
