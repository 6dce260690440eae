import { authorizeMlflowRequest } from "../mlflow/authorize";
import { matchRoute } from "../mlflow/route-table";
import { mlflowError, mlflowErrorResponse } from "../mlflow/wire";
import { artifactRoutes } from "./routes";

const PREFIX = "/api/2.0/mlflow-artifacts/";

/**
 * MLflow's proxied artifact API (`/api/2.0/mlflow-artifacts/...`, also under `/projects/<slug>`).
 * Bodies stream in both directions; the path is taken from the raw URL, still percent-encoded, so
 * the storage layer sees exactly what the client sent and can refuse encoded tricks. Routes are in
 * `artifactRoutes`. The edge resolves the project; each route's service asserts its scope before the
 * request body is read.
 */
export async function handleMlflowArtifactsRequest(request: Request, projectSlug?: string): Promise<Response> {
  try {
    const { pathname } = new URL(request.url);
    const start = pathname.indexOf(PREFIX);
    const rest = start < 0 ? "" : pathname.slice(start + PREFIX.length);
    const segments = segmentsOf(rest);
    const match = matchRoute(artifactRoutes, request.method, segments);
    // MLflow's server answers 405 only for another method on a file under artifacts/; any other
    // unmatched request is an unknown endpoint.
    if (match === "method-not-allowed" && segments[0] === "artifacts" && segments.length > 1) {
      return mlflowError(405, "BAD_REQUEST", `Method ${request.method} is not allowed on ${PREFIX}artifacts/...`);
    }
    if (match === null || match === "method-not-allowed") {
      return mlflowError(404, "ENDPOINT_NOT_FOUND", `No API endpoint ${request.method} ${PREFIX}${rest}`);
    }
    const access = await authorizeMlflowRequest(request.headers, projectSlug);
    return await match.route.handle(request, access, match.params);
  } catch (error) {
    return mlflowErrorResponse(error);
  }
}

/**
 * The raw path's segments. A lone trailing slash after the section ("artifacts/", "presigned/")
 * names no path: it is the section itself. Empty segments further on stay part of the path.
 */
function segmentsOf(rest: string): string[] {
  const segments = rest.split("/");
  return segments.length === 2 && segments[1] === "" ? segments.slice(0, 1) : segments;
}
