import { createHash, timingSafeEqual } from "node:crypto";
import { metricsExposition } from "../observability/cluster-metrics";
import { metrics } from "../observability/metrics";
import { currentRequestId } from "../observability/request-context";
import { checkReadiness, refreshBackgroundJobLag } from "../services/operations";
import { apiError } from "./api-error";

/**
 * The operator's endpoints, answered by Tally's HTTP server itself rather than by Next.js, so that
 * they stay cheap and keep answering when the web app cannot (docs/operations.md, "Observability"):
 *
 * - `/api/health/live`: the process serves HTTP; depends on nothing else.
 * - `/api/health/ready` (and `/api/health`): the database answers, every migration is applied and
 *   the artifact store takes a write; 503 otherwise.
 * - `/metrics`: Prometheus metrics, only when a token is configured, and only with that token.
 *
 * Returns null for any other request, which Next.js then serves.
 */
export function operationsResponse(
  request: { method: string; pathname: string; authorization: string | undefined },
  metricsToken: string | undefined,
): Promise<Response> | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  switch (request.pathname) {
    case "/api/health/live":
      return Promise.resolve(noStore(Response.json({ status: "live" })));
    case "/api/health":
    case "/api/health/ready":
      return readinessResponse();
    case "/metrics":
      return metricsToken === undefined ? null : metricsResponse(request.authorization, metricsToken);
    default:
      return null;
  }
}

async function readinessResponse(): Promise<Response> {
  const { ready, checks } = await checkReadiness();
  if (ready) return noStore(Response.json({ status: "ready", checks }));
  const requestId = currentRequestId();
  return noStore(Response.json({ status: "unready", checks, ...(requestId ? { request_id: requestId } : {}) }, { status: 503 }));
}

async function metricsResponse(authorization: string | undefined, token: string): Promise<Response> {
  if (!sameSecret(bearerToken(authorization), token)) {
    const refused = apiError(401, "UNAUTHENTICATED", "Metrics need the token configured in TALLY_METRICS_TOKEN, as a Bearer token");
    refused.headers.set("www-authenticate", 'Bearer realm="tally-metrics"');
    return refused;
  }
  const text = await metricsExposition(refreshBackgroundJobLag);
  return noStore(new Response(text, { headers: { "content-type": metrics().registry.contentType } }));
}

function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1] ?? "";
}

/** Compares digests, so the time taken says nothing about how much of the token was right. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function noStore(response: Response): Response {
  response.headers.set("cache-control", "no-store");
  return response;
}
