import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/server/db/migrate";
import { ensureEmbeddedPostgres, type RunningPostgres } from "@/server/runtime/embedded-postgres";
import { createProjectWithToken } from "../factories";
import { withDatabaseUrl } from "../support/databases";
import { freePort, startTally, stopTallies } from "../support/tally-server";

/**
 * A running Tally whose PostgreSQL is stopped and started again (docs/operations.md, "Crash safety"):
 * a server of its own, since the shared test database must stay up for the other files.
 */
let home = "";
let port = 0;
let postgres: RunningPostgres | undefined;
let base = "";
let token = "";

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), "tally-outage-"));
  await chmod(home, 0o755); // PostgreSQL runs as its own user and must reach its folder
  port = await freePort();
  postgres = await ensureEmbeddedPostgres({ home, preferredPort: port, exactPort: true });
  await applyMigrations(postgres.url);
  token = (await withDatabaseUrl(postgres.url, () => createProjectWithToken("MEMBER"))).plaintext;
  base = await startTally({ DATABASE_URL: postgres.url });
}, 90_000);

afterAll(async () => {
  await stopTallies();
  await postgres?.stop();
  await rm(home, { recursive: true, force: true });
});

async function call(method: "GET" | "POST", endpoint: string, body?: unknown) {
  const response = await fetch(`${base}${endpoint}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const batch = (runId: string, steps: number[]) => ({
  run_id: runId,
  metrics: steps.map((step) => ({ key: "loss", value: step / 10, timestamp: 1_700_000_000_000 + step, step })),
});

const historySteps = async (runId: string) => {
  const { status, body } = await call("GET", `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`);
  return { status, steps: ((body.metrics ?? []) as { step: number }[]).map((point) => point.step).sort((a, b) => a - b) };
};

describe("the database going away under a running server", () => {
  it("answers 503 TEMPORARILY_UNAVAILABLE while it is down, keeps nothing of refused writes, and recovers by itself", async () => {
    const experiment = await call("POST", "/api/2.0/mlflow/experiments/create", { name: `outage-${Date.now()}` });
    const run = await call("POST", "/api/2.0/mlflow/runs/create", { experiment_id: experiment.body.experiment_id });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    expect((await call("POST", "/api/2.0/mlflow/runs/log-batch", batch(runId, [0, 1, 2]))).status).toBe(200);

    await postgres!.stop();
    const refused = await call("POST", "/api/2.0/mlflow/runs/log-batch", batch(runId, [3, 4, 5]));
    expect(refused.status).toBe(503);
    expect(refused.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(refused.body.message).toMatch(/database is unavailable right now/);
    expect((await historySteps(runId)).status).toBe(503);
    // Tally's own API answers in its own format.
    const v1 = await fetch(`${base}/api/v1/runs/${runId}/metric-history?key=loss`, { headers: { authorization: `Bearer ${token}` } });
    expect(v1.status).toBe(503);
    expect(await v1.json()).toEqual({ error: { code: "UNAVAILABLE", message: expect.stringMatching(/database is unavailable/), request_id: expect.any(String) } });

    postgres = await ensureEmbeddedPostgres({ home, preferredPort: port, exactPort: true });
    // The same server process, never restarted: its pool finds the database again.
    let history = await historySteps(runId);
    for (let attempt = 0; history.status !== 200 && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      history = await historySteps(runId);
    }
    expect(history).toEqual({ status: 200, steps: [0, 1, 2] });

    // The client's retry of the refused batch is stored, once.
    expect((await call("POST", "/api/2.0/mlflow/runs/log-batch", batch(runId, [3, 4, 5]))).status).toBe(200);
    expect((await call("POST", "/api/2.0/mlflow/runs/log-batch", batch(runId, [3, 4, 5]))).status).toBe(200);
    expect(await historySteps(runId)).toEqual({ status: 200, steps: [0, 1, 2, 3, 4, 5] });
  }, 60_000);
});
