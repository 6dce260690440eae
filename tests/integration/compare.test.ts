import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { resolveProjectAccess } from "@/server/services/access";
import { compareRuns } from "@/server/services/compare";
import { createRun, logBatch } from "@/server/services/runs";
import { createTestProject, systemActor } from "../factories";

async function projectAccess() {
  const { project } = await createTestProject();
  return resolveProjectAccess(systemActor, project.slug);
}

async function loggedRun(
  access: Awaited<ReturnType<typeof projectAccess>>,
  name: string,
  params: Record<string, string>,
  series: Record<string, number[]>,
) {
  const run = await createRun(access, { experimentId: "0", runName: name, tags: [] });
  const metrics = Object.entries(series).flatMap(([key, values]) =>
    values.map((value, step) => ({ key, value, step, timestamp: 1000 + step })),
  );
  await logBatch(access, run.id, {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics,
    tags: [],
  });
  return run.id;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("comparing runs", () => {
  it("lines params up per run, marking the keys whose values differ", async () => {
    const access = await projectAccess();
    const a = await loggedRun(access, "a", { lr: "0.1", optimizer: "adam" }, {});
    const b = await loggedRun(access, "b", { lr: "0.01", optimizer: "adam", dropout: "0.2" }, {});
    const comparison = await compareRuns(access, [b, a]);
    expect(comparison.runs.map((run) => run.name)).toEqual(["b", "a"]);
    expect(comparison.params).toEqual([
      { key: "dropout", values: ["0.2", null], differs: true },
      { key: "lr", values: ["0.01", "0.1"], differs: true },
      { key: "optimizer", values: ["adam", "adam"], differs: false },
    ]);
  });

  it("summarizes each metric per run as last, min and max over the whole series, ignoring NaN", async () => {
    const access = await projectAccess();
    const a = await loggedRun(access, "a", {}, { loss: [0.9, 0.2, Number.NaN, 0.4], acc: [0.5] });
    const b = await loggedRun(access, "b", {}, { loss: [Number.NaN] });
    const { metrics } = await compareRuns(access, [a, b]);
    expect(metrics.map((metric) => metric.key)).toEqual(["acc", "loss"]);
    expect(metrics[0]!.values).toEqual([{ last: 0.5, min: 0.5, max: 0.5, step: 0 }, null]);
    expect(metrics[1]!.values[0]).toEqual({ last: 0.4, min: 0.2, max: 0.9, step: 3 });
    expect(metrics[1]!.values[1]).toMatchObject({ min: null, max: null, step: 0 });
    expect(metrics[1]!.values[1]!.last).toBeNaN();
  });

  it("refuses fewer than two or more than twenty runs, and runs of another project", async () => {
    const access = await projectAccess();
    const mine = await loggedRun(access, "mine", {}, {});
    expect((await errorOf(compareRuns(access, [mine, mine]))).code).toBe("BAD_INPUT");
    const many = Array.from({ length: 21 }, (_, index) => index.toString(16).padStart(32, "0"));
    expect((await errorOf(compareRuns(access, many))).code).toBe("BAD_INPUT");

    const other = await projectAccess();
    const theirs = await loggedRun(other, "theirs", { secret: "x" }, {});
    const refused = await errorOf(compareRuns(access, [mine, theirs]));
    expect(refused.code).toBe("NOT_FOUND");
    expect(refused.message).toContain(theirs);
  });
});
