import { z } from "zod";
import { json } from "@/lib/openapi/operation";
import { PROMOTION_REQUEST_STATES } from "@/lib/model-registry-states";
import { promotionRequestAnswer, promotionRequestListAnswer } from "@/lib/schemas/api-answers";
import { projectPath } from "@/lib/schemas/api-params";
import { newPromotionRequest, stageOrAliasText } from "@/lib/schemas/promotions";
import { apiOperation } from "../api-operation";
import { promotionRequestUrl, promotionRequestWire } from "../promotion-request-wire";
import { listPromotionRequests, requestPromotion } from "@/server/services/promotions";

export const POST = apiOperation({
  operationId: "requestPromotion",
  method: "POST",
  path: "/projects/{slug}/promotion-requests",
  summary: "Ask for a promotion",
  description: "Asks for a version to move to a stage or alias under the project's approval policy (a token with the `promote` scope may).",
  tag: "Promotions",
  auth: "token",
  params: projectPath,
  body: { content: json(newPromotionRequest), required: true },
  answers: { 201: { description: "The request, pending approval.", content: json(promotionRequestAnswer) } },
  errors: [409],
}).handle(async ({ request, access, params, body }) => {
  const created = await requestPromotion(access, body);
  return { status: 201, body: { request: promotionRequestWire(created, promotionRequestUrl(request, params.slug, created.id)) } };
});

export const GET = apiOperation({
  operationId: "listPromotionRequests",
  method: "GET",
  path: "/projects/{slug}/promotion-requests",
  summary: "The project's promotion requests",
  description: "Newest first; `view=mine` lists the token's own.",
  tag: "Promotions",
  auth: "token",
  params: projectPath,
  query: z.object({
    view: z.enum(["mine", "all"]).default("all"),
    model: z.string().max(256).optional(),
    target: stageOrAliasText.optional(),
    state: z.enum(PROMOTION_REQUEST_STATES).optional(),
    cursor: z.string().max(64).optional().meta({ description: "`next_cursor` of the previous page" }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
  answers: { 200: { description: "A page of requests.", content: json(promotionRequestListAnswer) } },
}).handle(async ({ request, access, params, query }) => {
  const { model, ...rest } = query;
  const page = await listPromotionRequests(access, { ...rest, modelName: model });
  return {
    status: 200,
    body: {
      requests: page.requests.map((entry) => promotionRequestWire(entry, promotionRequestUrl(request, params.slug, entry.id))),
      next_cursor: page.nextCursor,
    },
  };
});
