/** What became of one OpenLineage RunEvent. */
export type OpenLineageIntakeResult =
  /** Stored: `jobRunId` is the job run (graph node `job:<jobRunId>`) the event belongs to. */
  | { stored: true; duplicate: false; jobRunId: string }
  /** The same (run id, eventType, eventTime) was already stored: nothing changed. */
  | { stored: false; duplicate: true };
