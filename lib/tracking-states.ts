/**
 * The two state machines of MLflow tracking, each as a closed union and one transition function:
 * a run's status, and the lifecycle stage (soft delete) of runs and experiments. The database keeps
 * both as plain strings: new rows take its defaults (RUNNING, active) and every change goes through
 * the transition functions below.
 */

/** MLflow's RunStatus, in the order of its enum (the REST API also accepts them as numbers 1..5). */
export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** MLflow's lifecycle_stage of experiments and runs. */
export const LIFECYCLE_STAGES = ["active", "deleted"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Which lifecycle stages a search returns (MLflow's ViewType; the REST API also accepts 1..3). */
export const VIEW_TYPES = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

/** MLflow 3's LoggedModelStatus, in the order of its enum (the REST API also accepts them as numbers 1..3). */
export const LOGGED_MODEL_STATUSES = ["LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

export function isRunStatus(value: string): value is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(value);
}

export function isLifecycleStage(value: string): value is LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value);
}

/** A status read from the database; every write goes through this module, so an unknown one is a bug. */
export function runStatusOf(value: string): RunStatus {
  if (!isRunStatus(value)) throw new Error(`unknown run status '${value}'`);
  return value;
}

/** A lifecycle stage read from the database; an unknown one is a bug. */
export function lifecycleStageOf(value: string): LifecycleStage {
  if (!isLifecycleStage(value)) throw new Error(`unknown lifecycle stage '${value}'`);
  return value;
}

/**
 * The stages each stage may move to. Delete and restore are idempotent: restoring an active run or
 * experiment is not refused (it is stored and audited again), and deleting a deleted run stamps its
 * deleted time again. A stricter rule would be one line of this table.
 */
const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleStage, readonly LifecycleStage[]>> = {
  active: ["active", "deleted"],
  deleted: ["deleted", "active"],
};

export interface LifecycleChange {
  lifecycleStage: LifecycleStage;
  /** A run's deletedTime: the moment of the deletion, or null once restored. */
  deletedTime: bigint | null;
  /** The verb of the audit action (`run.delete`, `experiment.restore`...). */
  verb: "delete" | "restore";
}

/**
 * The one rule of delete and restore for runs and experiments: checks the change (`from` is read from
 * the database, so an unknown stage is a bug) and returns what to store.
 */
export function lifecycleTransition(from: string, to: LifecycleStage, now: bigint): LifecycleChange {
  if (!LIFECYCLE_TRANSITIONS[lifecycleStageOf(from)].includes(to)) {
    throw new Error(`illegal lifecycle change ${from} -> ${to}`);
  }
  return to === "deleted"
    ? { lifecycleStage: to, deletedTime: now, verb: "delete" }
    : { lifecycleStage: to, deletedTime: null, verb: "restore" };
}

export interface RunStatusChange {
  status?: RunStatus;
  endTime?: bigint;
}

/**
 * The one rule of a run status update (MLflow's runs/update): any status may follow any other (a
 * finished run may be marked RUNNING again), and end_time is stored only when the caller sends it:
 * never derived from the status, never cleared. `from` is read from the database, so an unknown
 * status is a bug. Returns the columns to write.
 */
export function runStatusTransition(from: string, update: { status?: RunStatus; endTime?: number }): RunStatusChange {
  runStatusOf(from);
  return {
    ...(update.status ? { status: update.status } : {}),
    ...(update.endTime !== undefined ? { endTime: BigInt(update.endTime) } : {}),
  };
}
