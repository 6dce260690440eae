import { readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restRoutes } from "@/server/http/rest-routes";
import { ROUTE_METHODS } from "@/server/http/route-module";
import { resolveProjectAccess } from "@/server/services/access";
import { createToken } from "@/server/services/api-tokens";
import { createProjectWithToken, systemActor, uniqueSuffix } from "../factories";
import { startTally, stopTallies } from "../support/tally-server";

/**
 * The lean API path (server/runtime/lean-api.ts): Tally's HTTP server calls the REST API's handlers
 * itself instead of through Next.js. Two servers of the production build on one database, one with
 * TALLY_LEAN_API=false, get the same requests and must give the same answers: status, every header
 * but Date, and the body, once what each server generated for its own project is written the same.
 * Each server's request log says whether its lean path served a request (`lean: true`).
 * Needs `next build` first, which `npm test` runs before this.
 */

const APP = path.resolve(import.meta.dirname, "../../app");

type Server = { base: string; log: Map<string, Record<string, unknown>> };
let lean: Server;
let viaNext: Server;

async function start(env: Record<string, string>): Promise<Server> {
  const log = new Map<string, Record<string, unknown>>();
  const base = await startTally(env, {
    onLogLine: (line) => {
      // Next.js writes a few lines of its own at start.
      if (!line.startsWith("{")) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === "request" && typeof entry.requestId === "string") log.set(entry.requestId, entry);
    },
  });
  return { base, log };
}

beforeAll(async () => {
  [lean, viaNext] = await Promise.all([start({}), start({ TALLY_LEAN_API: "false" })]);
}, 120_000);

afterAll(stopTallies);

type Raw = { status: number; headers: string[]; body: Buffer };

/** One request without fetch's URL and header handling, so the path goes as written and the answer's header lines are seen as sent. */
function send(base: string, method: string, target: string, headers: Record<string, string>, body?: string | Buffer): Promise<Raw> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path: target, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.rawHeaders, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** What one server made for its own copy of the scenario: its project, tokens and the ids it gave out. */
type Fixture = { slug: string; token: string; readToken: string; generated: Map<string, string> };

async function fixture(): Promise<Fixture> {
  const { project, plaintext, token } = await createProjectWithToken("OWNER", ["read", "write", "promote"]);
  const read = await createToken(await resolveProjectAccess(systemActor, project.slug), { name: `read-${uniqueSuffix()}`, scopes: ["read"] });
  const generated = new Map([
    [project.slug, "<slug>"],
    [project.name, "<project>"],
    [token.name, "<token name>"],
    [token.id, "<token id>"],
  ]);
  return { slug: project.slug, token: plaintext, readToken: read.plaintext, generated };
}

/** One answer as compared: what a server generated for itself (ids, times) replaced by names. */
type Exchange = { step: string; lean: boolean; status: number; headers: string[]; body: string };

function normalise(text: string, generated: Map<string, string>): string {
  let result = text;
  for (const [value, name] of generated) result = result.replaceAll(value, name);
  return result
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, "<time>")
    .replace(/\b1\d{12}\b/g, "<ms>")
    .replace(/\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT/g, "<date>");
}

/**
 * The scenario, against one server with its own fixture. `lean` says whether the lean path must
 * serve the step; the others are Next's to answer (a method the route does not export, OPTIONS, a
 * session-or-token operation without a token).
 */
async function scenario(server: Server, own: Fixture): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  // Links name the server as Next.js sees itself: localhost (its loopback hostname) and its own port.
  own.generated.set(`localhost:${new URL(server.base).port}`, "localhost:<port>");
  const bearer = { authorization: `Bearer ${own.token}` };
  const json = { ...bearer, "content-type": "application/json" };
  const gzip = { "accept-encoding": "gzip" };
  const step = async (name: string, expectLean: boolean, method: string, target: string, headers: Record<string, string>, body?: string) => {
    const raw = await send(server.base, method, target, { ...headers, "x-request-id": `lean-api-${name}` }, body);
    const encoding = headerOf(raw, "content-encoding");
    const text = (encoding === "gzip" ? gunzipSync(raw.body) : raw.body).toString("utf8");
    const headerLines = raw.headers.flatMap((line, index) => (index % 2 === 0 && line.toLowerCase() !== "date" ? [`${line}: ${raw.headers[index + 1]}`] : []));
    exchanges.push({ step: name, lean: expectLean, status: raw.status, headers: headerLines, body: text });
    return text;
  };
  const mlflow = "/api/2.0/mlflow";

  const experiment = JSON.parse(await step("create-experiment", true, "POST", `${mlflow}/experiments/create`, json, JSON.stringify({ name: "lean" }))) as { experiment_id: string };
  const created = JSON.parse(
    await step("create-run", true, "POST", `${mlflow}/runs/create`, json, JSON.stringify({ experiment_id: experiment.experiment_id, run_name: "r", start_time: 1_700_000_000_000 })),
  ) as { run: { info: { run_id: string } } };
  const runId = created.run.info.run_id;
  own.generated.set(runId, "<run>");
  await step("log-metric", true, "POST", `${mlflow}/runs/log-metric`, json, JSON.stringify({ run_id: runId, key: "loss", value: 0.5, timestamp: 1_700_000_000_001, step: 1 }));
  await step(
    "log-batch",
    true,
    "POST",
    `${mlflow}/runs/log-batch`,
    json,
    JSON.stringify({
      run_id: runId,
      metrics: [1, 2, 3].map((index) => ({ key: "loss", value: 1 / index, timestamp: 1_700_000_000_010 + index, step: 10 + index })),
      params: [{ key: "lr", value: "0.1" }],
      tags: [{ key: "team", value: "lean" }],
    }),
  );
  // Past the size the lean path reads first: the method handler streams it instead of the plain handler.
  const points = Array.from({ length: 1_000 }, (_, index) => ({ key: "bulk", value: index / 7, timestamp: 1_700_000_001_000 + index, step: index }));
  await step("log-batch-streamed", true, "POST", `${mlflow}/runs/log-batch`, json, JSON.stringify({ run_id: runId, metrics: points }));
  await step("runs-get", true, "GET", `${mlflow}/runs/get?run_id=${runId}`, { ...bearer, ...gzip });
  await step("runs-get-head", true, "HEAD", `${mlflow}/runs/get?run_id=${runId}`, bearer);
  await step("runs-get-by-project", true, "GET", `/projects/${own.slug}${mlflow}/runs/get?run_id=${runId}`, bearer);
  await step("runs-search", true, "POST", `${mlflow}/runs/search`, json, JSON.stringify({ experiment_ids: [experiment.experiment_id], filter: "metrics.loss < 1" }));
  await step("get-history", true, "GET", `${mlflow}/metrics/get-history?run_id=${runId}&metric_key=loss`, bearer);
  await step("unknown-endpoint", true, "GET", `${mlflow}/runs/nothing-here`, { ...bearer, ...gzip });
  // An error answer long enough for the compression middleware to compress.
  await step("unknown-endpoint-long", true, "GET", `${mlflow}/runs/${"x".repeat(2_000)}`, { ...bearer, ...gzip });
  await step("wrong-method", true, "POST", `${mlflow}/metrics/get-history`, json, "{}");
  await step("method-no-route-exports", false, "PUT", `${mlflow}/runs/get`, json, "{}");
  await step("options", false, "OPTIONS", `${mlflow}/runs/get`, {});
  await step("bad-json", true, "POST", `${mlflow}/runs/log-metric`, { ...json, ...gzip }, "{bad");
  await step("no-token", true, "GET", `${mlflow}/runs/get?run_id=${runId}`, gzip);
  await step("bad-token", true, "GET", `${mlflow}/runs/get?run_id=${runId}`, { authorization: "Bearer tally_nope" });
  await step(
    "read-token-writes",
    true,
    "POST",
    `${mlflow}/runs/log-metric`,
    { authorization: `Bearer ${own.readToken}`, "content-type": "application/json" },
    JSON.stringify({ run_id: runId, key: "loss", value: 1, timestamp: 1_700_000_000_002, step: 2 }),
  );

  const artifact = `/api/2.0/mlflow-artifacts/artifacts/${experiment.experiment_id}/${runId}/artifacts/notes.txt`;
  await step("artifact-upload", true, "PUT", artifact, { ...bearer, "content-type": "text/plain" }, "lean and next\n".repeat(300));
  await step("artifact-download", true, "GET", artifact, bearer);
  await step("artifact-download-gzip", true, "GET", artifact, { ...bearer, ...gzip });
  await step("artifact-range", true, "GET", artifact, { ...bearer, range: "bytes=5-12" });
  await step("artifact-range-past-end", true, "GET", artifact, { ...bearer, range: "bytes=99999-" });
  await step("artifact-head", true, "HEAD", artifact, bearer);
  await step("artifact-list", true, "GET", `/projects/${own.slug}/api/2.0/mlflow-artifacts/artifacts?path=${experiment.experiment_id}/${runId}/artifacts`, bearer);
  await step("server-info", true, "GET", "/api/3.0/mlflow/server-info", gzip);

  await step("whoami", true, "GET", "/api/v1/whoami", bearer);
  await step("whoami-no-token", true, "GET", "/api/v1/whoami", gzip);
  await step(
    "openlineage-event",
    true,
    "POST",
    "/api/v1/lineage",
    json,
    JSON.stringify({
      eventType: "COMPLETE",
      eventTime: "2026-12-01T10:00:00.000000+00:00",
      producer: "https://example.test/lean",
      schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
      run: { runId: "3f7c8a52-7f3b-4c1e-9d6a-2b1e0c9f4a11", facets: {} },
      job: { namespace: "airflow", name: "prepare", facets: {} },
      inputs: [{ namespace: "s3://lake", name: "raw" }],
      outputs: [{ namespace: "s3://lake", name: "curated" }],
    }),
  );
  await step("lineage-upstream", true, "GET", `/api/v1/projects/${own.slug}/lineage/upstream?node=run:${runId}`, bearer);
  await step("lineage-impact-bad-input", true, "GET", `/api/v1/projects/${own.slug}/lineage/impact`, bearer);
  await step("metric-history", true, "GET", `/api/v1/runs/${runId}/metric-history?key=loss&buckets=2`, bearer);
  await step("openapi", true, "GET", "/api/v1/openapi.json", gzip);
  await step("openapi-mlflow", true, "GET", "/api/v1/openapi/mlflow.json", {});

  await step("create-model", true, "POST", `${mlflow}/registered-models/create`, json, JSON.stringify({ name: "fraud model" }));
  await step("create-version", true, "POST", `${mlflow}/model-versions/create`, json, JSON.stringify({ name: "fraud model", source: `runs:/${runId}/model`, run_id: runId }));
  const requested = JSON.parse(
    await step("promotion-request", true, "POST", `/api/v1/projects/${own.slug}/promotion-requests`, json, JSON.stringify({ name: "fraud model", version: 1, target: "Production" })),
  ) as { request: { id: string } };
  own.generated.set(requested.request.id, "<promotion>");
  await step("transition-needs-approval", true, "POST", `${mlflow}/model-versions/transition-stage`, json, JSON.stringify({ name: "fraud model", version: "1", stage: "Production" }));
  // Path parameters arrive decoded once: "fraud%20model" names "fraud model", "%2525" is "%25".
  await step("holders-decoded-name", true, "GET", `/api/v1/projects/${own.slug}/models/fraud%20model/holders?target=Production`, bearer);
  await step("holders-percent-name", true, "GET", `/api/v1/projects/${own.slug}/models/a%2525b/holders?target=Production`, bearer);
  await step("model-card", true, "GET", `/api/v1/models/fraud%20model/versions/1/card.md`, bearer);
  await step("policy-with-token", true, "GET", `/api/v1/projects/${own.slug}/policy`, bearer);
  await step("policy-without-token", false, "GET", `/api/v1/projects/${own.slug}/policy`, gzip);
  return exchanges.map((exchange) => ({
    ...exchange,
    headers: exchange.headers.map((line) => normalise(line, own.generated)),
    body: normalise(exchange.body, own.generated),
  }));
}

function headerOf(raw: Raw, name: string): string | undefined {
  const index = raw.headers.findIndex((line, position) => position % 2 === 0 && line.toLowerCase() === name);
  return index < 0 ? undefined : raw.headers[index + 1];
}

/** Waits for the request log line of each id (written when the answer is finished). */
async function logLines(server: Server, ids: string[]): Promise<Record<string, unknown>[]> {
  for (let attempt = 0; attempt < 100 && ids.some((id) => !server.log.has(id)); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
  return ids.map((id) => server.log.get(id) ?? { requestId: id, missing: true });
}

describe("the lean API path", () => {
  it("answers every request exactly as Next.js does", async () => {
    const leanAnswers = await scenario(lean, await fixture());
    const nextAnswers = await scenario(viaNext, await fixture());
    expect(leanAnswers.map((exchange) => exchange.step)).toEqual(nextAnswers.map((exchange) => exchange.step));
    for (const [index, answer] of leanAnswers.entries()) expect.soft(answer, answer.step).toEqual(nextAnswers[index]);
    // The scenario does cover what the brief of the path names.
    const statuses = new Set(leanAnswers.map((exchange) => exchange.status));
    for (const status of [200, 204, 206, 400, 401, 403, 404, 405, 416]) expect(statuses, `status ${status}`).toContain(status);
    const answerOf = (step: string) => leanAnswers.find((exchange) => exchange.step === step)!;
    expect(answerOf("artifact-download-gzip").headers).toContain("Content-Encoding: gzip");
    expect(answerOf("unknown-endpoint-long").headers).toContain("Content-Encoding: gzip");
    expect(answerOf("log-batch-streamed").status).toBe(200);

    const ids = leanAnswers.map((exchange) => `lean-api-${exchange.step}`);
    const leanLog = await logLines(lean, ids);
    expect(leanLog.map((line) => [line.requestId, line.lean === true])).toEqual(leanAnswers.map((exchange) => [`lean-api-${exchange.step}`, exchange.lean]));
    const nextLog = await logLines(viaNext, ids);
    expect(nextLog.filter((line) => line.lean !== undefined || line.missing)).toEqual([]);
    // Route families (the metrics' label) are the same whichever path served the request.
    expect(leanLog.map((line) => line.family)).toEqual(nextLog.map((line) => line.family));
  }, 60_000);

  it("leaves pages, tRPC, sign-in and paths Next would rewrite to Next", async () => {
    const targets: [string, string][] = [
      ["GET", "/"],
      ["GET", "/api/trpc/projects.list"],
      ["GET", "/api/auth/session"],
      ["GET", "/api/2.0/mlflow/runs/get/"],
      ["GET", "/api/2.0/mlflow//runs/get"],
      ["GET", "/api/2.0/mlflow/runs/../runs/get"],
      ["GET", "/api/2.0/mlflow/runs/%zz"],
      ["GET", "/api/v1/nothing-here"],
    ];
    for (const [index, [method, target]] of targets.entries()) {
      const headers = { "x-request-id": `lean-api-next-${index}`, authorization: "Bearer tally_nope" };
      const [viaLean, direct] = await Promise.all([send(lean.base, method, target, headers), send(viaNext.base, method, target, headers)]);
      expect(viaLean.status, target).toBe(direct.status);
    }
    const leanLog = await logLines(lean, targets.map((_, index) => `lean-api-next-${index}`));
    expect(leanLog.filter((line) => line.lean !== undefined || line.missing)).toEqual([]);
  });
});

describe("the REST route table", () => {
  /** Every route.ts under the folders the table covers, as its pattern ("/api/v1/projects/[slug]/policy"). */
  function routeFiles(folder: string): string[] {
    return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return routeFiles(full);
      return entry.name === "route.ts" ? [`/${path.relative(APP, folder)}`] : [];
    });
  }

  it("is what the app's route files serve: each one re-exports exactly its route's handlers", async () => {
    const covered = ["api/2.0", "api/3.0", "api/v1", "projects/[slug]/api"].flatMap((folder) => routeFiles(path.join(APP, folder)));
    expect(restRoutes.map((route) => route.pattern).sort()).toEqual(covered.sort());
    for (const route of restRoutes) {
      const routeModule = (await import(path.join(APP, route.pattern, "route.ts"))) as Record<string, unknown>;
      for (const method of ROUTE_METHODS) expect(routeModule[method], `${method} ${route.pattern}`).toBe(route.module[method]);
    }
  });
});
