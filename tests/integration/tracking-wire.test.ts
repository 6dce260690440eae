import { describe, expect, it } from "vitest";
import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";
import { createProjectWithToken } from "../factories";

/**
 * The exact bytes the mlflow client reads for a run, a logged model and an experiment: field order,
 * omitted optional fields, NaN and infinities as strings. Services speak camelCase domain types and
 * server/http/mlflow/tracking-wire.ts maps them; this pins the mapping to what MLflow's server sends.
 */
async function trackedProject() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const call = async (method: "GET" | "POST" | "PATCH", endpoint: string, body?: Record<string, unknown>, query = "") => {
    const response = await handleMlflowRequest(
      new Request(`http://tally.test/projects/${project.slug}/api/2.0/mlflow/${endpoint}${query}`, {
        method,
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
      { projectSlug: project.slug, segments: endpoint.split("/") },
    );
    expect(response.status).toBe(200);
    return response.text();
  };
  return call;
}

/** Ids and creation times vary per run of the suite; everything else must match byte for byte. */
const normalized = (text: string, ids: Record<string, string>) =>
  Object.entries(ids)
    .reduce((result, [id, name]) => result.split(id).join(name), text)
    .replace(/\b1[7-9]\d{11}\b/g, "NOW");

describe("MLflow wire format of tracking entities", () => {
  it("sends a run, a logged model and an experiment exactly as MLflow's server does", async () => {
    const call = await trackedProject();
    const { experiment_id: experimentId } = JSON.parse(
      await call("POST", "experiments/create", { name: "wire", tags: [{ key: "b", value: "2" }, { key: "a", value: "1" }] }),
    ) as { experiment_id: string };
    const created = JSON.parse(
      await call("POST", "runs/create", { experiment_id: experimentId, start_time: 1000, run_name: "r", tags: [{ key: "t1", value: "v1" }] }),
    ) as { run: { info: { run_id: string } } };
    const runId = created.run.info.run_id;
    await call("POST", "runs/log-batch", {
      run_id: runId,
      metrics: [
        { key: "acc", value: 0.5, timestamp: 2000, step: 1 },
        { key: "acc", value: 0.7, timestamp: 2001, step: 2 },
        { key: "nan", value: "NaN", timestamp: 2002, step: 0 },
        { key: "inf", value: "-Infinity", timestamp: 2003, step: 0 },
      ],
      params: [{ key: "lr", value: "0.1" }],
      tags: [{ key: "z", value: "last" }, { key: "10", value: "num" }],
    });
    await call("POST", "runs/log-inputs", {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: "mlflow.data.context", value: "training" }],
          dataset: { name: "iris", digest: "abc", source_type: "local", source: "{}", schema: '{"s":1}', profile: '{"p":2}' },
        },
      ],
    });
    const model = JSON.parse(
      await call("POST", "logged-models", {
        experiment_id: experimentId,
        name: "m",
        model_type: "sk",
        source_run_id: runId,
        params: [{ key: "p", value: "1" }],
        tags: [{ key: "k", value: "v" }],
      }),
    ) as { model: { info: { model_id: string } } };
    const modelId = model.model.info.model_id;
    await call("POST", "runs/outputs", { run_id: runId, models: [{ model_id: modelId, step: 3 }] });
    await call("POST", "runs/log-metric", { run_id: runId, key: "mm", value: 1.5, timestamp: 3000, step: 4, model_id: modelId, dataset_name: "iris", dataset_digest: "abc" });
    await call("POST", "runs/log-metric", { run_id: runId, key: "mm2", value: 2.5, timestamp: 3001, step: 5, model_id: modelId });
    await call("POST", "runs/update", { run_id: runId, status: "FINISHED", end_time: 5000 });
    const ids = { [runId]: "RUN", [modelId]: "MODEL" };

    expect(normalized(await call("GET", "runs/get", undefined, `?run_id=${runId}`), ids)).toBe(
      '{"run":{"info":{"run_id":"RUN","run_uuid":"RUN","run_name":"r","experiment_id":"1","user_id":"","status":"FINISHED","start_time":1000,"end_time":5000,"artifact_uri":"mlflow-artifacts:/1/RUN/artifacts","lifecycle_stage":"active"},' +
        '"data":{"metrics":[{"key":"acc","value":0.7,"timestamp":2001,"step":2},{"key":"inf","value":"-Infinity","timestamp":2003,"step":0},{"key":"mm","value":1.5,"timestamp":3000,"step":4},{"key":"mm2","value":2.5,"timestamp":3001,"step":5},{"key":"nan","value":"NaN","timestamp":2002,"step":0}],' +
        '"params":[{"key":"lr","value":"0.1"}],"tags":[{"key":"10","value":"num"},{"key":"mlflow.runName","value":"r"},{"key":"t1","value":"v1"},{"key":"z","value":"last"}]},' +
        '"inputs":{"dataset_inputs":[{"tags":[{"key":"mlflow.data.context","value":"training"}],"dataset":{"name":"iris","digest":"abc","source_type":"local","source":"{}","schema":"{\\"s\\":1}","profile":"{\\"p\\":2}"}}],"model_inputs":[]},' +
        '"outputs":{"model_outputs":[{"model_id":"MODEL","step":3}]}}}',
    );
    expect(normalized(await call("GET", `logged-models/${modelId}`), ids)).toBe(
      '{"model":{"info":{"model_id":"MODEL","experiment_id":"1","name":"m","artifact_uri":"mlflow-artifacts:/1/models/MODEL/artifacts","creation_timestamp_ms":NOW,"last_updated_timestamp_ms":NOW,"status":"LOGGED_MODEL_PENDING","model_type":"sk","source_run_id":"RUN","tags":[{"key":"k","value":"v"}]},' +
        '"data":{"params":[{"key":"p","value":"1"}],"metrics":[{"key":"mm","value":1.5,"timestamp":3000,"step":4,"run_id":"RUN","model_id":"MODEL","dataset_name":"iris","dataset_digest":"abc"},{"key":"mm2","value":2.5,"timestamp":3001,"step":5,"run_id":"RUN","model_id":"MODEL"}]}}}',
    );
    expect(normalized(await call("GET", "experiments/get", undefined, `?experiment_id=${experimentId}`), ids)).toBe(
      '{"experiment":{"experiment_id":"1","name":"wire","artifact_location":"mlflow-artifacts:/1","lifecycle_stage":"active","creation_time":NOW,"last_update_time":NOW,"tags":[{"key":"a","value":"1"},{"key":"b","value":"2"}]}}',
    );
    expect(normalized(await call("GET", "metrics/get-history-bulk-interval", undefined, `?run_ids=${runId}&metric_key=acc&max_results=5`), ids)).toBe(
      '{"metrics":[{"key":"acc","value":0.5,"timestamp":2000,"step":1,"run_id":"RUN"},{"key":"acc","value":0.7,"timestamp":2001,"step":2,"run_id":"RUN"}]}',
    );
  });
});
