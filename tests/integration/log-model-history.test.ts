import { describe, expect, it } from "vitest";
import { MAX_RUN_TAG_VALUE_LENGTH } from "@/lib/schemas/mlflow";
import { createProjectWithToken, mlflowCaller } from "../factories";

const HISTORY_TAG = "mlflow.log-model.history";

/**
 * runs/log-model appends to the run's mlflow.log-model.history tag. MLflow's server validates the
 * new value as a run tag (8000 characters) and refuses it with INVALID_PARAMETER_VALUE, storing nothing.
 */
describe("POST runs/log-model", () => {
  it("refuses a model once the history tag would pass 8000 characters and keeps the stored history", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const call = mlflowCaller(project.slug, plaintext);
    const runId = ((await call("POST", "runs/create", { experiment_id: "0" })).body.run as { info: { run_id: string } }).info.run_id;
    const history = async () => {
      const { body } = await call("GET", "runs/get", undefined, `?run_id=${runId}`);
      return (body.run as { data: { tags: { key: string; value: string }[] } }).data.tags.find((tag) => tag.key === HISTORY_TAG)?.value;
    };
    const model = (index: number) => ({
      artifact_path: `model-${index}`,
      run_id: runId,
      utc_time_created: "2026-01-01 00:00:00.000000",
      flavors: { python_function: { loader_module: "mlflow.sklearn", padding: "x".repeat(1_400) } },
    });

    let logged = 0;
    for (;;) {
      const answer = await call("POST", "runs/log-model", { run_id: runId, model_json: JSON.stringify(model(logged)) });
      if (answer.status !== 200) {
        expect(answer.status).toBe(400);
        expect(answer.body.error_code).toBe("INVALID_PARAMETER_VALUE");
        break;
      }
      logged++;
      expect(logged).toBeLessThan(20);
    }
    expect(logged).toBeGreaterThan(1);
    const stored = (await history())!;
    expect(stored.length).toBeLessThanOrEqual(MAX_RUN_TAG_VALUE_LENGTH);
    expect((JSON.parse(stored) as { artifact_path: string }[]).map((entry) => entry.artifact_path)).toEqual(
      Array.from({ length: logged }, (_, index) => `model-${index}`),
    );

    // Refused again: nothing changes.
    expect((await call("POST", "runs/log-model", { run_id: runId, model_json: JSON.stringify(model(99)) })).status).toBe(400);
    expect(await history()).toBe(stored);
  });

  it("refuses a single model whose own history entry is over the limit", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const call = mlflowCaller(project.slug, plaintext);
    const runId = ((await call("POST", "runs/create", { experiment_id: "0" })).body.run as { info: { run_id: string } }).info.run_id;
    const model_json = JSON.stringify({ artifact_path: "big", flavors: { x: { padding: "y".repeat(MAX_RUN_TAG_VALUE_LENGTH) } } });
    const answer = await call("POST", "runs/log-model", { run_id: runId, model_json });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const { body } = await call("GET", "runs/get", undefined, `?run_id=${runId}`);
    expect((body.run as { data: { tags: { key: string }[] } }).data.tags.map((tag) => tag.key)).not.toContain(HISTORY_TAG);
  });

  it("refuses to append to a history tag a client set to something other than a JSON list, changing nothing", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const call = mlflowCaller(project.slug, plaintext);
    const runId = ((await call("POST", "runs/create", { experiment_id: "0" })).body.run as { info: { run_id: string } }).info.run_id;
    const history = async () => {
      const { body } = await call("GET", "runs/get", undefined, `?run_id=${runId}`);
      return (body.run as { data: { tags: { key: string; value: string }[] } }).data.tags.filter((tag) => tag.key === HISTORY_TAG);
    };
    const model_json = JSON.stringify({ artifact_path: "model", flavors: {} });
    // mlflow.set_tag("mlflow.log-model.history", ...) with text, a JSON object, a JSON string, null.
    for (const value of ["x", '{"artifact_path": "model"}', '"abc"', "null"]) {
      expect((await call("POST", "runs/set-tag", { run_id: runId, key: HISTORY_TAG, value })).status).toBe(200);
      const answer = await call("POST", "runs/log-model", { run_id: runId, model_json });
      expect(answer.status, value).toBe(400);
      expect(answer.body.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(answer.body.message).toContain(`${HISTORY_TAG} tag is not a JSON list`);
      expect(await history()).toEqual([{ key: HISTORY_TAG, value }]);
    }
  });
});
