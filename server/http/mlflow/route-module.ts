import type { RouteContext } from "../route-module";
import { handleMlflowRequest } from "./handle-request";

/** The handlers of /api/2.0/mlflow/[...path] and of its project form /projects/[slug]/api/2.0/mlflow/[...path]. */
async function handler(request: Request, context: RouteContext): Promise<Response> {
  const { slug, path } = await context.params;
  return handleMlflowRequest(request, { projectSlug: typeof slug === "string" ? slug : undefined, segments: Array.isArray(path) ? path : [] });
}

export { handler as GET, handler as POST, handler as PATCH, handler as DELETE };
