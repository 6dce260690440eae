import {
  addProjectCardSectionInput,
  cardFactsInput,
  cardRevisionInput,
  cardTargetInput,
  removeProjectCardSectionInput,
  renameProjectCardSectionInput,
  saveCardInput,
} from "@/lib/schemas/model-cards";
import { projectRef } from "@/lib/schemas/projects";
import {
  addProjectCardSection,
  cardFacts,
  getCardRevision,
  getModelCard,
  listCardRevisions,
  listProjectCardSections,
  removeProjectCardSection,
  renameProjectCardSection,
  saveModelCard,
} from "../../services/model-cards";
import { projectProcedure, router } from "../init";

const target = (input: { modelName: string; version?: number }) => ({ modelName: input.modelName, version: input.version });

/** Model cards: the edge resolves membership; the service decides who may edit (modelCards:write). */
export const modelCardsRouter = router({
  get: projectProcedure()
    .input(cardTargetInput)
    .query(({ ctx, input }) => getModelCard(ctx.access, target(input))),
  save: projectProcedure()
    .input(saveCardInput)
    .mutation(({ ctx, input }) =>
      saveModelCard(ctx.access, target(input), { baseRevision: input.baseRevision, sections: input.sections, changeSummary: input.changeSummary }),
    ),
  revisions: projectProcedure()
    .input(cardTargetInput)
    .query(({ ctx, input }) => listCardRevisions(ctx.access, target(input))),
  revision: projectProcedure()
    .input(cardRevisionInput)
    .query(({ ctx, input }) => getCardRevision(ctx.access, target(input), input.revision)),
  /** Text for "Training data" and "Evaluation" from the version's run and logged model. */
  facts: projectProcedure()
    .input(cardFactsInput)
    .query(({ ctx, input }) => cardFacts(ctx.access, input.modelName, input.version)),
  /** The sections the project adds to every card (Settings → Model cards); changed by maintainers and owners. */
  projectSections: router({
    list: projectProcedure()
      .input(projectRef)
      .query(({ ctx }) => listProjectCardSections(ctx.access)),
    add: projectProcedure()
      .input(addProjectCardSectionInput)
      .mutation(({ ctx, input }) => addProjectCardSection(ctx.access, input.title)),
    rename: projectProcedure()
      .input(renameProjectCardSectionInput)
      .mutation(({ ctx, input }) => renameProjectCardSection(ctx.access, input.sectionId, input.title)),
    remove: projectProcedure()
      .input(removeProjectCardSectionInput)
      .mutation(({ ctx, input }) => removeProjectCardSection(ctx.access, input.sectionId)),
  }),
});
