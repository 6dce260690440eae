import { bestRunsInput, recentRunsInput, runsPerDayInput } from "@/lib/schemas/dashboard";
import { bestRuns, dashboardKpis, projectMetricKeys, recentRuns, runsPerDay } from "../../services/dashboard";
import { projectProcedure, router } from "../init";

export const dashboardRouter = router({
  kpis: projectProcedure("project:read").query(({ ctx }) => dashboardKpis(ctx.access)),
  runsPerDay: projectProcedure("project:read")
    .input(runsPerDayInput)
    .query(({ ctx, input }) => runsPerDay(ctx.access, input.days)),
  bestRuns: projectProcedure("project:read")
    .input(bestRunsInput)
    .query(({ ctx, input }) => bestRuns(ctx.access, input)),
  metricKeys: projectProcedure("project:read").query(({ ctx }) => projectMetricKeys(ctx.access)),
  recentRuns: projectProcedure("project:read")
    .input(recentRunsInput)
    .query(({ ctx, input }) => recentRuns(ctx.access, input.limit)),
});
