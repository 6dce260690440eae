import { runTableCountInput, runTableKeysInput, runTablePageInput } from "@/lib/schemas/runs-table";
import { countRunTable, runTableKeys, runTablePage } from "../../services/runs-table";
import { projectProcedure, router } from "../init";

/** The runs table of one experiment: pages of rows with only the chosen columns, the match count, the known keys. */
export const runsTableRouter = router({
  page: projectProcedure("project:read")
    .input(runTablePageInput)
    .query(({ ctx, input }) => runTablePage(ctx.access, { ...input, pageToken: input.cursor ?? undefined })),
  count: projectProcedure("project:read")
    .input(runTableCountInput)
    .query(({ ctx, input }) => countRunTable(ctx.access, input)),
  keys: projectProcedure("project:read")
    .input(runTableKeysInput)
    .query(({ ctx, input }) => runTableKeys(ctx.access, input.experimentId)),
});
