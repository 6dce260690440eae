/**
 * The few MLflow REST calls the demo makes, with a project token. The demo talks to Tally exactly
 * as a training job would: nothing here touches the database.
 */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface Dataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}

const MAX_METRICS_PER_BATCH = 1000;

export class MlflowRest {
  constructor(
    /** The project's tracking URI, e.g. http://localhost:3000/projects/demo */
    private readonly trackingUri: string,
    private readonly token: string,
  ) {}

  async createExperiment(name: string, tags: Record<string, string>): Promise<string> {
    const found = await this.call<{ experiment?: { experiment_id: string } }>(
      "GET",
      `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      undefined,
      [404],
    );
    if (found.experiment) return found.experiment.experiment_id;
    const created = await this.call<{ experiment_id: string }>("POST", "experiments/create", { name, tags: pairs(tags) });
    return created.experiment_id;
  }

  async createRun(input: { experimentId: string; name: string; startTime: number; user: string; tags: Record<string, string> }) {
    const { run } = await this.call<{ run: { info: { run_id: string; artifact_uri: string } } }>("POST", "runs/create", {
      experiment_id: input.experimentId,
      run_name: input.name,
      start_time: input.startTime,
      user_id: input.user,
      tags: pairs(input.tags),
    });
    return { runId: run.info.run_id, artifactUri: run.info.artifact_uri };
  }

  async logParams(runId: string, params: Record<string, string | number>) {
    const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    await this.call("POST", "runs/log-batch", { run_id: runId, params: list });
  }

  async logMetrics(runId: string, metrics: Metric[]) {
    for (let start = 0; start < metrics.length; start += MAX_METRICS_PER_BATCH) {
      await this.call("POST", "runs/log-batch", { run_id: runId, metrics: metrics.slice(start, start + MAX_METRICS_PER_BATCH) });
    }
  }

  async logInputs(runId: string, inputs: { dataset: Dataset; context: string }[]) {
    await this.call("POST", "runs/log-inputs", {
      run_id: runId,
      datasets: inputs.map(({ dataset, context }) => ({ dataset, tags: [{ key: "mlflow.data.context", value: context }] })),
    });
  }

  async finishRun(runId: string, status: "FINISHED" | "FAILED" | "KILLED", endTime: number) {
    await this.call("POST", "runs/update", { run_id: runId, status, end_time: endTime });
  }

  /** Uploads one file through the proxied artifact API, as `mlflow.log_artifact` does. */
  async logArtifact(artifactUri: string, relativePath: string, body: Buffer, contentType: string) {
    const storagePath = artifactUri.replace(/^mlflow-artifacts:\/?/, "");
    const url = `${this.trackingUri}/api/2.0/mlflow-artifacts/artifacts/${storagePath}/${relativePath}`;
    const response = await fetch(url, {
      method: "PUT",
      headers: { authorization: `Bearer ${this.token}`, "content-type": contentType },
      body: new Uint8Array(body),
    });
    if (!response.ok) throw new Error(`PUT ${relativePath}: HTTP ${response.status} ${await response.text()}`);
  }

  /** An MLflow 3 logged model the run produced (what `mlflow.<flavor>.log_model` creates first). */
  async createLoggedModel(experimentId: string, name: string, sourceRunId: string): Promise<string> {
    const { model } = await this.call<{ model: { info: { model_id: string } } }>("POST", "logged-models", {
      experiment_id: experimentId,
      name,
      source_run_id: sourceRunId,
    });
    return model.info.model_id;
  }

  /** Registers the logged model as the next version of `name` (creating the model when new); answers the version. */
  async registerVersion(name: string, loggedModelId: string, runId: string): Promise<number> {
    await this.call("POST", "registered-models/create", { name }, [400]);
    const { model_version } = await this.call<{ model_version: { version: string } }>("POST", "model-versions/create", {
      name,
      source: `models:/${loggedModelId}`,
      run_id: runId,
    });
    return Number(model_version.version);
  }

  /** Points an alias at a version (an ungated one: the default policy gates `champion`). */
  async setAlias(name: string, alias: string, version: number): Promise<void> {
    await this.call("POST", "registered-models/alias", { name, alias, version: String(version) });
  }

  private send(method: "GET" | "POST", endpoint: string, body?: unknown): Promise<Response> {
    return fetch(`${this.trackingUri}/api/2.0/mlflow/${endpoint}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body, mlflowNumbers),
    });
  }

  private async call<T = unknown>(method: "GET" | "POST", endpoint: string, body?: unknown, tolerated: number[] = []): Promise<T> {
    const response = await this.send(method, endpoint, body);
    if (tolerated.includes(response.status)) return {} as T;
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${endpoint}: HTTP ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

const pairs = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }));

/** MLflow sends NaN and infinities as strings: JSON has no literal for them. */
function mlflowNumbers(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  return value;
}
