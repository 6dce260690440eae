import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { poolStats } from "../db/pool-stats";

/**
 * Tally's Prometheus metrics (docs/operations.md, "Observability"). Label values come from fixed sets
 * (route families, status classes, pool names, job kinds), never from user input, so the number of
 * series stays bounded however many projects, runs and models there are.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const webhookFailures = new Counter({
    name: "tally_webhook_delivery_failures_total",
    help: "Webhook delivery attempts that did not get a 2xx answer; outcome=retry will be tried again, outcome=failed was the last try",
    labelNames: ["outcome"] as const,
    registers,
  });
  // Both series exist from the start, so an alert on their increase works before the first failure.
  for (const outcome of ["retry", "failed"]) webhookFailures.inc({ outcome }, 0);
  return {
    registry,
    webhookFailures,
    httpRequests: new Counter({
      name: "tally_http_requests_total",
      help: "HTTP requests answered, by route family and status class",
      labelNames: ["family", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "tally_http_request_duration_seconds",
      help: "Time from receiving a request to the end of its answer, by route family and status class",
      labelNames: ["family", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    ingestPoints: new Counter({
      name: "tally_ingest_points_total",
      help: "Metric points accepted by log-metric and log-batch (stored, or already stored identically)",
      registers,
    }),
    metricWriteGroups: new Histogram({
      name: "tally_metric_write_group_size",
      help: "Small metric writes stored together in one statement and one commit (grouped commits), per group",
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    }),
    jobLag: new Gauge({
      name: "tally_background_job_lag_seconds",
      help: "How long the oldest due background job of each kind has been waiting (0 when none is due)",
      labelNames: ["kind"] as const,
      registers,
      // Every web process reads the same database-wide lag; summing them would multiply it.
      aggregator: "max",
    }),
    ...poolGauges(registers),
  };
}

function poolGauges(registers: Registry[]) {
  const gauge = (name: string, help: string, read: (stats: ReturnType<typeof poolStats>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["pool"] as const,
      registers,
      collect() {
        this.reset();
        for (const stats of poolStats()) this.set({ pool: stats.pool }, read(stats));
      },
    });
  return {
    poolTotal: gauge("tally_db_pool_connections", "Open PostgreSQL connections per pool (prisma: most queries; raw: ingestion, history, job claims)", (s) => s.total),
    poolIdle: gauge("tally_db_pool_idle_connections", "Open connections not in use", (s) => s.idle),
    poolWaiting: gauge("tally_db_pool_waiting_requests", "Queries waiting for a connection because every connection is busy", (s) => s.waiting),
    poolMax: gauge("tally_db_pool_max_connections", "The most connections the pool opens", (s) => s.max),
  };
}

export type TallyMetrics = ReturnType<typeof createMetrics>;

/** One set per process, on globalThis: the HTTP server and Next's bundled route handlers share it. */
const globalForMetrics = globalThis as unknown as { tallyMetrics?: TallyMetrics };

export function metrics(): TallyMetrics {
  globalForMetrics.tallyMetrics ??= createMetrics();
  return globalForMetrics.tallyMetrics;
}
