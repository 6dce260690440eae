import { z } from "zod";
import { withApiToken } from "@/server/http/with-api-token";
import { exportModelCardMarkdown } from "@/server/services/model-cards";

export const dynamic = "force-dynamic";

const params = z.object({
  name: z.string().min(1).max(1000),
  version: z.coerce.number({ error: "version must be a number" }).int().min(1, "version must be a positive integer"),
});

/** A version's model card as markdown with YAML front matter (Hugging Face model card format). */
export async function GET(request: Request, context: { params: Promise<{ name: string; version: string }> }) {
  const raw = await context.params;
  return withApiToken(async (_req, { access }) => {
    const { name, version } = params.parse(raw);
    const markdown = await exportModelCardMarkdown(access, name, version);
    return new Response(markdown, {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="README.md"`,
        "cache-control": "no-store",
      },
    });
  })(request);
}
