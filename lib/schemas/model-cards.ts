import { z } from "zod";
import { MAX_CARD_SECTION_LENGTH, MAX_CARD_SECTION_TITLE_LENGTH, MAX_CARD_SECTIONS } from "../model-cards";
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

/** A title of one of the project's card sections (the service also refuses duplicates and standard titles). */
const sectionTitle = z
  .string()
  .trim()
  .min(1, "A section title must not be empty")
  .max(MAX_CARD_SECTION_TITLE_LENGTH, `A section title may be at most ${MAX_CARD_SECTION_TITLE_LENGTH} characters`);
const projectSectionId = z.string().min(1).max(110);

export const addProjectCardSectionInput = projectRef.extend({ title: sectionTitle });
export const renameProjectCardSectionInput = projectRef.extend({ sectionId: projectSectionId, title: sectionTitle });
export const removeProjectCardSectionInput = projectRef.extend({ sectionId: projectSectionId });
