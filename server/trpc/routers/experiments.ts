import {
  createExperimentInput,
  experimentRefInput,
  listExperimentsInput,
  renameExperimentInput,
} from "@/lib/schemas/tracking-ui";
import {
  createExperiment,
  listExperimentSummaries,
  renameExperiment,
  setExperimentLifecycle,
} from "../../services/experiments";
import { projectProcedure, router } from "../init";

export const experimentsRouter = router({
  list: projectProcedure()
    .input(listExperimentsInput)
    .query(({ ctx, input }) => listExperimentSummaries(ctx.access, input.includeDeleted)),
  create: projectProcedure()
    .input(createExperimentInput)
    .mutation(({ ctx, input }) => createExperiment(ctx.access, { name: input.name, tags: [] })),
  rename: projectProcedure()
    .input(renameExperimentInput)
    .mutation(({ ctx, input }) => renameExperiment(ctx.access, input.experimentId, input.name)),
  delete: projectProcedure()
    .input(experimentRefInput)
    .mutation(({ ctx, input }) => setExperimentLifecycle(ctx.access, input.experimentId, "deleted")),
  restore: projectProcedure()
    .input(experimentRefInput)
    .mutation(({ ctx, input }) => setExperimentLifecycle(ctx.access, input.experimentId, "active")),
});
