import { serveRunArtifact } from "@/server/http/run-artifact";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; runId: string }> };

export async function GET(request: Request, context: Context) {
  const { slug, runId } = await context.params;
  return serveRunArtifact(request, slug, runId);
}
