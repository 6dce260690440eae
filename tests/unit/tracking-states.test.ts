import { describe, expect, it } from "vitest";
import {
  isLifecycleStage,
  isRunStatus,
  LIFECYCLE_STAGES,
  lifecycleStageOf,
  lifecycleTransition,
  RUN_STATUSES,
  runStatusOf,
  runStatusTransition,
  VIEW_TYPES,
} from "@/lib/tracking-states";

const NOW = 1_700_000_000_000n;

describe("tracking unions", () => {
  it("lists MLflow's values in MLflow's enum order", () => {
    expect(RUN_STATUSES).toEqual(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]);
    expect(LIFECYCLE_STAGES).toEqual(["active", "deleted"]);
    expect(VIEW_TYPES).toEqual(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]);
  });

  it("recognizes exactly the members (case-sensitive)", () => {
    for (const status of RUN_STATUSES) expect(isRunStatus(status)).toBe(true);
    for (const stage of LIFECYCLE_STAGES) expect(isLifecycleStage(stage)).toBe(true);
    expect(isRunStatus("finished")).toBe(false);
    expect(isLifecycleStage("Deleted")).toBe(false);
  });

  it("narrows stored values, treating an unknown one as a bug", () => {
    expect(runStatusOf("KILLED")).toBe("KILLED");
    expect(lifecycleStageOf("deleted")).toBe("deleted");
    expect(() => runStatusOf("")).toThrow("unknown run status ''");
    expect(() => lifecycleStageOf("archived")).toThrow("unknown lifecycle stage 'archived'");
  });
});

describe("lifecycle transitions", () => {
  it("deletes with a deleted time and restores clearing it", () => {
    expect(lifecycleTransition("active", "deleted", NOW)).toEqual({ lifecycleStage: "deleted", deletedTime: NOW, verb: "delete" });
    expect(lifecycleTransition("deleted", "active", NOW)).toEqual({ lifecycleStage: "active", deletedTime: null, verb: "restore" });
  });

  it("is idempotent: restoring an active one and deleting a deleted one are not refused", () => {
    expect(lifecycleTransition("active", "active", NOW)).toEqual({ lifecycleStage: "active", deletedTime: null, verb: "restore" });
    expect(lifecycleTransition("deleted", "deleted", NOW)).toEqual({ lifecycleStage: "deleted", deletedTime: NOW, verb: "delete" });
  });

  it("treats an unknown stored stage as a bug", () => {
    expect(() => lifecycleTransition("archived", "active", NOW)).toThrow("unknown lifecycle stage 'archived'");
  });
});

describe("run status transitions", () => {
  it("lets any status follow any other and writes only what was sent", () => {
    for (const from of RUN_STATUSES) {
      for (const to of RUN_STATUSES) expect(runStatusTransition(from, { status: to })).toEqual({ status: to });
    }
  });

  it("stores end_time only when given: never derived from the status, never cleared", () => {
    expect(runStatusTransition("RUNNING", { status: "FINISHED" })).toEqual({ status: "FINISHED" });
    expect(runStatusTransition("FINISHED", { status: "RUNNING" })).toEqual({ status: "RUNNING" });
    expect(runStatusTransition("RUNNING", { status: "FAILED", endTime: 42 })).toEqual({ status: "FAILED", endTime: 42n });
    expect(runStatusTransition("RUNNING", { endTime: 0 })).toEqual({ endTime: 0n });
    expect(runStatusTransition("RUNNING", {})).toEqual({});
  });

  it("treats an unknown stored status as a bug", () => {
    expect(() => runStatusTransition("DONE", { status: "FINISHED" })).toThrow("unknown run status 'DONE'");
  });
});
