import type { RouteContext } from "../route-module";
import { handleMlflowArtifactsRequest } from "./handle-request";

/** The handlers of /api/2.0/mlflow-artifacts/[...path] and of its project form under /projects/[slug]. */
async function handler(request: Request, context: RouteContext): Promise<Response> {
  const { slug } = await context.params;
  return handleMlflowArtifactsRequest(request, typeof slug === "string" ? slug : undefined);
}

export { handler as GET, handler as PUT, handler as POST, handler as DELETE };
