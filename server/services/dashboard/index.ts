export {
  dashboardKpis,
  runsPerDay,
  bestRuns,
  projectMetricKeys,
  recentRuns,
  type RecentRun,
  RUN_STATUSES,
  type DashboardKpis,
  type RunsPerDay,
  type BestRun,
} from "./dashboard";
