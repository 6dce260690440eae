export { listRunViews, saveRunView, deleteRunView, MAX_VIEWS_PER_EXPERIMENT, type RunViewSummary } from "./run-views";
