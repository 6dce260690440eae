export { checkReadiness, type Readiness, type ReadinessCheckName } from "./readiness";
export { refreshBackgroundJobLag } from "./job-lag";
