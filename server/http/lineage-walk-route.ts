import { z } from "zod";
import { badInput } from "@/lib/errors";
import { lineageDepth, lineageNodeId } from "@/lib/schemas/lineage";
import { lineageGraph } from "@/server/services/lineage";
import { jsonResponse } from "./json";
import { lineageGraphWire } from "./lineage-wire";
import { withApiToken } from "./with-api-token";

const walkQuery = z.object({ node: lineageNodeId, depth: lineageDepth.default(10) });

/** GET …/lineage/upstream and …/lineage/downstream: one handler, the direction fixed by the URL. */
export function lineageWalkRoute(direction: "upstream" | "downstream") {
  return async (request: Request, context: { params: Promise<{ slug: string }> }) => {
    const { slug } = await context.params;
    return withApiToken(
      async (req, { access }) => {
        const parsed = walkQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
        if (!parsed.success) throw badInput(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
        return jsonResponse(lineageGraphWire(await lineageGraph(access, { ...parsed.data, direction })));
      },
      slug,
    )(request);
  };
}
