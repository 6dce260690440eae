import { compareRunsInput } from "@/lib/schemas/dashboard";
import { compareRuns } from "../../services/compare";
import { projectProcedure, router } from "../init";

export const compareRouter = router({
  runs: projectProcedure()
    .input(compareRunsInput)
    .query(({ ctx, input }) => compareRuns(ctx.access, input.runIds)),
});
