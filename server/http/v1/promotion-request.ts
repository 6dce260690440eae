import { z } from "zod";
import { json } from "@/lib/openapi/operation";
import { promotionRequestAnswer } from "@/lib/schemas/api-answers";
import { projectSlugParam } from "@/lib/schemas/api-params";
import { apiOperation } from "../api-operation";
import { promotionRequestUrl, promotionRequestWire } from "../promotion-request-wire";
import { getPromotionRequest } from "@/server/services/promotions";

export const GET = apiOperation({
  operationId: "getPromotionRequest",
  method: "GET",
  path: "/projects/{slug}/promotion-requests/{id}",
  summary: "One promotion request",
  description: "One request with its evidence and decisions (decisions themselves are made in the web app).",
  tag: "Promotions",
  auth: "token",
  params: z.object({ slug: projectSlugParam, id: z.string().min(1).max(64) }),
  answers: { 200: { description: "The request.", content: json(promotionRequestAnswer) } },
}).handle(async ({ request, access, params }) => {
  const found = await getPromotionRequest(access, params.id);
  return { status: 200, body: { request: promotionRequestWire(found, promotionRequestUrl(request, params.slug, found.id)) } };
});
