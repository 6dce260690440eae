import { describe, expect, it } from "vitest";
import type { RunStatus } from "@/lib/tracking-states";
import { resolveProjectAccess } from "@/server/services/access";
import { bestRuns, dashboardKpis, projectMetricKeys, recentRuns, runsPerDay } from "@/server/services/dashboard";
import { createExperiment, setExperimentLifecycle } from "@/server/services/experiments";
import { createLoggedModel } from "@/server/services/logged-models";
import { createModelVersion, createRegisteredModel, transitionModelVersionStage } from "@/server/services/registry";
import { createRun, logBatch, setRunLifecycle, updateRun } from "@/server/services/runs";
import { createTestProject, systemActor } from "../factories";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12);

/** A project whose runs are placed at known days and statuses; `other` is a second project that must never count. */
async function seededProject() {
  const { project } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const { id: experiment } = await createExperiment(access, { name: "main", tags: [] });
  const run = async (daysAgo: number, status: RunStatus, metrics: Record<string, number> = {}) => {
    const view = await createRun(access, { experimentId: experiment, startTime: NOW - daysAgo * DAY, tags: [] });
    const runId = view.id;
    if (status !== "RUNNING") await updateRun(access, { runId, status, endTime: NOW - daysAgo * DAY + 60_000 });
    const points = Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: NOW, step: 1 }));
    if (points.length) await logBatch(access, runId, { metrics: points, params: [], tags: [] });
    return runId;
  };
  return { access, experiment, run };
}

describe("project dashboard aggregates", () => {
  it("counts runs of the last 7 days, success rate, in-progress runs, registered models and Production versions", async () => {
    const { access, experiment, run } = await seededProject();
    await run(0, "FINISHED");
    await run(1, "FINISHED");
    await run(2, "FAILED");
    await run(3, "RUNNING");
    await run(10, "KILLED"); // previous week, still within the 30-day success window
    await run(40, "FAILED"); // outside every window
    const deleted = await run(1, "FAILED");
    await setRunLifecycle(access, deleted, "deleted");
    // A logged model is not a registered one: only the registry counts.
    const logged = await createLoggedModel(access, { experimentId: experiment, name: "model", params: [], tags: [] });
    for (const name of ["churn", "fraud"]) await createRegisteredModel(access, { name });
    for (let i = 0; i < 3; i++) await createModelVersion(access, "churn", { source: `models:/${logged.id}` });
    await transitionModelVersionStage(access, "churn", 1, { stage: "Production", archiveExisting: false });
    await transitionModelVersionStage(access, "churn", 2, { stage: "Production", archiveExisting: false });
    await transitionModelVersionStage(access, "churn", 3, { stage: "Staging", archiveExisting: false });

    const other = await seededProject();
    await other.run(0, "FAILED");
    await createRegisteredModel(other.access, { name: "elsewhere" });

    expect(await dashboardKpis(access, NOW)).toEqual({
      runsLast7Days: 4,
      runsPrevious7Days: 1,
      successRate: 2 / 4,
      runsInProgress: 1,
      registeredModels: 2,
      productionVersions: 2,
    });
  });

  it("reports no success rate when no run has ended", async () => {
    const { access, run } = await seededProject();
    await run(0, "RUNNING");
    expect((await dashboardKpis(access, NOW)).successRate).toBeNull();
  });

  it("buckets runs per UTC day by status, with empty days as zeros", async () => {
    const { access, run } = await seededProject();
    await run(0, "FINISHED");
    await run(0, "FAILED");
    await run(2, "FINISHED");
    const series = await runsPerDay(access, 7, NOW);
    expect(series.map((entry) => entry.day)).toEqual([
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
      "2026-11-21",
      "2026-11-22",
    ]);
    expect(series[6]!.counts).toMatchObject({ FINISHED: 1, FAILED: 1, RUNNING: 0 });
    expect(series[4]!.counts.FINISHED).toBe(1);
    expect(series.slice(0, 4).every((entry) => Object.values(entry.counts).every((count) => count === 0))).toBe(true);
  });

  it("ranks best runs by a metric in either direction, never picking NaN or deleted experiments", async () => {
    const { access, run } = await seededProject();
    const good = await run(1, "FINISHED", { acc: 0.9 });
    const better = await run(2, "FINISHED", { acc: 0.95 });
    const worst = await run(3, "FINISHED", { acc: 0.5 });
    await run(4, "FAILED", { acc: Number.NaN });
    const { id: hidden } = await createExperiment(access, { name: "hidden", tags: [] });
    const hiddenRun = await createRun(access, { experimentId: hidden, tags: [] });
    await logBatch(access, hiddenRun.id, { metrics: [{ key: "acc", value: 0.99, timestamp: NOW, step: 1 }], params: [], tags: [] });
    await setExperimentLifecycle(access, hidden, "deleted");

    const max = await bestRuns(access, { metricKey: "acc", direction: "max" });
    expect(max.map((entry) => entry.runId)).toEqual([better, good, worst]);
    expect(max[0]).toMatchObject({ value: 0.95, step: 1, experimentName: "main", status: "FINISHED" });
    const min = await bestRuns(access, { metricKey: "acc", direction: "min", limit: 1 });
    expect(min.map((entry) => entry.runId)).toEqual([worst]);
    expect(await projectMetricKeys(access)).toEqual(["acc"]);
  });
});

describe("recent runs", () => {
  it("lists the newest live runs first, with their experiment", async () => {
    const { access, run } = await seededProject();
    const old = await run(3, "FINISHED");
    const newest = await run(0, "RUNNING");
    const middle = await run(1, "FAILED");
    const gone = await run(0, "FINISHED");
    await setRunLifecycle(access, gone, "deleted");
    const recent = await recentRuns(access, 2);
    expect(recent.map((entry) => entry.runId)).toEqual([newest, middle]);
    expect(recent[0]).toMatchObject({ status: "RUNNING", experimentName: "main", endTime: null, startTime: NOW });
    expect((await recentRuns(access)).map((entry) => entry.runId)).toEqual([newest, middle, old]);
  });
});
