import { describe, expect, it } from "vitest";
import { createProjectWithToken, mlflowRequest } from "../factories";
import { countStatements } from "../support/statement-counter";

/**
 * Statements each hot MLflow request sends to PostgreSQL once the token is cached (docs/performance.md,
 * "Round trips per request"). BEGIN and COMMIT count: each is a round trip. A change that adds one
 * fails here with the statements listed.
 */
const BUDGETS = {
  "runs/create": 1,
  "runs/log-metric": 1,
  "runs/log-parameter": 1,
  "runs/set-tag": 1,
  "runs/log-batch (metrics only)": 1,
  "runs/log-batch (metrics, params and tags)": 1,
  "runs/get": 1,
  "runs/update": 1,
  "experiments/get-by-name": 1,
  "metrics/get-history": 1,
  // The experiments' keys, the page's ids, and its runs weighed and loaded in one statement.
  "runs/search": 3,
} as const;

type Request = keyof typeof BUDGETS;

describe("round trips per MLflow request", () => {
  it("stays within each hot request's statement budget", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const target = { projectSlug: project.slug, token: plaintext };
    const counted: Partial<Record<Request, string[]>> = {};
    const call = async (name: Request, method: "GET" | "POST", fields: Record<string, unknown>) => {
      const endpoint = name.split(" ")[0]!;
      const { result, statements } = await countStatements(() => mlflowRequest(target, method, endpoint, fields));
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      counted[name] = statements;
      return result.body;
    };
    const { experiment_id: experimentId } = (await mlflowRequest(target, "POST", "experiments/create", { name: "trips" })).body as {
      experiment_id: string;
    };
    // The warm path: the token cached (which waits for this process's cache-invalidation listener).
    for (let attempt = 0; attempt < 50; attempt++) {
      const { statements } = await countStatements(() => mlflowRequest(target, "GET", "experiments/get-by-name", { experiment_name: "trips" }));
      if (!statements.some((statement) => statement.includes("ApiToken"))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await call("experiments/get-by-name", "GET", { experiment_name: "trips" });
    const { run } = (await call("runs/create", "POST", { experiment_id: experimentId, run_name: "r", tags: [{ key: "a", value: "1" }] })) as {
      run: { info: { run_id: string } };
    };
    const runId = run.info.run_id;
    await call("runs/log-metric", "POST", { run_id: runId, key: "loss", value: 1, timestamp: 1, step: 1 });
    await call("runs/log-parameter", "POST", { run_id: runId, key: "lr", value: "0.1" });
    await call("runs/set-tag", "POST", { run_id: runId, key: "team", value: "a" });
    await call("runs/log-batch (metrics only)", "POST", {
      run_id: runId,
      metrics: [1, 2, 3].map((step) => ({ key: "acc", value: step / 10, timestamp: step, step })),
    });
    await call("runs/log-batch (metrics, params and tags)", "POST", {
      run_id: runId,
      metrics: [{ key: "acc", value: 0.5, timestamp: 4, step: 4 }],
      params: [{ key: "epochs", value: "3" }],
      tags: [{ key: "stage", value: "train" }],
    });
    await call("runs/get", "GET", { run_id: runId });
    await call("metrics/get-history", "GET", { run_id: runId, metric_key: "acc" });
    await call("runs/update", "POST", { run_id: runId, status: "FINISHED", end_time: 5 });
    await call("runs/search", "POST", { experiment_ids: [experimentId], filter: "params.epochs = '3'", order_by: ["metrics.acc DESC"] });

    for (const [name, budget] of Object.entries(BUDGETS) as [Request, number][]) {
      const statements = counted[name]!;
      expect(statements.length, `${name} sent:\n  ${statements.join("\n  ")}`).toBeLessThanOrEqual(budget);
    }
  });
});
