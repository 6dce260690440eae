import { ApprovalRequiredError } from "@/lib/errors";
import { JSON_MEDIA_TYPE } from "@/lib/openapi/operation";
import { mlflowErrorBody } from "@/lib/schemas/mlflow-answers";
import { noteRouteFamily } from "@/server/observability/request-context";
import { callOfRequest, responseOfAnswer, type ApiCall, type PlainAnswer } from "../api-call";
import { answerProblem, checkingAnswers } from "../answer-check";
import { apiBodyLimitBytes } from "../body";
import { refuseNulCharacters } from "../nul-characters";
import { publicOrigin } from "../public-origin";
import { authorizeMlflowRequest } from "./authorize";
import { LARGE_BODY_FACTOR, matchRoute, type MlflowRoute } from "./route-table";
import { mlflowRoutes } from "./routes";
import { mlflowErrorAnswer, mlflowErrorAnswerOf, mlflowJsonAnswer, readMlflowInput } from "./wire";

/**
 * The MLflow-compatible REST edge, as a plain handler (server/http/api-call.ts). `projectSlug` comes
 * from `/projects/<slug>/api/2.0/mlflow/...`; on the bare `/api/2.0/mlflow/...` form the token names
 * the project. `segments` is the path after /api/2.0/mlflow/, each segment already percent-decoded
 * once (as Next's router gives them), so route params must not be decoded again.
 */
export async function answerMlflowCall(call: ApiCall, target: { projectSlug?: string; segments: string[] }): Promise<PlainAnswer> {
  const match = matchRoute(mlflowRoutes, call.method, target.segments);
  const endpoint = `/api/2.0/mlflow/${target.segments.join("/")}`;
  if (match === null) return mlflowErrorAnswer(404, "ENDPOINT_NOT_FOUND", `No API endpoint ${call.method} ${endpoint}`);
  if (match === "method-not-allowed") {
    return mlflowErrorAnswer(405, "BAD_REQUEST", `Method ${call.method} is not allowed on ${endpoint}`);
  }
  noteRouteFamily(`mlflow:${match.route.path.slice(1)}`);
  const answer = await serve(call, target.projectSlug, match.route, match.params);
  return checkingAnswers() ? checkedAnswer(match.route, answer) : answer;
}

/** The same for a web Request, as Next.js calls route handlers. */
export async function handleMlflowRequest(request: Request, target: { projectSlug?: string; segments: string[] }): Promise<Response> {
  return responseOfAnswer(await answerMlflowCall(callOfRequest(request), target));
}

async function serve(call: ApiCall, projectSlug: string | undefined, route: MlflowRoute, rawParams: Record<string, string>): Promise<PlainAnswer> {
  try {
    const access = await authorizeMlflowRequest(call.headers, projectSlug);
    const fields = await readMlflowInput(call, apiBodyLimitBytes(route.largeBody ? LARGE_BODY_FACTOR : 1));
    refuseNulCharacters(rawParams, "path");
    refuseNulCharacters(fields, call.method === "GET" ? "query" : "body");
    const params = route.params ? route.params.parse(rawParams) : rawParams;
    return mlflowJsonAnswer(await route.handle(access, route.input.parse(fields), params));
  } catch (error) {
    // The mlflow client shows only the message: it carries the request's full address.
    return mlflowErrorAnswerOf(error instanceof ApprovalRequiredError ? error.at(publicOrigin(call.url)) : error);
  }
}

/** Outside production: the answer must be what the route's schema (or the error schema) says (docs/api.md). */
async function checkedAnswer(route: MlflowRoute, answer: PlainAnswer): Promise<PlainAnswer> {
  const schema = answer.status === 200 ? route.answer : mlflowErrorBody;
  const problem = await answerProblem(responseOfAnswer(answer), { [JSON_MEDIA_TYPE]: schema });
  if (!problem) return answer;
  const message = `${route.method} ${route.path} answered against its OpenAPI document: ${problem}`;
  console.error(message);
  return mlflowErrorAnswer(500, "INTERNAL_ERROR", message);
}
