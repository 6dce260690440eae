import { lifecycleStageOf, type LifecycleStage } from "@/lib/tracking-states";

/** The MLflow wire shape of an experiment (ids as strings, times as epoch ms numbers). */
export interface ExperimentView {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time: number;
  last_update_time: number;
  tags: { key: string; value: string }[];
}

export interface ExperimentRow {
  id: string;
  number: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: bigint;
  lastUpdateTime: bigint;
  tags: { key: string; value: string }[];
}

export function toExperimentView(row: ExperimentRow): ExperimentView {
  return {
    experiment_id: String(row.number),
    name: row.name,
    artifact_location: row.artifactLocation,
    lifecycle_stage: lifecycleStageOf(row.lifecycleStage),
    creation_time: Number(row.creationTime),
    last_update_time: Number(row.lastUpdateTime),
    tags: row.tags.map(({ key, value }) => ({ key, value })),
  };
}

export const experimentSelect = {
  id: true,
  number: true,
  name: true,
  artifactLocation: true,
  lifecycleStage: true,
  creationTime: true,
  lastUpdateTime: true,
  tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
} as const;
