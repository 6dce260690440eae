import type pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { pgPool } from "@/server/db/pool";
import { sampleSteps } from "@/server/services/runs/sampled-steps";
import { createProjectWithToken, mlflowCaller } from "../factories";

type Point = { key: string; value: number; step: number; run_id: string };

async function twoRuns() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const call = mlflowCaller(project.slug, plaintext);
  const run = async (steps: number[]) => {
    const created = await call("POST", "runs/create", { experiment_id: "0" });
    const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
    const metrics = steps.map((step) => ({ key: "loss", value: step / 100, timestamp: 1_700_000_000_000 + step, step }));
    expect((await call("POST", "runs/log-batch", { run_id: runId, metrics })).status).toBe(200);
    return runId;
  };
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
  const a = await run(range(0, 9));
  const b = await run(range(5, 14));
  const bulk = async (query: string) => call("GET", "metrics/get-history-bulk-interval", undefined, `?${query}`);
  const points = async (query: string) => ((await bulk(query)).body.metrics as Point[]).map((p) => [p.run_id, p.step]);
  return { a, b, bulk, points };
}

describe("GET metrics/get-history-bulk-interval", () => {
  it("returns every point of each run, run by run in the order asked, when there are few", async () => {
    const { a, b, points } = await twoRuns();
    const all = await points(`run_ids=${a}&run_ids=${b}&metric_key=loss`);
    expect(all).toEqual([...Array.from({ length: 10 }, (_, step) => [a, step]), ...Array.from({ length: 10 }, (_, i) => [b, i + 5])]);
    expect((await points(`run_ids=${b}&run_ids=${a}&metric_key=loss`))[0]).toEqual([b, 5]);
  });

  it("samples the steps any run logged, first and last kept, and honours a step interval", async () => {
    const { a, b, points } = await twoRuns();
    // 15 distinct steps (0..14) sampled to 3: steps 0, 5, 10 and the last, 14.
    expect(await points(`run_ids=${a}&run_ids=${b}&metric_key=loss&max_results=3`)).toEqual([
      [a, 0], [a, 5], [b, 5], [b, 10], [b, 14],
    ]);
    expect(await points(`run_ids=${a}&run_ids=${b}&metric_key=loss&start_step=3&end_step=6`)).toEqual([
      [a, 3], [a, 4], [a, 5], [a, 6], [b, 5], [b, 6],
    ]);
    expect(await points(`run_ids=${a}&metric_key=absent`)).toEqual([]);
  });

  it("refuses bad requests with MLflow's errors", async () => {
    const { a, bulk } = await twoRuns();
    const other = await createProjectWithToken("MEMBER", ["read", "write"]);
    const foreign = await mlflowCaller(other.project.slug, other.plaintext)("POST", "runs/create", { experiment_id: "0" });
    const foreignId = (foreign.body.run as { info: { run_id: string } }).info.run_id;
    const tooMany = Array.from({ length: 101 }, (_, index) => `run_ids=${index.toString(16).padStart(32, "0")}`).join("&");
    for (const [query, status, code] of [
      [`run_ids=${a}&metric_key=loss&start_step=9&end_step=2`, 400, "INVALID_PARAMETER_VALUE"],
      [`run_ids=${a}&metric_key=loss&max_results=2501`, 400, "INVALID_PARAMETER_VALUE"],
      [`run_ids=${a}`, 400, "INVALID_PARAMETER_VALUE"],
      [`metric_key=loss`, 400, "INVALID_PARAMETER_VALUE"],
      [`${tooMany}&metric_key=loss`, 400, "INVALID_PARAMETER_VALUE"],
      [`run_ids=${a}&run_ids=${"f".repeat(32)}&metric_key=loss`, 404, "RESOURCE_DOES_NOT_EXIST"],
      [`run_ids=${foreignId}&metric_key=loss`, 404, "RESOURCE_DOES_NOT_EXIST"],
    ] as const) {
      const answer = await bulk(query);
      expect([answer.status, answer.body.error_code], query).toEqual([status, code]);
    }
  });

  it("samples 100,000 distinct steps in the database: the server reads at most the sampled rows, with the same answer", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const call = mlflowCaller(project.slug, plaintext);
    const createRun = async () => ((await call("POST", "runs/create", { experiment_id: "0" })).body.run as { info: { run_id: string } }).info.run_id;
    const [a, b] = [await createRun(), await createRun()];
    const seqOf = async (runId: string) => Number((await db().run.findUniqueOrThrow({ where: { id: runId }, select: { seq: true } })).seq);
    // Run a: the even steps 0..199,998; run b: three odd steps, one past a's last.
    await pgPool().query(
      `INSERT INTO "MetricPoint" ("runSeq", "key", "step", "timestamp", "value")
       SELECT $1::int8, 'loss', 2 * s, s, s FROM generate_series(0, 99999) AS s
       UNION ALL SELECT $2::int8, 'loss', s, s, s FROM unnest(ARRAY[1, 3, 200001]) AS s`,
      [await seqOf(a), await seqOf(b)],
    );
    const allSteps = [...Array.from({ length: 100_000 }, (_, index) => 2 * index), 1, 3, 200_001].sort((x, y) => x - y);

    const pool = pgPool();
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
    let rowsRead = 0;
    const spy = vi.spyOn(pool, "query").mockImplementation((async (...args: unknown[]) => {
      const result = await query(...args);
      rowsRead += result.rows.length;
      return result;
    }) as typeof pool.query);
    try {
      for (const maxResults of [2_500, 7, 1]) {
        rowsRead = 0;
        const answer = await call("GET", "metrics/get-history-bulk-interval", undefined, `?run_ids=${a}&run_ids=${b}&metric_key=loss&max_results=${maxResults}`);
        expect(answer.status).toBe(200);
        const steps = [...new Set((answer.body.metrics as Point[]).map((point) => point.step))].sort((x, y) => x - y);
        expect(steps).toEqual(sampleSteps(allSteps, maxResults));
        expect(steps[0]).toBe(0);
        expect(steps.at(-1)).toBe(200_001);
        // The sampled steps, then the points at them (one per step here): never the 100,003 steps.
        expect(rowsRead).toBeLessThanOrEqual(2 * (maxResults + 1));
      }
    } finally {
      spy.mockRestore();
    }
  });
});
