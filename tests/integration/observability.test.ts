import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/server/db/migrate";
import { startScratchPostgres, type RunningPostgres } from "@/server/runtime/embedded-postgres";
import { createProjectWithToken, uniqueSuffix } from "../factories";
import { createScratchDatabase, type ScratchDatabase } from "../support/databases";
import { startTally, stopTallies } from "../support/tally-server";

/**
 * What an operator sees of Tally's production server (scripts/serve.ts over the production build):
 * request ids in answers, error bodies and log lines; /metrics; liveness and readiness probes.
 * Needs `next build` first, which `npm test` runs before the integration tests.
 */
const METRICS_TOKEN = "metrics-token-for-the-tests";
const logLines: string[] = [];
let observed = "";
let plain = "";
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  [observed, plain] = await Promise.all([
    startTally({ TALLY_METRICS_TOKEN: METRICS_TOKEN }, { onLogLine: (line) => logLines.push(line) }),
    startTally(),
  ]);
}, 120_000);

afterAll(async () => {
  await stopTallies();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function mlflow(base: string, token: string | null, endpoint: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/2.0/mlflow/${endpoint}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

async function scrape(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one series in Prometheus's text format (0 when the series is absent). */
function sample(exposition: string, series: string): number {
  const line = exposition.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The log line of the request with `requestId`, once the server wrote it (it does when the answer ends). */
async function logLineOf(requestId: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Next.js prints a few plain lines of its own at start.
    const entries = logLines.filter((text) => text.startsWith("{")).map((text) => JSON.parse(text) as Record<string, unknown>);
    const line = entries.find((entry) => entry.msg === "request" && entry.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no log line for request ${requestId}`);
}

async function readiness(base: string) {
  const response = await fetch(`${base}/api/health/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, requestId: response.headers.get("x-request-id") };
}

/** Readiness once it answers `status` (a check's result is reused for a second). */
async function readinessBecoming(base: string, status: number) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const answer = await readiness(base);
    if (answer.status === status) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`readiness did not become ${status}`);
}

describe("request ids", () => {
  it("are on every answer: pages, probes, APIs and not-found pages", async () => {
    for (const url of ["/signin", "/api/health/live", "/api/v1/whoami", "/api/trpc/projects.list", "/no-such-page"]) {
      const response = await fetch(`${observed}${url}`);
      expect(response.headers.get("x-request-id"), url).toMatch(UUID);
    }
  });

  it("keep a client's own plain id and replace one that could forge log fields", async () => {
    const own = `trace-${uniqueSuffix()}.span:1`;
    expect((await fetch(`${observed}/api/health/live`, { headers: { "x-request-id": own } })).headers.get("x-request-id")).toBe(own);
    for (const forged of ['a" "level":"fatal', "x".repeat(200)]) {
      const answered = (await fetch(`${observed}/api/health/live`, { headers: { "x-request-id": forged } })).headers.get("x-request-id");
      expect(answered).toMatch(UUID);
    }
  });

  it("are in MLflow error bodies as request_id, beside error_code and message", async () => {
    const unauthenticated = await mlflow(observed, null, "experiments/search", { max_results: 1 });
    expect(unauthenticated.response.status).toBe(401);
    expect(unauthenticated.body).toEqual({
      error_code: "UNAUTHENTICATED",
      message: expect.any(String),
      request_id: unauthenticated.response.headers.get("x-request-id"),
    });

    const { plaintext } = await createProjectWithToken();
    const missing = await mlflow(observed, plaintext, "runs/get?run_id=no-such-run");
    expect(missing.response.status).toBe(404);
    expect(missing.body).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST", request_id: missing.response.headers.get("x-request-id") });
  });

  it("are in /api/v1 error bodies as error.request_id", async () => {
    const unauthenticated = await fetch(`${observed}/api/v1/whoami`);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({
      error: { code: "UNAUTHENTICATED", message: expect.any(String), request_id: unauthenticated.headers.get("x-request-id") },
    });

    const { plaintext } = await createProjectWithToken();
    const badInput = await fetch(`${observed}/api/v1/runs/no-such-run/metric-history`, { headers: { authorization: `Bearer ${plaintext}` } });
    expect(badInput.status).toBe(400);
    expect(await badInput.json()).toEqual({
      error: { code: "BAD_INPUT", message: expect.stringContaining("key"), request_id: badInput.headers.get("x-request-id") },
    });
  });

  it("are in tRPC errors' data", async () => {
    const response = await fetch(`${observed}/api/trpc/projects.list`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.message).toBe("Please sign in");
    expect(body.error.json.data).toMatchObject({ code: "UNAUTHORIZED", requestId: response.headers.get("x-request-id") });
  });

  it("lead to the request's log line: method, route family (not the raw path), status, time and project", async () => {
    const { project, plaintext } = await createProjectWithToken();
    const created = await mlflow(observed, plaintext, "runs/create", { experiment_id: "0" });
    const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
    const requestId = `log-${uniqueSuffix()}`;
    const logged = await mlflow(observed, plaintext, "runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: 1, timestamp: 1, step: 0 }] }, { "x-request-id": requestId });
    expect(logged.response.status).toBe(200);
    const line = await logLineOf(requestId);
    expect(line).toMatchObject({ level: "info", method: "POST", family: "mlflow:runs/log-batch", status: 200, project: project.slug });
    expect(line.ms).toEqual(expect.any(Number));
    expect(JSON.stringify(line)).not.toContain(runId);
  });
});

describe("/metrics", () => {
  it("does not exist unless TALLY_METRICS_TOKEN is set", async () => {
    expect((await fetch(`${plain}/metrics`)).status).toBe(404);
  });

  it("wants the configured token as a Bearer token", async () => {
    for (const authorization of [undefined, "Bearer not-the-metrics-token", `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString("base64")}`]) {
      const response = await fetch(`${observed}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("counts requests by route family and status class, and ingested points", async () => {
    const { project, plaintext } = await createProjectWithToken();
    const run = await mlflow(observed, plaintext, "runs/create", { experiment_id: "0" });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    const before = await scrape(observed);

    const points = [0, 1, 2].map((step) => ({ key: "acc", value: step / 10, timestamp: 1_700_000_000_000 + step, step }));
    expect((await mlflow(observed, plaintext, "runs/log-batch", { run_id: runId, metrics: points })).response.status).toBe(200);
    expect((await mlflow(observed, plaintext, "runs/get?run_id=no-such-run")).response.status).toBe(404);
    const history = await fetch(`${observed}/api/v1/runs/${runId}/metric-history?key=acc`, { headers: { authorization: `Bearer ${plaintext}` } });
    expect(history.status).toBe(200);
    const projectScoped = await fetch(`${observed}/projects/${project.slug}/api/2.0/mlflow/runs/get?run_id=${runId}`, {
      headers: { authorization: `Bearer ${plaintext}` },
    });
    expect(projectScoped.status).toBe(200);
    const after = await scrape(observed);

    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('tally_http_requests_total{family="mlflow:runs/log-batch",status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(moved('tally_http_requests_total{family="mlflow:runs/get",status="4xx"}')).toBeGreaterThanOrEqual(1);
    expect(moved('tally_http_requests_total{family="mlflow:runs/get",status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(moved('tally_http_requests_total{family="api_v1:runs/:runId/metric-history",status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(moved('tally_http_request_duration_seconds_count{family="mlflow:runs/log-batch",status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(moved("tally_ingest_points_total")).toBeGreaterThanOrEqual(3);
    // Ids and slugs never become label values.
    expect(after).not.toContain(runId);
    expect(after).not.toContain(project.slug);
  });

  it("reports the database pools, background job lag, webhook failures and the process", async () => {
    const { plaintext } = await createProjectWithToken();
    // Checking a token is a query through the Prisma pool, which opens on first use; a single point
    // goes through the grouped writes' own connection.
    expect((await fetch(`${observed}/api/v1/whoami`, { headers: { authorization: `Bearer ${plaintext}` } })).status).toBe(200);
    const run = await mlflow(observed, plaintext, "runs/create", { experiment_id: "0" });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    expect((await mlflow(observed, plaintext, "runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: 1, step: 0 })).response.status).toBe(200);
    const exposition = await scrape(observed);
    for (const series of [
      'tally_db_pool_connections{pool="raw"}',
      'tally_db_pool_idle_connections{pool="raw"}',
      'tally_db_pool_waiting_requests{pool="raw"}',
      'tally_db_pool_max_connections{pool="prisma"}',
      'tally_db_pool_max_connections{pool="generic-plan"}',
      'tally_background_job_lag_seconds{kind="webhook_delivery"}',
      'tally_background_job_lag_seconds{kind="promotion_request_expiry"}',
      'tally_webhook_delivery_failures_total{outcome="failed"}',
      "process_resident_memory_bytes",
    ]) {
      expect(exposition, series).toMatch(new RegExp(`^${series.replace(/[{}"]/g, "\\$&")} [0-9.e+-]+$`, "m"));
    }
  });
});

describe("health probes", () => {
  it("answer live and ready on a healthy server; /api/health is the readiness check", async () => {
    expect(await (await fetch(`${plain}/api/health/live`)).json()).toEqual({ status: "live" });
    const ready = { status: "ready", checks: { database: "ok", migrations: "ok", storage: "ok" } };
    expect(await (await fetch(`${plain}/api/health/ready`)).json()).toEqual(ready);
    const probe = await fetch(`${plain}/api/health`);
    expect(await probe.json()).toEqual(ready);
    expect(probe.headers.get("cache-control")).toBe("no-store");
    expect(probe.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("report not ready, but still live, while the database is unreachable", async () => {
    const postgres: RunningPostgres = await startScratchPostgres();
    cleanups.push(() => postgres.stop());
    await applyMigrations(postgres.url);
    const base = await startTally({ DATABASE_URL: postgres.url });
    expect((await readiness(base)).status).toBe(200);

    await postgres.stop();
    const unready = await readinessBecoming(base, 503);
    expect(unready.body).toEqual({
      status: "unready",
      checks: { database: "failing", migrations: "failing", storage: "ok" },
      request_id: unready.requestId,
    });
    expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
  }, 120_000);

  it("report not ready while the artifact store cannot be written", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "tally-unwritable-"));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    // A file where the artifact folder belongs: nothing can be stored under it, whoever runs the test.
    await writeFile(path.join(home, "artifacts"), "not a folder");
    const base = await startTally({ TALLY_HOME: home });

    const unready = await readiness(base);
    expect(unready.status).toBe(503);
    expect(unready.body).toMatchObject({ status: "unready", checks: { database: "ok", migrations: "ok", storage: "failing" } });
    expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
  }, 120_000);

  it("report not ready until every migration is applied", async () => {
    const database: ScratchDatabase = await createScratchDatabase("tally_unmigrated");
    cleanups.push(() => database.drop());
    const base = await startTally({ DATABASE_URL: database.url });

    const unready = await readiness(base);
    expect(unready.status).toBe(503);
    expect(unready.body).toMatchObject({ checks: { database: "ok", migrations: "failing", storage: "ok" } });

    await applyMigrations(database.url);
    expect((await readinessBecoming(base, 200)).body).toMatchObject({ status: "ready" });
  }, 120_000);
});
