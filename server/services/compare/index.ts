export {
  compareRuns,
  MIN_COMPARED_RUNS,
  MAX_COMPARED_RUNS,
  type Comparison,
  type ComparedRun,
  type ComparedParam,
  type ComparedMetric,
} from "./compare";
