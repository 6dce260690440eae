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
  // Literal segments before parameters, so "lineage/impact" wins over a ":name" in the same place.
  const ordered = [...apiV1Routes].sort((a, b) => specificity(b) - specificity(a) || a.localeCompare(b));
  const v1 = ordered.map((route) => ({ route, segments: route.split("/") }));
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

function specificity(route: string): number {
  return route.split("/").filter((part) => !part.startsWith(":")).length;
}
