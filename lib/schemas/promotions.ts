import { z } from "zod";
import { PROMOTION_REQUEST_STATES } from "../model-registry-states";
import { projectRef } from "./projects";
import { MAX_MODEL_NAME_LENGTH, parseStageOrAlias } from "./registry";

/** Inputs of the promotion-request procedures and of `/api/v1/projects/<slug>/promotion-requests`. */

export const MAX_PROMOTION_COMMENT_LENGTH = 5_000;

/** A stage or an alias in one word (`Production`, `champion`, `stage:Production`, `alias:staging`). */
export const stageOrAliasText = z
  .string()
  .min(1, "target is required (a stage or an alias)")
  .max(300)
  .transform((text, ctx) => {
    const parsed = parseStageOrAlias(text);
    if ("problem" in parsed) {
      ctx.addIssue({ code: "custom", message: parsed.problem });
      return z.NEVER;
    }
    return parsed;
  });

const comment = z.string().max(MAX_PROMOTION_COMMENT_LENGTH, `A comment may be at most ${MAX_PROMOTION_COMMENT_LENGTH} characters`).default("");
const requestId = z.string().min(1).max(64);

export const newPromotionRequest = z.object({
  name: z.string().min(1, "Model name is required").max(MAX_MODEL_NAME_LENGTH),
  version: z.coerce.number({ error: "version must be a number" }).int().min(1, "version must be a positive integer").max(2_147_483_647),
  target: stageOrAliasText,
  archiveExisting: z.boolean().default(false),
  comment,
});

export const requestPromotionInput = projectRef.extend(newPromotionRequest.shape);
export const previewPromotionInput = projectRef.extend({ name: newPromotionRequest.shape.name, version: newPromotionRequest.shape.version, target: stageOrAliasText });
export const promotionRequestRef = projectRef.extend({ id: requestId });
export const decidePromotionInput = promotionRequestRef.extend({ decision: z.enum(["APPROVE", "REJECT"]), comment });
export const cancelPromotionInput = promotionRequestRef.extend({ comment });
export const listPromotionRequestsInput = projectRef.extend({
  view: z.enum(["decidable", "mine", "all"]).default("decidable"),
  modelName: z.string().max(MAX_MODEL_NAME_LENGTH).optional(),
  target: stageOrAliasText.optional(),
  state: z.enum(PROMOTION_REQUEST_STATES).optional(),
  cursor: requestId.nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});
