import cluster, { type Worker } from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import { metrics } from "./metrics";

/**
 * Metrics of a server that runs several web processes (docs/operations.md, "Processes"). A scrape
 * reaches one of them, but must count every process's requests: that process asks the primary, which
 * collects each worker's metrics over the cluster's IPC channel and sums them (gauges by their own
 * aggregator) with prom-client's aggregation.
 */

type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

type Message =
  | { type: "tally:metrics-ask"; id: string }
  | { type: "tally:metrics-reply"; id: string; text: string }
  | { type: "tally:metrics-collect"; id: string }
  | { type: "tally:metrics-report"; id: string; metrics: WorkerMetrics };

/** How long the primary waits for a worker's report before leaving it out of the answer. */
const REPORT_TIMEOUT_MS = 5_000;

const pendingAsks = new Map<string, (text: string) => void>();

/** The exposition text of this server: this process's own metrics, or every worker's when clustered. */
export async function metricsExposition(refresh: () => Promise<void>): Promise<string> {
  if (!cluster.isWorker) {
    await refresh();
    return metrics().registry.metrics();
  }
  const id = randomUUID();
  const answer = new Promise<string>((resolve) => pendingAsks.set(id, resolve));
  send({ type: "tally:metrics-ask", id });
  return answer;
}

/** In a worker: answer the primary's collection rounds (after `refresh`) and receive its replies. */
export function answerMetricsCollections(refresh: () => Promise<void>): void {
  process.on("message", (message: Message) => {
    if (message.type === "tally:metrics-reply") {
      pendingAsks.get(message.id)?.(message.text);
      pendingAsks.delete(message.id);
    } else if (message.type === "tally:metrics-collect") {
      void refresh()
        .catch(() => undefined)
        .then(() => metrics().registry.getMetricsAsJSON())
        .then((own) => send({ type: "tally:metrics-report", id: message.id, metrics: own as WorkerMetrics }));
    }
  });
}

/** In the primary: when a worker asks, collect from every live worker and reply with the sum. */
export function serveMetricsAsks(): void {
  const rounds = new Map<string, { reports: WorkerMetrics[]; waiting: number; done: () => void }>();
  cluster.on("message", (worker: Worker, message: Message) => {
    if (message.type === "tally:metrics-report") {
      const round = rounds.get(message.id);
      if (!round) return;
      round.reports.push(message.metrics);
      if (--round.waiting === 0) round.done();
    } else if (message.type === "tally:metrics-ask") {
      const workers = Object.values(cluster.workers ?? {}).filter((each): each is Worker => each !== undefined && each.isConnected());
      const id = randomUUID();
      const reports: WorkerMetrics[] = [];
      void new Promise<void>((resolve) => {
        rounds.set(id, { reports, waiting: workers.length, done: resolve });
        for (const each of workers) each.send({ type: "tally:metrics-collect", id } satisfies Message);
        // A worker that is stuck or just died is left out rather than holding the scrape.
        setTimeout(resolve, REPORT_TIMEOUT_MS).unref();
      })
        .then(() => {
          rounds.delete(id);
          return AggregatorRegistry.aggregate(reports).metrics();
        })
        .then((text) => {
          if (worker.isConnected()) worker.send({ type: "tally:metrics-reply", id: message.id, text } satisfies Message);
        });
    }
  });
}

function send(message: Message): void {
  process.send?.(message);
}
