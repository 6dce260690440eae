import { badInput, notFound } from "@/lib/errors";
import type { RunStatus } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { metricStore } from "../metrics";
import type { Run } from "../runs";
import { loadRuns } from "../runs/internal";

export const MIN_COMPARED_RUNS = 2;
export const MAX_COMPARED_RUNS = 20;

export interface ComparedRun {
  runId: string;
  name: string;
  experimentId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
}

/** One row of the side-by-side table: a value per run (null where a run lacks the key). */
export interface ComparedParam {
  key: string;
  values: (string | null)[];
  /** True when at least two runs disagree, a missing value counting as a value of its own. */
  differs: boolean;
}

export interface ComparedMetric {
  key: string;
  /** Per run, in run order: the latest value and the extremes of the whole series (NaN ignored). */
  values: ({ last: number; min: number | null; max: number | null; step: number } | null)[];
}

export interface Comparison {
  runs: ComparedRun[];
  params: ComparedParam[];
  metrics: ComparedMetric[];
}

/** Two to twenty runs of the project side by side, in the order asked for. */
export async function compareRuns(access: ProjectAccess, runIds: string[]): Promise<Comparison> {
  assertScope(access, "project:read");
  const ids = [...new Set(runIds)];
  if (ids.length < MIN_COMPARED_RUNS || ids.length > MAX_COMPARED_RUNS) {
    throw badInput(`Compare ${MIN_COMPARED_RUNS} to ${MAX_COMPARED_RUNS} different runs (got ${ids.length})`);
  }
  const [found, seqRows] = await Promise.all([
    loadRuns(access, ids),
    db().run.findMany({ where: { id: { in: ids }, projectId: access.project.id }, select: { id: true, seq: true } }),
  ]);
  const byId = new Map(found.map((run) => [run.id, run]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw notFound(`Run${missing.length > 1 ? "s" : ""} not found: ${missing.join(", ")}`);
  const runs = ids.map((id) => byId.get(id)!);

  const seqOf = new Map(seqRows.map((row) => [row.id, Number(row.seq)]));
  const extremes = await metricStore().extremes(ids.map((id) => seqOf.get(id)!));
  const extremesOf = new Map(extremes.map((entry) => [`${entry.runSeq}\u0000${entry.key}`, entry]));

  return {
    runs: runs.map((run) => ({
      runId: run.id,
      name: run.name,
      experimentId: run.experimentId,
      status: run.status,
      startTime: run.startTime,
      ...(run.endTime ? { endTime: run.endTime } : {}),
    })),
    params: sortedKeys(runs, (run) => run.params).map((key) => {
      const values = runs.map((run) => run.params.find((param) => param.key === key)?.value ?? null);
      return { key, values, differs: new Set(values).size > 1 };
    }),
    metrics: sortedKeys(runs, (run) => run.metrics).map((key) => ({
      key,
      values: runs.map((run) => {
        const latest = run.metrics.find((metric) => metric.key === key);
        if (!latest) return null;
        const range = extremesOf.get(`${seqOf.get(run.id)}\u0000${key}`);
        return { last: latest.value, min: range?.min ?? null, max: range?.max ?? null, step: latest.step };
      }),
    })),
  };
}

function sortedKeys(runs: Run[], entries: (run: Run) => { key: string }[]): string[] {
  return [...new Set(runs.flatMap((run) => entries(run).map((entry) => entry.key)))].sort();
}
