import { handleMlflowArtifactsRequest } from "@/server/http/mlflow-artifacts/handle-request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

async function handler(request: Request, context: Context) {
  return handleMlflowArtifactsRequest(request, (await context.params).slug);
}

export { handler as GET, handler as PUT, handler as POST, handler as DELETE };
