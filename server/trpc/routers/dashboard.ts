import { bestRunsInput, recentRunsInput, runsPerDayInput } from "@/lib/schemas/dashboard";
import { bestRuns, dashboardKpis, projectMetricKeys, recentRuns, runsPerDay } from "../../services/dashboard";
import { projectProcedure, router } from "../init";

export const dashboardRouter = router({
  kpis: projectProcedure().query(({ ctx }) => dashboardKpis(ctx.access)),
  runsPerDay: projectProcedure()
    .input(runsPerDayInput)
    .query(({ ctx, input }) => runsPerDay(ctx.access, input.days)),
  bestRuns: projectProcedure()
    .input(bestRunsInput)
    .query(({ ctx, input }) => bestRuns(ctx.access, input)),
  metricKeys: projectProcedure().query(({ ctx }) => projectMetricKeys(ctx.access)),
  recentRuns: projectProcedure()
    .input(recentRunsInput)
    .query(({ ctx, input }) => recentRuns(ctx.access, input.limit)),
});
