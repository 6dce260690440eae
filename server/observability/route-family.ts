import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * The route family of a request: the label its metrics and log line carry. A fixed, small set, so
 * that ids, slugs and names in paths never become label values:
 * `mlflow:<endpoint>` (refined by the MLflow edge once it matched the route), `api_v1:<route>`,
 * `trpc`, `artifacts`, `pages` and `other` (probes, sign-in, static files, /metrics).
 */
export type RouteFamilyOf = (pathname: string) => string;

const PROJECT = String.raw`(?:/projects/[^/]+)?`;
const MLFLOW = new RegExp(`^${PROJECT}/api/2\\.0/mlflow/`);
const MLFLOW_ARTIFACTS = new RegExp(`^${PROJECT}/api/2\\.0/mlflow-artifacts/`);
const WEB_ARTIFACT = /^\/projects\/[^/]+\/(?:runs\/[^/]+|models\/[^/]+\/versions\/[^/]+)\/artifact$/;
const API_V1 = "/api/v1/";
const OTHER = new RegExp(`^${PROJECT}/(?:api|health|version|metrics|_next)(?:/|$)|\\.[a-z0-9]+$`, "i");

export const UNMATCHED_MLFLOW_FAMILY = "mlflow:unknown";

/** The families of a running server, whose /api/v1 routes are `apiV1Routes` (e.g. "runs/:runId/metric-history"). */
export function routeFamilies(apiV1Routes: string[]): RouteFamilyOf {
  const v1 = apiV1Routes.map((route) => ({ route, segments: route.split("/") }));
  return (pathname) => {
    if (MLFLOW_ARTIFACTS.test(pathname) || WEB_ARTIFACT.test(pathname)) return "artifacts";
    if (MLFLOW.test(pathname)) return UNMATCHED_MLFLOW_FAMILY;
    if (pathname.startsWith(API_V1)) {
      const segments = pathname.slice(API_V1.length).split("/");
      return `api_v1:${v1.find((candidate) => matches(candidate.segments, segments))?.route ?? "unknown"}`;
    }
    if (pathname === "/api/trpc" || pathname.startsWith("/api/trpc/")) return "trpc";
    if (OTHER.test(pathname)) return "other";
    return "pages";
  };
}

function matches(pattern: string[], segments: string[]): boolean {
  return pattern.length === segments.length && pattern.every((part, index) => part.startsWith(":") || part === segments[index]);
}

/**
 * Tally's /api/v1 routes as templates, read from the route files under `app/api/v1` (so a new route
 * gets its own family without being listed twice). `[name]` becomes `:name`.
 */
export function apiV1RoutesIn(appDir: string): string[] {
  const root = path.join(appDir, "api", "v1");
  const routes: string[] = [];
  const walk = (folder: string, parts: string[]) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(folder, entry.name), [...parts, entry.name.replace(/^\[(.+)\]$/, ":$1")]);
      else if (entry.name === "route.ts" && parts.length > 0) routes.push(parts.join("/"));
    }
  };
  walk(root, []);
  // Literal segments before parameters, so "lineage/impact" wins over a ":name" in the same place.
  return routes.sort((a, b) => specificity(b) - specificity(a) || a.localeCompare(b));
}

function specificity(route: string): number {
  return route.split("/").filter((part) => !part.startsWith(":")).length;
}
