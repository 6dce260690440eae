import { badInput } from "@/lib/errors";
import { lineageImpactQuery } from "@/lib/schemas/lineage";
import { jsonResponse } from "@/server/http/json";
import { lineageImpactWire } from "@/server/http/lineage-wire";
import { withApiToken } from "@/server/http/with-api-token";
import { impactSourceOf, lineageImpact } from "@/server/services/lineage";

export const dynamic = "force-dynamic";

/** Everything downstream of a dataset (?dataset=&digest=), a git commit (?commit=) or a logged model (?model=). */
export async function GET(request: Request, context: { params: Promise<{ slug: string }> }) {
  const { slug } = await context.params;
  return withApiToken(
    async (req, { access }) => {
      const parsed = lineageImpactQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
      if (!parsed.success) throw badInput(parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; "));
      return jsonResponse(lineageImpactWire(await lineageImpact(access, impactSourceOf(parsed.data), parsed.data.depth)));
    },
    slug,
  )(request);
}
