import { deleteRunViewInput, listRunViewsInput, saveRunViewInput } from "@/lib/schemas/run-views";
import { deleteRunView, listRunViews, saveRunView } from "../../services/run-views";
import { projectProcedure, router } from "../init";

/** A user's own saved runs-table views; reading the project is enough to keep views. */
export const runViewsRouter = router({
  list: projectProcedure()
    .input(listRunViewsInput)
    .query(({ ctx, input }) => listRunViews(ctx.access, input.experimentId)),
  save: projectProcedure()
    .input(saveRunViewInput)
    .mutation(({ ctx, input }) => saveRunView(ctx.access, input)),
  delete: projectProcedure()
    .input(deleteRunViewInput)
    .mutation(({ ctx, input }) => deleteRunView(ctx.access, input)),
});
