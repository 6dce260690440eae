import * as mlflowArtifacts from "./mlflow-artifacts/route-module";
import * as mlflow from "./mlflow/route-module";
import { serverInfoResponse } from "./probes";
import type { PlainRouteHandler, RouteModule, RouteParams } from "./route-module";
import * as mlflowDocument from "./v1/mlflow-document";
import { v1RouteModules } from "./v1/routes";
import * as tallyDocument from "./v1/tally-document";

/**
 * Tally's REST API, one route module per path: the MLflow API and its artifact API (bare and per
 * project), the server-info probe and every /api/v1 operation. The route.ts file at each path's
 * folder under app/ re-exports this module, and Tally's HTTP server calls the same handlers on its
 * lean path without going through Next.js (server/runtime/lean-api.ts, docs/architecture.md).
 * tests/integration/lean-api.test.ts checks that the two agree.
 */
export interface RestRoute {
  /** The route's folder under app/: `[name]` is one segment, `[...name]` the rest (at least one). */
  pattern: string;
  module: RouteModule;
  /** Which error format a handler that throws answers in: MLflow's, or Tally's own REST API's. */
  api: "mlflow" | "tally";
  /**
   * The handlers read `request.body` as a stream (artifact uploads). Every other handler reads its
   * body through `readBytesWithin` (body.ts), which also takes a body the lean path read first.
   */
  streamsBody?: true;
  /**
   * The plain handler the module's method handlers wrap (api-call.ts): the lean path calls it when
   * the request's body, if any, was read first.
   */
  answer?: PlainRouteHandler;
}

export const restRoutes: readonly RestRoute[] = [
  { pattern: "/api/2.0/mlflow/[...path]", module: mlflow, api: "mlflow", answer: mlflow.answerCall },
  { pattern: "/projects/[slug]/api/2.0/mlflow/[...path]", module: mlflow, api: "mlflow", answer: mlflow.answerCall },
  { pattern: "/api/2.0/mlflow-artifacts/[...path]", module: mlflowArtifacts, api: "mlflow", streamsBody: true },
  { pattern: "/projects/[slug]/api/2.0/mlflow-artifacts/[...path]", module: mlflowArtifacts, api: "mlflow", streamsBody: true },
  { pattern: "/api/3.0/mlflow/server-info", module: { GET: serverInfoResponse }, api: "mlflow" },
  { pattern: "/projects/[slug]/api/3.0/mlflow/server-info", module: { GET: serverInfoResponse }, api: "mlflow" },
  ...Object.entries(v1RouteModules).map(([folder, module]): RestRoute => ({ pattern: `/api/v1/${folder}`, module, api: "tally" })),
  { pattern: "/api/v1/openapi.json", module: tallyDocument, api: "tally" },
  { pattern: "/api/v1/openapi/mlflow.json", module: mlflowDocument, api: "tally" },
];

/** The /api/v1 routes as templates ("runs/:runId/metric-history"): the route families of metrics and logs. */
export function apiV1Templates(): string[] {
  return restRoutes
    .filter((route) => route.pattern.startsWith("/api/v1/"))
    .map((route) => route.pattern.slice("/api/v1/".length).replace(/\[(\w+)\]/g, ":$1"));
}

type Part = { literal: string } | { param: string } | { rest: string };

const compiled = restRoutes.map((route) => ({
  route,
  parts: route.pattern
    .slice(1)
    .split("/")
    .map((part): Part => {
      const param = /^\[(\.\.\.)?(\w+)\]$/.exec(part);
      if (!param) return { literal: part };
      return param[1] ? { rest: param[2]! } : { param: param[2]! };
    }),
}));

/**
 * The route serving a path (still percent-encoded, as the request line has it), with its parameters
 * decoded once each as Next decodes them; null when no route serves it or a parameter is not valid
 * percent-encoding. No two patterns match the same path, so the first match is the only one.
 */
export function matchRestRoute(pathname: string): { route: RestRoute; params: RouteParams } | null {
  const segments = pathname.slice(1).split("/");
  for (const { route, parts } of compiled) {
    const params = matchParts(parts, segments);
    if (params) return { route, params };
  }
  return null;
}

function matchParts(parts: readonly Part[], segments: readonly string[]): RouteParams | null {
  const params: RouteParams = {};
  try {
    for (const [index, part] of parts.entries()) {
      const segment = segments[index];
      if (segment === undefined) return null;
      if ("literal" in part) {
        if (part.literal !== segment) return null;
      } else if ("param" in part) {
        params[part.param] = decodeURIComponent(segment);
      } else {
        params[part.rest] = segments.slice(index).map(decodeURIComponent);
        return params;
      }
    }
  } catch {
    // Malformed percent-encoding: Next answers it (400).
    return null;
  }
  return parts.length === segments.length ? params : null;
}
