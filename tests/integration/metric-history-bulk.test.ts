import { describe, expect, it } from "vitest";
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
});
