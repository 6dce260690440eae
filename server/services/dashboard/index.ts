export {
  dashboardKpis,
  runsPerDay,
  bestRuns,
  projectMetricKeys,
  RUN_STATUSES,
  type DashboardKpis,
  type RunsPerDay,
  type BestRun,
} from "./dashboard";
