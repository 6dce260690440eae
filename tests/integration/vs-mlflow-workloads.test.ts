import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mlflowClient } from "@/scripts/bench/mlflow-client";
import { expectedSearchOrder, loadAtScale, runWorkloads } from "@/scripts/bench/vs-mlflow-workloads";
import { createProjectWithToken } from "../factories";
import { startTally, stopTallies } from "../support/tally-server";

/**
 * `npm run bench:vs-mlflow`'s workloads and correctness checks at a hundredth of their size, against
 * Tally alone (the benchmark itself installs MLflow's server from PyPI and takes minutes): every
 * workload runs through the same client, and Tally must store every point and run exactly once and
 * search in the order the benchmark expects. Keeps the benchmark working between its runs, and
 * catches a write path that loses or repeats data under concurrent clients. Serves the production
 * build, with two web processes as on a 2-core machine.
 */
let base = "";

beforeAll(async () => {
  base = await startTally({ TALLY_WEB_PROCESSES: "2" });
}, 120_000);

afterAll(stopTallies);

describe("the side-by-side benchmark's workloads, against Tally", () => {
  it("store every point and run once and search in the expected order", async () => {
    const { project, plaintext } = await createProjectWithToken("OWNER");
    const load = loadAtScale(0.01);
    const client = mlflowClient(`${base}/projects/${project.slug}`, plaintext);
    try {
      const results = await runWorkloads(client, load, () => undefined);
      expect(results.problems).toEqual([]);
      expect(results.searchOrder).toEqual(expectedSearchOrder(load.seededRuns));
      expect(results.searchOrder.length).toBeGreaterThan(0);
      for (const rate of [results.bulk.pointsPerSecond, results.single.perSecond, results.seeding.perSecond, results.get.perSecond, results.search.perSecond]) {
        expect(rate).toBeGreaterThan(0);
      }
    } finally {
      client.close();
    }
  }, 180_000);
});
