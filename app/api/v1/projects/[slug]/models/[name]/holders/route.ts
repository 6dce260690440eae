import { z } from "zod";
import { parseStageOrAlias } from "@/lib/schemas/registry";
import { badInput } from "@/lib/errors";
import { jsonResponse } from "@/server/http/json";
import { withApiToken } from "@/server/http/with-api-token";
import { targetHoldersAt } from "@/server/services/registry";

export const dynamic = "force-dynamic";

const query = z.object({
  target: z.string({ error: "target is required (a stage or an alias)" }).min(1, "target is required (a stage or an alias)"),
  at: z.iso.datetime({ offset: true, error: "at must be an ISO 8601 time, e.g. 2026-12-01T12:00:00Z" }).optional(),
});

/** Time travel: which version held a stage or alias of a model at a moment (now by default). */
export async function GET(request: Request, context: { params: Promise<{ slug: string; name: string }> }) {
  const { slug, name } = await context.params;
  return withApiToken(
    async (req, { access }) => {
      const url = new URL(req.url);
      const parsed = query.safeParse({ target: url.searchParams.get("target") ?? undefined, at: url.searchParams.get("at") ?? undefined });
      if (!parsed.success) throw badInput(parsed.error.issues.map((issue) => issue.message).join("; "));
      const target = parseStageOrAlias(parsed.data.target);
      if ("problem" in target) throw badInput(target.problem);
      const at = parsed.data.at ? new Date(parsed.data.at) : new Date();
      const holders = await targetHoldersAt(access, name, target, at);
      return jsonResponse({
        model: name,
        target: target.kind === "stage" ? { stage: target.stage } : { alias: target.alias },
        at: at.toISOString(),
        holders: holders.map((holder) => ({
          version: holder.version,
          since: holder.since.toISOString(),
          moved_by: holder.movedBy,
          request_id: holder.requestId,
          event_id: holder.eventId,
        })),
      });
    },
    slug,
  )(request);
}
