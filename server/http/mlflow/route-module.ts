import type { ApiCall, PlainAnswer } from "../api-call";
import type { RouteContext, RouteParams } from "../route-module";
import { answerMlflowCall, handleMlflowRequest } from "./handle-request";

/**
 * The handlers of /api/2.0/mlflow/[...path] and of its project form /projects/[slug]/api/2.0/mlflow/[...path]:
 * `answerCall` is the plain handler the lean API path calls (server/http/api-call.ts), the method
 * handlers are what Next calls.
 */
export function answerCall(call: ApiCall, params: RouteParams): Promise<PlainAnswer> {
  return answerMlflowCall(call, targetOf(params));
}

async function handler(request: Request, context: RouteContext): Promise<Response> {
  return handleMlflowRequest(request, targetOf(await context.params));
}

function targetOf({ slug, path }: RouteParams): { projectSlug?: string; segments: string[] } {
  return { projectSlug: typeof slug === "string" ? slug : undefined, segments: Array.isArray(path) ? path : [] };
}

export { handler as GET, handler as POST, handler as PATCH, handler as DELETE };
