import { handleMlflowArtifactsRequest } from "@/server/http/mlflow-artifacts/handle-request";

export const dynamic = "force-dynamic";

async function handler(request: Request) {
  return handleMlflowArtifactsRequest(request);
}

export { handler as GET, handler as PUT, handler as POST, handler as DELETE };
