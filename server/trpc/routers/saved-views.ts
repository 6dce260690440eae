import { deleteSavedRunViewInput, listSavedRunViewsInput, saveSavedRunViewInput } from "@/lib/schemas/saved-views";
import { deleteSavedRunView, listSavedRunViews, saveSavedRunView } from "../../services/saved-views";
import { projectProcedure, router } from "../init";

/** A user's own saved runs-table views; reading the project is enough to keep views. */
export const savedViewsRouter = router({
  list: projectProcedure("project:read")
    .input(listSavedRunViewsInput)
    .query(({ ctx, input }) => listSavedRunViews(ctx.access, input.experimentId)),
  save: projectProcedure("project:read")
    .input(saveSavedRunViewInput)
    .mutation(({ ctx, input }) => saveSavedRunView(ctx.access, input)),
  delete: projectProcedure("project:read")
    .input(deleteSavedRunViewInput)
    .mutation(({ ctx, input }) => deleteSavedRunView(ctx.access, input)),
});
