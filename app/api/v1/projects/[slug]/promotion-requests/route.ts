import { z } from "zod";
import { badInput } from "@/lib/errors";
import { newPromotionRequest, stageOrAliasText } from "@/lib/schemas/promotions";
import { PROMOTION_REQUEST_STATES } from "@/lib/model-registry-states";
import { readJsonBody } from "@/server/http/body";
import { jsonResponse } from "@/server/http/json";
import { promotionRequestUrl, promotionRequestWire } from "@/server/http/promotion-request-wire";
import { withApiToken } from "@/server/http/with-api-token";
import { listPromotionRequests, requestPromotion } from "@/server/services/promotions";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

const listQuery = z.object({
  view: z.enum(["mine", "all"]).default("all"),
  model: z.string().max(256).optional(),
  target: stageOrAliasText.optional(),
  state: z.enum(PROMOTION_REQUEST_STATES).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Asks for a promotion (a token with the `promote` scope may); answers 201 with the request. */
export async function POST(request: Request, context: Context) {
  const { slug } = await context.params;
  return withApiToken(
    async (req, { access }) => {
      const parsed = newPromotionRequest.safeParse(await readJsonBody(req));
      if (!parsed.success) throw badInput(parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
      const created = await requestPromotion(access, parsed.data);
      return jsonResponse({ request: promotionRequestWire(created, promotionRequestUrl(req, slug, created.id)) }, { status: 201 });
    },
    slug,
  )(request);
}

/** The project's requests, newest first (`view=mine`: the token's own). */
export async function GET(request: Request, context: Context) {
  const { slug } = await context.params;
  return withApiToken(
    async (req, { access }) => {
      const parsed = listQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
      if (!parsed.success) throw badInput(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
      const { model, ...query } = parsed.data;
      const page = await listPromotionRequests(access, { ...query, modelName: model });
      return jsonResponse({
        requests: page.requests.map((entry) => promotionRequestWire(entry, promotionRequestUrl(req, slug, entry.id))),
        next_cursor: page.nextCursor,
      });
    },
    slug,
  )(request);
}
