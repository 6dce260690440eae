import { ApprovalRequiredError } from "@/lib/errors";
import { JSON_MEDIA_TYPE } from "@/lib/openapi/operation";
import { mlflowErrorBody } from "@/lib/schemas/mlflow-answers";
import { noteRouteFamily } from "@/server/observability/request-context";
import { answerProblem, checkingAnswers } from "../answer-check";
import { apiBodyLimitBytes } from "../body";
import { refuseNulCharacters } from "../nul-characters";
import { publicOrigin } from "../public-origin";
import { authorizeMlflowRequest } from "./authorize";
import { LARGE_BODY_FACTOR, matchRoute, type MlflowRoute } from "./route-table";
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
  const match = matchRoute(mlflowRoutes, request.method, target.segments);
  const endpoint = `/api/2.0/mlflow/${target.segments.join("/")}`;
  if (match === null) return mlflowError(404, "ENDPOINT_NOT_FOUND", `No API endpoint ${request.method} ${endpoint}`);
  if (match === "method-not-allowed") {
    return mlflowError(405, "BAD_REQUEST", `Method ${request.method} is not allowed on ${endpoint}`);
  }
  noteRouteFamily(`mlflow:${match.route.path.slice(1)}`);
  const response = await serve(request, target.projectSlug, match.route, match.params);
  return checkingAnswers() ? checkedAnswer(match.route, response) : response;
}

async function serve(request: Request, projectSlug: string | undefined, route: MlflowRoute, rawParams: Record<string, string>): Promise<Response> {
  try {
    const access = await authorizeMlflowRequest(request, projectSlug);
    const fields = await readMlflowInput(request, apiBodyLimitBytes(route.largeBody ? LARGE_BODY_FACTOR : 1));
    refuseNulCharacters(rawParams, "path");
    refuseNulCharacters(fields, request.method === "GET" ? "query" : "body");
    const params = route.params ? route.params.parse(rawParams) : rawParams;
    return mlflowJson(await route.handle(access, route.input.parse(fields), params));
  } catch (error) {
    // The mlflow client shows only the message: it carries the request's full address.
    return mlflowErrorResponse(error instanceof ApprovalRequiredError ? error.at(publicOrigin(request)) : error);
  }
}

/** Outside production: the answer must be what the route's schema (or the error schema) says (docs/api.md). */
async function checkedAnswer(route: MlflowRoute, response: Response): Promise<Response> {
  const schema = response.status === 200 ? route.answer : mlflowErrorBody;
  const problem = await answerProblem(response, { [JSON_MEDIA_TYPE]: schema });
  if (!problem) return response;
  const message = `${route.method} ${route.path} answered against its OpenAPI document: ${problem}`;
  console.error(message);
  return mlflowError(500, "INTERNAL_ERROR", message);
}
