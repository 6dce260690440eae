import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createProjectWithToken, mlflowCaller } from "../factories";

/**
 * Dataset inputs are stored with MLflow's limits, and runs/search returns them as MLflow's server does
 * (schema and profile included), but one page never carries more than a bounded amount: a search over
 * runs with huge profiles pages early instead of building the whole answer in memory.
 */
const MIB = 1024 * 1024;

type Input = { dataset: { name: string; schema?: string; profile?: string } };
type Run = { info: { run_id: string }; inputs: { dataset_inputs: Input[] } };

async function project() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const call = mlflowCaller(project.slug, plaintext);
  const experimentId = String(
    (await call("POST", "experiments/create", { name: `e-${randomBytes(4).toString("hex")}` })).body.experiment_id,
  );
  const createRun = async () =>
    ((await call("POST", "runs/create", { experiment_id: experimentId })).body.run as { info: { run_id: string } }).info.run_id;
  return { call, experimentId, createRun };
}

const dataset = (fields: { schema?: string; profile?: string }) => ({
  name: "train",
  digest: randomBytes(8).toString("hex"),
  source_type: "local",
  source: "/data/train.csv",
  ...fields,
});

describe("dataset inputs in runs/get and runs/search", () => {
  it("returns schema and profile in search results, as MLflow's server does, and complete in runs/get", async () => {
    const { call, experimentId, createRun } = await project();
    const runId = await createRun();
    const logged = dataset({ schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 3}' });
    expect((await call("POST", "runs/log-inputs", { run_id: runId, datasets: [{ dataset: logged, tags: [] }] })).status).toBe(200);

    const got = (await call("GET", "runs/get", undefined, `?run_id=${runId}`)).body.run as Run;
    expect(got.inputs.dataset_inputs.map((input) => input.dataset)).toEqual([logged]);
    const found = (await call("POST", "runs/search", { experiment_ids: [experimentId] })).body.runs as Run[];
    expect(found.map((run) => run.inputs.dataset_inputs.map((input) => input.dataset))).toEqual([[logged]]);
  });

  it("refuses a profile or schema one character over MLflow's limit, writing nothing", async () => {
    const { call, createRun } = await project();
    const runId = await createRun();
    for (const oversized of [{ profile: "p".repeat(16 * MIB) }, { schema: "s".repeat(MIB) }]) {
      const refused = await call("POST", "runs/log-inputs", {
        run_id: runId,
        datasets: [{ dataset: dataset({}), tags: [] }, { dataset: dataset(oversized), tags: [] }],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    expect(await db().runInput.count({ where: { runId } })).toBe(0);
  });

  it("refuses max_results above MLflow's limits for runs, experiments and logged models", async () => {
    const { call, experimentId } = await project();
    for (const [endpoint, body] of [
      ["runs/search", { experiment_ids: [experimentId], max_results: 50_001 }],
      ["experiments/search", { max_results: 50_001 }],
      ["logged-models/search", { experiment_ids: [experimentId], max_results: 1_001 }],
    ] as const) {
      const refused = await call("POST", endpoint, body);
      expect([refused.status, refused.body.error_code], endpoint).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    }
    expect((await call("POST", "runs/search", { experiment_ids: [experimentId], max_results: 50_000 })).status).toBe(200);
  });

  it("ends a search page early once its runs reach the response budget, and the page token goes on from there", async () => {
    const { call, experimentId, createRun } = await project();
    // Three runs sharing one dataset with a 12 MiB profile: two fit in a page, the third does not.
    const shared = dataset({ profile: randomBytes(9 * MIB).toString("base64") });
    const runIds: string[] = [];
    for (let index = 0; index < 3; index++) {
      const runId = await createRun();
      expect((await call("POST", "runs/log-inputs", { run_id: runId, datasets: [{ dataset: shared, tags: [] }] })).status).toBe(200);
      runIds.push(runId);
    }

    const pages: string[][] = [];
    let pageToken: string | undefined;
    do {
      const { status, body } = await call("POST", "runs/search", {
        experiment_ids: [experimentId],
        max_results: 3,
        order_by: ["attributes.start_time ASC"],
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      expect(status).toBe(200);
      const runs = body.runs as Run[];
      for (const run of runs) expect(run.inputs.dataset_inputs[0]!.dataset.profile).toBe(shared.profile);
      pages.push(runs.map((run) => run.info.run_id));
      pageToken = body.next_page_token as string | undefined;
    } while (pageToken && pages.length < 5);

    expect(pages.map((page) => page.length)).toEqual([2, 1]);
    expect(pages.flat()).toEqual(runIds);
  }, 60_000);
});
