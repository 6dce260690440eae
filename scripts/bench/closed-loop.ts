import { percentile } from "./instance";

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * `workers` concurrent callers, each making its `calls` calls one after another (a closed loop: a
 * caller sends its next request when the last one is answered, as a client library does). Call
 * `call(worker, index)` must throw on a failed request: the loop then fails, unless `failures` is
 * given, which collects the errors (reads, where one failure changes nothing for the next call).
 */
export async function closedLoop(
  workers: number,
  calls: number,
  call: (worker: number, index: number) => Promise<unknown>,
  failures?: unknown[],
): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let index = 0; index < calls; index++) {
        const sent = performance.now();
        try {
          await call(worker, index);
        } catch (error) {
          if (!failures) throw error;
          failures.push(error);
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  const requests = workers * calls;
  return { requests, seconds, perSecond: requests / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}
