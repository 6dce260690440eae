import { readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { GET as mlflowDocumentRoute } from "@/app/api/v1/openapi/mlflow.json/route";
import { GET as tallyDocumentRoute } from "@/app/api/v1/openapi.json/route";
import { operationOf, v1Operations, v1RouteModules } from "@/server/http/v1/routes";
import { GET as metricHistoryRoute } from "@/app/api/v1/runs/[runId]/metric-history/route";
import { json, MAX_REQUEST_HEAD_BYTES } from "@/lib/openapi/operation";
import { apiOperation } from "@/server/http/api-operation";
import { mlflowRoutes } from "@/server/http/mlflow/routes";
import { createProjectWithToken } from "../factories";

/** The OpenAPI documents: every route is in them by construction, and they say what the routes do. */

const V1_ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every `route.ts` under app/api/v1, as its folder relative to it (`projects/[slug]/policy`). */
function routeFolders(folder = V1_ROOT): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return routeFolders(full);
    return entry.name === "route.ts" ? [path.relative(V1_ROOT, folder)] : [];
  });
}

/** `projects/[slug]/policy` → `/projects/{slug}/policy`. */
const documentedPath = (folder: string) => `/${folder.replace(/\[(\w+)\]/g, "{$1}")}`;

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] }>>;
  components: { schemas: Record<string, unknown> };
};

async function served(route: (request: Request) => Promise<Response>, url: string): Promise<Document> {
  const response = await route(new Request(url));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/json");
  return (await response.json()) as Document;
}

type Schema = { type?: string | string[]; maxLength?: number; pattern?: string; maxItems?: number; enum?: unknown[]; anyOf?: Schema[]; items?: Schema; const?: unknown };

/**
 * The most bytes a parameter's value can take in a URL: percent-encoded, up to 12 bytes a character,
 * or 3 for the strings this API constrains by a pattern (ids and numbers, all ASCII).
 */
function urlBytes(schema: Schema): number {
  if (schema.anyOf) return Math.max(...schema.anyOf.map(urlBytes));
  if (schema.enum) return Math.max(...schema.enum.map((value) => String(value).length * 12));
  if (schema.const !== undefined) return String(schema.const).length * 12;
  const types = [schema.type].flat();
  if (types.includes("array")) return (schema.maxItems ?? Infinity) * (urlBytes(schema.items ?? {}) + 64);
  if (types.includes("string")) return (schema.maxLength ?? Infinity) * (schema.pattern ? 3 : 12);
  if (types.includes("integer") || types.includes("number")) return 32;
  if (types.includes("boolean")) return 5;
  return Infinity;
}

/** The operations whose longest documented path and query would not fit in a request head Tally reads. */
function tooLongForTheServer(document: Document): string[] {
  const headers = 4096;
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) => {
      const parameters = (operation.parameters ?? []) as { name: string; in: string; schema: Schema }[];
      const bytes = parameters
        .filter((parameter) => parameter.in === "path" || parameter.in === "query")
        .reduce((total, parameter) => total + parameter.name.length + 2 + urlBytes(parameter.schema), path.length + headers);
      return bytes > MAX_REQUEST_HEAD_BYTES
        ? [`${method.toUpperCase()} ${path}: ${parameters.map((p) => `${p.name}=${urlBytes(p.schema)}`).join(", ")}`]
        : [];
    }),
  );
}

/** Every `$ref` in the document names one of its components. */
function danglingRefs(document: Document): string[] {
  const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
  return refs.filter((name) => !(name in document.components.schemas));
}

describe("the OpenAPI document of /api/v1", () => {
  it("has an operation for every handler of every route file, at the path of its folder", async () => {
    const folders = routeFolders();
    expect(folders.length).toBeGreaterThan(10);
    for (const folder of folders) {
      const routeModule = (await import(path.join(V1_ROOT, folder, "route.ts"))) as Record<string, unknown>;
      const handlers = Object.keys(routeModule).filter((name) => HTTP_METHODS.includes(name));
      expect(handlers.length, `${folder}/route.ts exports no handler`).toBeGreaterThan(0);
      for (const method of handlers) {
        const operation = operationOf(routeModule[method]);
        expect(operation, `${method} of ${folder}/route.ts is not built with apiOperation`).toBeDefined();
        expect(operation!.method, `${folder}/route.ts`).toBe(method);
        expect(operation!.path, `${folder}/route.ts`).toBe(documentedPath(folder));
        expect(v1Operations.includes(operation!), `${folder} is missing from server/http/v1/routes.ts`).toBe(true);
      }
    }
    // The list holds no route that is gone.
    for (const folder of Object.keys(v1RouteModules)) expect(folders).toContain(folder);
  });

  it("is served at /api/v1/openapi.json without a token, as OpenAPI 3.1, with every operation and named schema", async () => {
    const document = await served(tallyDocumentRoute, "http://t/api/v1/openapi.json");
    expect(document.openapi).toBe("3.1.0");
    const ids = v1Operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of v1Operations) {
      expect(document.paths[operation.path]?.[operation.method.toLowerCase()]?.operationId).toBe(operation.operationId);
    }
    expect(danglingRefs(document)).toEqual([]);
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Error", "PromotionRequest", "LineageNode"]));
  });

  it("bounds every path and query parameter, so the longest request it allows fits in what the server reads", async () => {
    expect(tooLongForTheServer(await served(tallyDocumentRoute, "http://t/api/v1/openapi.json"))).toEqual([]);
  });

  it("documents the inputs from the same schemas that validate them, and every error a route can answer", async () => {
    const document = await served(tallyDocumentRoute, "http://t/api/v1/openapi.json");
    const history = document.paths["/runs/{runId}/metric-history"]!.get!;
    expect(history.parameters).toEqual([
      { name: "runId", in: "path", required: true, schema: { type: "string", minLength: 1, maxLength: 256 } },
      { name: "key", in: "query", required: true, description: "The metric's key", schema: { type: "string", minLength: 1, maxLength: 250 } },
      { name: "buckets", in: "query", required: false, description: "At most this many buckets", schema: { type: "integer", default: 1000, minimum: 1, maximum: 5000 } },
    ]);
    expect(Object.keys(history.responses)).toEqual(["200", "400", "401", "403", "404", "429", "431", "503"]);
    const create = document.paths["/projects/{slug}/promotion-requests"]!.post!;
    expect(Object.keys(create.responses)).toEqual(["201", "400", "401", "403", "404", "409", "413", "429", "431", "503"]);
    expect(create.requestBody).toMatchObject({ required: true, content: { "application/json": { schema: { required: ["name", "version", "target"] } } } });
  });
});

describe("the OpenAPI document of the MLflow API", () => {
  it("is served at /api/v1/openapi/mlflow.json with one operation per route of the route table", async () => {
    const document = await served(mlflowDocumentRoute, "http://t/api/v1/openapi/mlflow.json");
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(mlflowRoutes.length);
    for (const route of mlflowRoutes) {
      const operation = document.paths[route.path.replace(/[:*](\w+)/g, "{$1}")]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      // GET fields travel in the query string, the others in a JSON body.
      expect(route.method === "GET" ? operation!.requestBody : operation!.parameters?.filter((p) => (p as { in: string }).in === "query") ?? [], `${route.method} ${route.path}`).toEqual(
        route.method === "GET" ? undefined : [],
      );
    }
    expect(danglingRefs(document)).toEqual([]);
    const batch = document.paths["/runs/log-batch"]!.post!;
    expect(batch.requestBody).toMatchObject({ content: { "application/json": { schema: { properties: { metrics: { maxItems: 1000 } } } } } });
    expect(batch.responses["200"]).toEqual({ description: "Done.", content: { "application/json": { schema: { type: "object", properties: {}, additionalProperties: false } } } });
  });

  it("bounds every path and query parameter, so the longest request it allows fits in what the server reads", async () => {
    expect(tooLongForTheServer(await served(mlflowDocumentRoute, "http://t/api/v1/openapi/mlflow.json"))).toEqual([]);
  });

  it("describes a repeated query field as the list the client sends", async () => {
    const document = await served(mlflowDocumentRoute, "http://t/api/v1/openapi/mlflow.json");
    const search = document.paths["/experiments/search"]!.get!;
    expect(search.parameters).toContainEqual(
      expect.objectContaining({ name: "order_by", in: "query", style: "form", explode: true, schema: expect.objectContaining({ type: "array" }) }),
    );
  });
});

describe("operations built with apiOperation", () => {
  it("answer bad input with a 400 that names the field, before calling the service", async () => {
    const { plaintext } = await createProjectWithToken("MEMBER", ["read"]);
    const response = await metricHistoryRoute(new Request("http://t/api/v1/runs/r1/metric-history?buckets=0", { headers: { authorization: `Bearer ${plaintext}` } }), {
      params: Promise.resolve({ runId: "r1" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "BAD_INPUT", message: "key: key is required; buckets: Too small: expected number to be >=1" },
    });
  });

  it("turn an answer that breaks its documented schema into a 500 outside production, naming the difference", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const route = apiOperation({
        operationId: "leaky",
        method: "GET",
        path: "/leaky",
        summary: "Answers a field it does not document",
        tag: "Test",
        auth: "public",
        answers: { 200: { description: "A name.", content: json(z.strictObject({ name: z.string() })) } },
      }).handle(async () => {
        const leaked = { name: "a", secret: "b" };
        return { status: 200, body: leaked };
      });
      const response = await route(new Request("http://t/api/v1/leaky"));
      expect(response.status).toBe(500);
      expect((await response.json()).error.message).toMatch(/GET \/leaky \(leaky\) answered against its OpenAPI document: status 200 body does not match its schema: body: Unrecognized key: "secret"/);
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
    }
  });
});
