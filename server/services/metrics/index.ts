import { postgresMetricStore } from "./postgres-metric-store";
import type { MetricStore } from "./metric-store";

export type { MetricStore, MetricPointInput, MetricPointView, HistoryPosition, LatestMetricView, MetricBucket, MetricExtremes, RunPoints, RunSelection } from "./metric-store";

export function metricStore(): MetricStore {
  return postgresMetricStore;
}
