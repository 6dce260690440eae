import { describe, expect, it } from "vitest";
import { createProjectWithToken, mlflowRequest } from "../factories";
import { countStatements } from "../support/statement-counter";

describe("round trips per MLflow request", () => {
  it("prints the statements of each hot request", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const target = { projectSlug: project.slug, token: plaintext };
    const call = async (method: "GET" | "POST", endpoint: string, fields: Record<string, unknown>) => {
      const { result, statements } = await countStatements(() => mlflowRequest(target, method, endpoint, fields));
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      console.log(`${endpoint}: ${statements.length}\n  ${statements.join("\n  ")}`);
      return result.body;
    };
    await mlflowRequest(target, "GET", "experiments/get-by-name", { experiment_name: "Default" });
    const experiment = (await call("POST", "experiments/create", { name: "trips" })) as { experiment_id: string };
    await call("GET", "experiments/get-by-name", { experiment_name: "trips" });
    const created = (await call("POST", "runs/create", { experiment_id: experiment.experiment_id, run_name: "r" })) as {
      run: { info: { run_id: string } };
    };
    const runId = created.run.info.run_id;
    await call("POST", "runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: 1, step: 1 });
    await call("POST", "runs/log-parameter", { run_id: runId, key: "lr", value: "0.1" });
    await call("POST", "runs/set-tag", { run_id: runId, key: "team", value: "a" });
    await call("POST", "runs/log-batch", {
      run_id: runId,
      metrics: [{ key: "acc", value: 0.5, timestamp: 2, step: 2 }],
      params: [{ key: "epochs", value: "3" }],
      tags: [{ key: "stage", value: "train" }],
    });
    await call("GET", "runs/get", { run_id: runId });
    await call("GET", "metrics/get-history", { run_id: runId, metric_key: "loss" });
    await call("POST", "runs/update", { run_id: runId, status: "FINISHED", end_time: 5 });
  });
});
