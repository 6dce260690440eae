export { recordOpenLineageEvent } from "./record-event";
export type { OpenLineageIntakeResult } from "./types";
