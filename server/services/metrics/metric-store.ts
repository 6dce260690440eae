import type { SqlTx } from "@/server/db/transaction";

export interface MetricPointInput {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

/**
 * A query selecting at most one run, with a `"seq"` column, and its parameters ($1, $2, … in `sql`).
 * It may lock the row (FOR SHARE), which then stays locked until the statement it joins ends.
 */
export interface RunSelection {
  sql: string;
  values: readonly unknown[];
  /**
   * Other writes to the selected run that must commit or fail with the points: data-modifying
   * queries of the same statement, as `name AS (…)`, comma-separated, reading the run as `run`.
   */
  alsoWrites?: string;
}

/** Points for one run, of one project. */
export interface RunPoints {
  runId: string;
  projectId: string;
  points: MetricPointInput[];
}

export interface MetricPointView {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** A point's place in a series' history order; (timestamp, step, value) is unique per run and key. */
export type HistoryPosition = Pick<MetricPointView, "timestamp" | "step" | "value">;

export interface LatestMetricView extends MetricPointView {
  runSeq: number;
}

/** One bucket of a downsampled series: its step range, the extremes and the last value. */
export interface MetricBucket {
  stepMin: number;
  stepMax: number;
  min: number;
  max: number;
  last: number;
  lastTimestamp: number;
  count: number;
}

/** The smallest and largest value of a (run, key) series, NaN ignored (null when every point is NaN). */
export interface MetricExtremes {
  runSeq: number;
  key: string;
  min: number | null;
  max: number | null;
}

/**
 * Metric history behind one interface (docs/architecture.md, "The metric hot path"): append-only
 * points plus the latest value per (run, key), which runs and search read from "LatestMetric" in their
 * own statements. PostgreSQL first; a columnar engine can implement the
 * same contract later.
 */
export interface MetricStore {
  /**
   * Appends points in one statement inside the caller's transaction (so they commit with the rest of
   * the batch); identical points already stored are skipped, never doubled.
   */
  append(tx: SqlTx, runSeq: number, points: MetricPointInput[]): Promise<void>;
  /**
   * `append` on its own, with no transaction around it: one statement that also runs `run`, the
   * caller's query for the run's row, and writes to the run it selects. False, having written
   * nothing, when it selects none. Small requests thus take one round trip, check included.
   */
  appendToRun(run: RunSelection, points: MetricPointInput[]): Promise<boolean>;
  /**
   * Several appends to several runs as one statement, so one commit: `runs` is the query for the runs
   * that may be written to, taking every write's run id in `$1::text[]` and its project's id in
   * `$2::text[]`, and selecting their "id" and "seq" (locked FOR SHARE, in "id" order). Returns the
   * ids of the runs it selected; a write to any other run wrote nothing. Meant to be called one
   * group at a time: the groups of a process share one connection, which always runs the statement's
   * generic plan.
   */
  appendToRuns(runs: string, writes: RunPoints[]): Promise<Set<string>>;
  /** Min and max per (run, key) over every stored point of the given runs. */
  extremes(runSeqs: number[]): Promise<MetricExtremes[]>;
  /**
   * A page of the points of `key` of the run `run` selects, ordered by (timestamp, step, value) and
   * starting after the point `after` (the previous page's last), in one statement with the
   * selection; null when it selects no run.
   */
  history(run: RunSelection, key: string, page: { after?: HistoryPosition; limit: number }): Promise<MetricPointView[] | null>;
  /** At most `buckets` buckets over the step range, computed in the database. */
  downsample(runSeq: number, key: string, buckets: number): Promise<MetricBucket[]>;
  /**
   * Of the distinct steps at which any of the runs logged `key` within [start, end], at most
   * `maxResults` + 1, ascending: evenly spread, first and last kept (`sampleSteps` of runs/sampled-steps).
   * Sampled where the points are, so memory does not grow with the number of steps.
   */
  sampledSteps(runSeqs: number[], key: string, range: { start?: number; end?: number }, maxResults: number): Promise<number[]>;
  /** Every point of `key` of the runs at the given steps: run by run in the order given, then by step, timestamp and value. */
  pointsAtSteps(runSeqs: number[], key: string, steps: number[]): Promise<LatestMetricView[]>;
}
