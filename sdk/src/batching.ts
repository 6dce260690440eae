/** Splitting buffered params, tags and metrics into log-batch requests within the server's limits. */
import type { KeyValue, WireMetric } from "./wire.ts";

export const LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  total: 1000,
  /** Bytes of JSON per request; the server accepts about 1 MB. */
  bytes: 900_000,
} as const;

export interface Batch {
  metrics: WireMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/**
 * Splits in order: params and tags first (they usually describe what the metrics mean), then metrics.
 * `maxBatchSize` caps the number of items per request (≤ 1000). A param key appears at most once per
 * request (the server requires it), so a repeated key moves to the next request.
 */
export function splitBatches(
  items: { metrics: WireMetric[]; params: KeyValue[]; tags: KeyValue[] },
  maxBatchSize: number = LIMITS.total,
): Batch[] {
  const cap = Math.max(1, Math.min(LIMITS.total, Math.floor(maxBatchSize)));
  const batches: Batch[] = [];
  let current: Batch = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  let paramKeys = new Set<string>();

  const count = () => current.metrics.length + current.params.length + current.tags.length;
  const close = () => {
    if (count() > 0) batches.push(current);
    current = { metrics: [], params: [], tags: [] };
    bytes = 0;
    paramKeys = new Set();
  };
  const size = (item: unknown) => JSON.stringify(item).length + 1;

  let params = items.params;
  while (params.length > 0) {
    const deferred: KeyValue[] = [];
    for (const param of params) {
      if (paramKeys.has(param.key)) {
        deferred.push(param);
        continue;
      }
      const itemBytes = size(param);
      if (current.params.length >= LIMITS.params || count() >= cap || bytes + itemBytes > LIMITS.bytes) close();
      current.params.push(param);
      paramKeys.add(param.key);
      bytes += itemBytes;
    }
    params = deferred;
    if (deferred.length > 0) close();
  }
  for (const tag of items.tags) {
    const itemBytes = size(tag);
    if (current.tags.length >= LIMITS.tags || count() >= cap || bytes + itemBytes > LIMITS.bytes) close();
    current.tags.push(tag);
    bytes += itemBytes;
  }
  for (const metric of items.metrics) {
    const itemBytes = size(metric);
    if (current.metrics.length >= LIMITS.metrics || count() >= cap || bytes + itemBytes > LIMITS.bytes) close();
    current.metrics.push(metric);
    bytes += itemBytes;
  }
  close();
  return batches;
}
