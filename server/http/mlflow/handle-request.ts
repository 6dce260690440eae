import { ApprovalRequiredError } from "@/lib/errors";
import { noteRouteFamily } from "@/server/observability/request-context";
import { publicOrigin } from "../public-origin";
import { authorizeMlflowRequest } from "./authorize";
import { apiBodyLimitBytes } from "../body";
import { LARGE_BODY_FACTOR, matchRoute } from "./route-table";
import { mlflowRoutes } from "./routes";
import { mlflowError, mlflowErrorResponse, mlflowJson, readMlflowInput } from "./wire";

/**
 * The MLflow-compatible REST edge. `projectSlug` comes from `/projects/<slug>/api/2.0/mlflow/...`;
 * on the bare `/api/2.0/mlflow/...` form the token names the project. `segments` is the path after
 * /api/2.0/mlflow/, each segment already percent-decoded once (as Next's router gives them), so
 * route params must not be decoded again.
 */
export async function handleMlflowRequest(
  request: Request,
  target: { projectSlug?: string; segments: string[] },
): Promise<Response> {
  try {
    const match = matchRoute(mlflowRoutes, request.method, target.segments);
    const endpoint = `/api/2.0/mlflow/${target.segments.join("/")}`;
    if (match === null) return mlflowError(404, "ENDPOINT_NOT_FOUND", `No API endpoint ${request.method} ${endpoint}`);
    if (match === "method-not-allowed") {
      return mlflowError(405, "BAD_REQUEST", `Method ${request.method} is not allowed on ${endpoint}`);
    }
    noteRouteFamily(`mlflow:${match.route.path.slice(1)}`);
    const access = await authorizeMlflowRequest(request, target.projectSlug);
    const input = await readMlflowInput(request, apiBodyLimitBytes(match.route.largeBody ? LARGE_BODY_FACTOR : 1));
    return mlflowJson(await match.route.handle(access, input, match.params));
  } catch (error) {
    // The mlflow client shows only the message: it carries the request's full address.
    return mlflowErrorResponse(error instanceof ApprovalRequiredError ? error.at(publicOrigin(request)) : error);
  }
}
