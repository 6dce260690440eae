import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };

async function handler(request: Request, context: Context) {
  const { path } = await context.params;
  return handleMlflowRequest(request, { segments: path });
}

export { handler as GET, handler as POST, handler as PATCH, handler as DELETE };
