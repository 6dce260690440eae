/**
 * A small in-memory imitation of Tally's MLflow endpoints (node:http) for the SDK's unit tests, with
 * failure injection: queued responses (503, 429 + Retry-After, ...) and dropped connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Injected {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Destroy the socket without answering. */
  drop?: boolean;
}

interface StoredRun {
  info: Record<string, unknown>;
  metrics: { key: string; value: unknown; timestamp: number; step: number }[];
  params: Map<string, string>;
  tags: Map<string, string>;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingMessage["headers"];
}

export class FakeTally {
  server: Server;
  url = "";
  requests: FakeRequest[] = [];
  /** Responses to give instead of the real one, next request first (matching `match` when set). */
  injected: (Injected & { match?: string })[] = [];
  experiments = new Map<string, { id: string; name: string }>();
  runs = new Map<string, StoredRun>();
  artifacts = new Map<string, Buffer>();
  token = "tly_test";
  historyPageSize = 1000;
  /** Datasets logged per run (runs/log-inputs bodies' `datasets`). */
  inputs = new Map<string, unknown[]>();
  /** What `POST /api/v1/projects/demo/datasets/import/dvc` answers (its requests are in `requests`). */
  dvcImportAnswer: unknown = {};
  private counter = 0;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/projects/demo`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Requests to one endpoint, e.g. "/runs/log-batch". */
  calls(suffix: string): FakeRequest[] {
    return this.requests.filter((request) => request.path.endsWith(suffix));
  }

  metricsOf(runId: string) {
    return this.runs.get(runId)?.metrics ?? [];
  }

  createRunDirect(experimentId = "1"): string {
    const runId = (++this.counter).toString(16).padStart(32, "0");
    this.runs.set(runId, {
      info: {
        run_id: runId,
        run_uuid: runId,
        run_name: `run-${this.counter}`,
        experiment_id: experimentId,
        status: "RUNNING",
        start_time: 1,
        artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
        lifecycle_stage: "active",
      },
      metrics: [],
      params: new Map(),
      tags: new Map(),
    });
    return runId;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    let body: unknown = undefined;
    if (req.headers["content-type"]?.includes("json") && raw.length) body = JSON.parse(raw.toString("utf8"));
    this.requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body, headers: req.headers });

    const index = this.injected.findIndex((item) => !item.match || url.pathname.endsWith(item.match));
    if (index >= 0) {
      const [item] = this.injected.splice(index, 1);
      if (item!.drop) {
        req.socket.destroy();
        return;
      }
      res.writeHead(item!.status ?? 503, { "content-type": "application/json", ...item!.headers });
      res.end(item!.body ?? JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "injected" }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return json(res, 401, { error_code: "UNAUTHENTICATED", message: "bad token" });
    }
    try {
      this.route(req.method ?? "GET", url, body, raw, res);
    } catch (error) {
      json(res, 500, { error_code: "INTERNAL_ERROR", message: String(error) });
    }
  }

  private route(method: string, url: URL, body: unknown, raw: Buffer, res: ServerResponse) {
    const path = url.pathname;
    const b = (body ?? {}) as Record<string, any>;
    const q = url.searchParams;
    if (path === "/api/v1/whoami") {
      return json(res, 200, { project: { slug: "demo", name: "Demo" }, token: { id: "tok1", name: "ci", scopes: ["read", "write"], expiresAt: null } });
    }
    if (path === "/api/v1/projects/demo/datasets/import/dvc" && method === "POST") return json(res, 200, this.dvcImportAnswer);
    if (path.startsWith("/api/v1/projects/")) return json(res, 404, { error: { code: "NOT_FOUND", message: `Project not found` } });
    const artifactPrefix = "/projects/demo/api/2.0/mlflow-artifacts/artifacts";
    if (path === artifactPrefix && method === "GET") {
      const dir = (q.get("path") ?? "").replace(/\/+$/, "");
      const entries = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
      for (const [key, value] of this.artifacts) {
        if (!key.startsWith(`${dir}/`)) continue;
        const rest = key.slice(dir.length + 1).split("/");
        if (rest.length === 1) entries.set(rest[0]!, { path: rest[0]!, is_dir: false, file_size: value.length });
        else entries.set(rest[0]!, { path: rest[0]!, is_dir: true });
      }
      return json(res, 200, entries.size ? { files: [...entries.values()] } : {});
    }
    if (path.startsWith(`${artifactPrefix}/`)) {
      const key = decodeURIComponent(path.slice(artifactPrefix.length + 1));
      if (method === "PUT") {
        this.artifacts.set(key, raw);
        return json(res, 200, {});
      }
      const data = this.artifacts.get(key);
      if (!data) return json(res, 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `no artifact ${key}` });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(data.length) });
      return res.end(data);
    }
    const prefix = "/projects/demo/api/2.0/mlflow";
    if (!path.startsWith(prefix)) return json(res, 404, { error_code: "ENDPOINT_NOT_FOUND", message: "no such endpoint" });
    const endpoint = `${method} ${path.slice(prefix.length)}`;
    const runOf = (id: unknown) => {
      const run = this.runs.get(String(id));
      if (!run) throw Object.assign(new Error("missing"), { missing: true });
      return run;
    };
    const notFound = () => json(res, 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Run not found" });
    switch (endpoint) {
      case "GET /experiments/get-by-name": {
        const experiment = this.experiments.get(q.get("experiment_name") ?? "");
        if (!experiment) return json(res, 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "no experiment" });
        return json(res, 200, { experiment: { experiment_id: experiment.id, name: experiment.name, lifecycle_stage: "active" } });
      }
      case "POST /experiments/create": {
        const id = String(this.experiments.size + 1);
        this.experiments.set(b.name, { id, name: b.name });
        return json(res, 200, { experiment_id: id });
      }
      case "POST /runs/create": {
        const runId = this.createRunDirect(b.experiment_id);
        const run = this.runs.get(runId)!;
        if (b.run_name) run.info.run_name = b.run_name;
        run.info.start_time = b.start_time;
        for (const tag of b.tags ?? []) run.tags.set(tag.key, tag.value);
        return json(res, 200, { run: this.render(run) });
      }
      case "GET /runs/get": {
        if (!this.runs.has(q.get("run_id") ?? "")) return notFound();
        return json(res, 200, { run: this.render(runOf(q.get("run_id"))) });
      }
      case "POST /runs/update": {
        if (!this.runs.has(b.run_id)) return notFound();
        const run = runOf(b.run_id);
        Object.assign(run.info, { status: b.status, end_time: b.end_time });
        return json(res, 200, { run_info: run.info });
      }
      case "POST /runs/log-batch": {
        if (!this.runs.has(b.run_id)) return notFound();
        const run = runOf(b.run_id);
        const metrics = b.metrics ?? [];
        const params = b.params ?? [];
        const tags = b.tags ?? [];
        if (metrics.length > 1000 || params.length > 100 || tags.length > 100 || metrics.length + params.length + tags.length > 1000) {
          return json(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: "batch too large" });
        }
        const keys = new Set(params.map((p: { key: string }) => p.key));
        if (keys.size !== params.length) return json(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: "duplicate param key" });
        for (const param of params) {
          const old = run.params.get(param.key);
          if (old !== undefined && old !== param.value) {
            return json(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Changing param values is not allowed" });
          }
        }
        for (const param of params) run.params.set(param.key, param.value);
        for (const tag of tags) run.tags.set(tag.key, tag.value);
        for (const metric of metrics) {
          const duplicate = run.metrics.some(
            (m) => m.key === metric.key && m.value === metric.value && m.timestamp === metric.timestamp && m.step === metric.step,
          );
          if (!duplicate) run.metrics.push(metric);
        }
        return json(res, 200, {});
      }
      case "POST /runs/log-inputs": {
        if (!this.runs.has(b.run_id)) return notFound();
        this.inputs.set(b.run_id, [...(this.inputs.get(b.run_id) ?? []), ...(b.datasets ?? [])]);
        return json(res, 200, {});
      }
      case "GET /metrics/get-history": {
        if (!this.runs.has(q.get("run_id") ?? "")) return notFound();
        const all = runOf(q.get("run_id")).metrics.filter((m) => m.key === q.get("metric_key"));
        const size = Math.min(Number(q.get("max_results") ?? 25000), this.historyPageSize);
        const offset = Number(q.get("page_token") ?? 0);
        const page = all.slice(offset, offset + size);
        const next = offset + size < all.length ? String(offset + size) : undefined;
        return json(res, 200, { metrics: page, ...(next ? { next_page_token: next } : {}) });
      }
      case "POST /runs/search": {
        const ids: string[] = b.experiment_ids ?? [];
        const runs = [...this.runs.values()].filter((run) => ids.includes(String(run.info.experiment_id)));
        return json(res, 200, { runs: runs.slice(0, b.max_results ?? 1000).map((run) => this.render(run)) });
      }
      default:
        return json(res, 404, { error_code: "ENDPOINT_NOT_FOUND", message: `no ${endpoint}` });
    }
  }

  private render(run: StoredRun) {
    const latest = new Map<string, StoredRun["metrics"][number]>();
    for (const metric of run.metrics) {
      const old = latest.get(metric.key);
      if (!old || metric.step > old.step || (metric.step === old.step && metric.timestamp >= old.timestamp)) latest.set(metric.key, metric);
    }
    return {
      info: run.info,
      data: {
        metrics: [...latest.values()],
        params: [...run.params].map(([key, value]) => ({ key, value })),
        tags: [...run.tags].map(([key, value]) => ({ key, value })),
      },
    };
  }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** A port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
