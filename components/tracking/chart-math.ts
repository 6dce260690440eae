import type { RouterOutputs } from "@/lib/router-outputs";

/** Series transforms for metric charts, kept free of React so they are easy to reason about. */

export type XAxisMode = "step" | "wall" | "relative";

/** What a chart reads of a downsampled bucket (`runs.history`). */
export type ChartBucket = Pick<RouterOutputs["runs"]["history"][number], "stepMax" | "last" | "min" | "max" | "lastTimestamp">;

/** TensorBoard-style exponential moving average with debiasing; weight 0 leaves the series as is. */
export function smooth(values: (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values;
  let average = 0;
  let seen = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return value;
    seen += 1;
    average = average * weight + (1 - weight) * value;
    return average / (1 - weight ** seen);
  });
}

/** log10 for a log-scale axis; values that have no logarithm become gaps. */
export const toLog = (value: number | null) => (value !== null && value > 0 && Number.isFinite(value) ? Math.log10(value) : null);

export function xLabel(bucket: ChartBucket, mode: XAxisMode, runStart: number): string {
  if (mode === "step") return String(bucket.stepMax);
  if (mode === "wall") return new Date(bucket.lastTimestamp).toISOString().slice(5, 19).replace("T", " ");
  const seconds = Math.max(0, (bucket.lastTimestamp - runStart) / 1000);
  return seconds < 120 ? `${seconds.toFixed(0)}s` : seconds < 7200 ? `${(seconds / 60).toFixed(1)}m` : `${(seconds / 3600).toFixed(2)}h`;
}

/** Non-finite values (NaN, ±Infinity) cannot be drawn: they become gaps in the line. */
export const drawable = (value: number) => (Number.isFinite(value) ? value : null);
