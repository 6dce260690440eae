import { z } from "zod";
import { MAX_CARD_SECTION_LENGTH, MAX_CARD_SECTIONS } from "../model-cards";
import { projectRef } from "./projects";

/** A registered model's card, or (with `version`) one of its versions' cards. */
export const cardTargetInput = projectRef.extend({
  modelName: z.string().min(1).max(1000),
  version: z.number().int().min(1).optional(),
});

export const saveCardInput = cardTargetInput.extend({
  baseRevision: z.number().int().min(0),
  sections: z
    .record(z.string().min(1).max(110), z.string().max(MAX_CARD_SECTION_LENGTH, `A section may be at most ${MAX_CARD_SECTION_LENGTH} characters`))
    .refine((sections) => Object.keys(sections).length <= MAX_CARD_SECTIONS, `A card may have at most ${MAX_CARD_SECTIONS} sections`),
  changeSummary: z.string().max(500, "The change summary may be at most 500 characters").optional(),
});

export const cardRevisionInput = cardTargetInput.extend({ revision: z.number().int().min(1) });
export const cardFactsInput = cardTargetInput.extend({ version: z.number().int().min(1) });
