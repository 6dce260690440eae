import {
  cancelPromotionInput,
  decidePromotionInput,
  previewPromotionInput,
  listPromotionRequestsInput,
  promotionRequestRef,
  requestPromotionInput,
} from "@/lib/schemas/promotions";
import { projectRef } from "@/lib/schemas/projects";
import {
  cancelPromotionRequest,
  decidableRequestCount,
  decidePromotion,
  getPromotionRequest,
  listPromotionRequests,
  pendingRequestCount,
  previewPromotion,
  requestAbilities,
  requestPromotion,
} from "../../services/promotions";
import { projectProcedure, router } from "../init";

export const promotionsRouter = router({
  /** Ask to move a version to a gated stage or point a gated alias at it. */
  request: projectProcedure()
    .input(requestPromotionInput)
    .mutation(({ ctx, input }) => requestPromotion(ctx.access, input)),
  /** Before asking: whether the target is gated, who approves, and the evidence with each check's result. */
  preview: projectProcedure()
    .input(previewPromotionInput)
    .query(({ ctx, input }) => previewPromotion(ctx.access, input)),
  /** The request with its evidence and decisions, and what the signed-in person may do with it now. */
  get: projectProcedure()
    .input(promotionRequestRef)
    .query(async ({ ctx, input }) => {
      const [request, abilities] = await Promise.all([getPromotionRequest(ctx.access, input.id), requestAbilities(ctx.access, input.id)]);
      return { request, abilities };
    }),
  list: projectProcedure()
    .input(listPromotionRequestsInput)
    .query(({ ctx, input }) => listPromotionRequests(ctx.access, { ...input, cursor: input.cursor ?? undefined })),
  /** The Requests tab's badge: pending requests the signed-in person can decide. */
  decidableCount: projectProcedure()
    .input(projectRef)
    .query(({ ctx }) => decidableRequestCount(ctx.access)),
  /** The dashboard's KPI: pending requests of the project, whoever may decide them. */
  pendingCount: projectProcedure()
    .input(projectRef)
    .query(({ ctx }) => pendingRequestCount(ctx.access)),
  decide: projectProcedure()
    .input(decidePromotionInput)
    .mutation(({ ctx, input }) => decidePromotion(ctx.access, input.id, input.decision, input.comment)),
  cancel: projectProcedure()
    .input(cancelPromotionInput)
    .mutation(({ ctx, input }) => cancelPromotionRequest(ctx.access, input.id, input.comment)),
});
