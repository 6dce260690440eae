export {
  dashboardKpis,
  runsPerDay,
  bestRuns,
  projectMetricKeys,
  recentRuns,
  type RecentRun,
  type DashboardKpis,
  type RunsPerDay,
  type BestRun,
} from "./dashboard";
