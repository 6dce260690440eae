import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; path: string[] }> };

async function handler(request: Request, context: Context) {
  const { slug, path } = await context.params;
  return handleMlflowRequest(request, { projectSlug: slug, segments: path });
}

export { handler as GET, handler as POST, handler as PATCH, handler as DELETE };
