import { notFound } from "@/lib/errors";
import { lifecycleStageOf, runStatusOf } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import type { ProjectAccess } from "../access";
import { metricStore } from "../metrics";
import type { KeyValue, MetricPoint, Run, RunInfo } from "./types";

/**
 * Unguarded reads of runs for other services, which check the caller's scope themselves. They are
 * not in the public index: an edge reaches runs only through a function that asserts a scope.
 */

export const runInfoSelect = {
  id: true,
  seq: true,
  name: true,
  userId: true,
  status: true,
  startTime: true,
  endTime: true,
  artifactUri: true,
  lifecycleStage: true,
  experiment: { select: { number: true } },
} as const;

interface RunInfoRow {
  id: string;
  name: string;
  userId: string;
  status: string;
  startTime: bigint;
  endTime: bigint | null;
  artifactUri: string;
  lifecycleStage: string;
  experiment: { number: number };
}

export function toRunInfo(row: RunInfoRow): RunInfo {
  return {
    id: row.id,
    name: row.name,
    experimentId: String(row.experiment.number),
    userId: row.userId,
    status: runStatusOf(row.status),
    startTime: Number(row.startTime),
    endTime: row.endTime !== null ? Number(row.endTime) : null,
    artifactUri: row.artifactUri,
    lifecycleStage: lifecycleStageOf(row.lifecycleStage),
  };
}

/** A run of the caller's project, or NOT_FOUND (runs of other projects do not exist for it). */
export async function findRun(access: ProjectAccess, runId: string) {
  const run = await db().run.findFirst({ where: { id: runId, projectId: access.project.id }, select: runInfoSelect });
  if (!run) throw notFound(`Run with id=${runId} not found`);
  return run;
}

/** Whole runs for the given ids (in that order), confined to the caller's project; unknown ids are left out. */
export async function loadRuns(access: ProjectAccess, runIds: string[]): Promise<Run[]> {
  if (runIds.length === 0) return [];
  const rows = await db().run.findMany({
    where: { id: { in: runIds }, projectId: access.project.id },
    select: {
      ...runInfoSelect,
      params: { select: { key: true, value: true }, orderBy: { key: "asc" } },
      tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
      inputs: { select: { tags: true, dataset: true } },
      modelInputs: { select: { modelId: true }, orderBy: { modelId: "asc" } },
      outputs: { select: { modelId: true, step: true } },
    },
  });
  const latest = await metricStore().latest(rows.map((row) => Number(row.seq)));
  const metricsBySeq = new Map<number, MetricPoint[]>();
  for (const { runSeq, key, value, timestamp, step } of latest) {
    metricsBySeq.set(runSeq, [...(metricsBySeq.get(runSeq) ?? []), { key, value, timestamp, step }]);
  }
  const byId = new Map(
    rows.map((row): [string, Run] => [
      row.id,
      {
        ...toRunInfo(row),
        metrics: metricsBySeq.get(Number(row.seq)) ?? [],
        params: row.params,
        tags: row.tags,
        datasetInputs: row.inputs.map((input) => ({
          dataset: {
            name: input.dataset.name,
            digest: input.dataset.digest,
            sourceType: input.dataset.sourceType,
            source: input.dataset.source,
            ...(input.dataset.schema !== null ? { schema: input.dataset.schema } : {}),
            ...(input.dataset.profile !== null ? { profile: input.dataset.profile } : {}),
          },
          tags: input.tags as KeyValue[],
        })),
        modelInputs: row.modelInputs,
        modelOutputs: row.outputs.map((output) => ({ modelId: output.modelId, step: Number(output.step) })),
      },
    ]),
  );
  return runIds.flatMap((id) => byId.get(id) ?? []);
}
