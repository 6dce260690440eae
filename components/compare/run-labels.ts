import type { ComparedRun } from "@/server/services/compare";

/** Chart series need unique names: runs that share a name get their short id appended. */
export function runLabels(runs: ComparedRun[]): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.name, (counts.get(run.name) ?? 0) + 1);
  return runs.map((run) => (counts.get(run.name)! > 1 ? `${run.name} · ${run.runId.slice(0, 6)}` : run.name));
}

export const SERIES_COLORS = ["blue", "emerald", "violet", "amber", "rose", "cyan", "fuchsia", "lime", "orange", "indigo"] as const;
