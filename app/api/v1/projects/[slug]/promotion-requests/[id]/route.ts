import { jsonResponse } from "@/server/http/json";
import { promotionRequestUrl, promotionRequestWire } from "@/server/http/promotion-request-wire";
import { withApiToken } from "@/server/http/with-api-token";
import { getPromotionRequest } from "@/server/services/promotions";

export const dynamic = "force-dynamic";

/** One request with its evidence and decisions (decisions themselves are made in the web app). */
export async function GET(request: Request, context: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await context.params;
  return withApiToken(
    async (req, { access }) => {
      const found = await getPromotionRequest(access, id);
      return jsonResponse({ request: promotionRequestWire(found, promotionRequestUrl(req, slug, found.id)) });
    },
    slug,
  )(request);
}
