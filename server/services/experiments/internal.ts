import { badInput, notFound } from "@/lib/errors";
import { lifecycleStageOf } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import type { ProjectAccess } from "../access";
import type { Experiment } from "./types";

/**
 * Unguarded reads of experiments for other services, which check the caller's scope themselves. They
 * are not in the public index: an edge reaches experiments only through a function that asserts a scope.
 */

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

interface ExperimentRow {
  number: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: bigint;
  lastUpdateTime: bigint;
  tags: { key: string; value: string }[];
}

export function toExperiment(row: ExperimentRow): Experiment {
  return {
    id: String(row.number),
    name: row.name,
    artifactLocation: row.artifactLocation,
    lifecycleStage: lifecycleStageOf(row.lifecycleStage),
    creationTime: Number(row.creationTime),
    lastUpdateTime: Number(row.lastUpdateTime),
    tags: row.tags.map(({ key, value }) => ({ key, value })),
  };
}

export const DEFAULT_EXPERIMENT_NUMBER = 0;
export const DEFAULT_EXPERIMENT_NAME = "Default";

/** The default artifact root of an experiment; runs live under `<root>/<run_id>/artifacts`. */
export const experimentArtifactRoot = (number: number) => `mlflow-artifacts:/${number}`;

/**
 * Experiment "0" ("Default") exists in every project because mlflow's start_run() falls back to it.
 * It is created on first use, so projects made before tracking existed get one too.
 */
export async function ensureDefaultExperiment(projectId: string): Promise<void> {
  const now = BigInt(Date.now());
  // INSERT … ON CONFLICT DO NOTHING: concurrent first runs of a project must not race to create it.
  await db().experiment.createMany({
    data: [
      {
        projectId,
        number: DEFAULT_EXPERIMENT_NUMBER,
        name: DEFAULT_EXPERIMENT_NAME,
        artifactLocation: experimentArtifactRoot(DEFAULT_EXPERIMENT_NUMBER),
        creationTime: now,
        lastUpdateTime: now,
      },
    ],
    skipDuplicates: true,
  });
}

/** The experiment row for an MLflow experiment id within the caller's project, or NOT_FOUND. */
export async function findExperiment(access: ProjectAccess, experimentId: string) {
  const number = Number(experimentId);
  if (!/^\d{1,9}$/.test(experimentId)) throw badInput(`Invalid experiment id '${experimentId}'`);
  if (number === DEFAULT_EXPERIMENT_NUMBER) await ensureDefaultExperiment(access.project.id);
  const experiment = await db().experiment.findUnique({
    where: { projectId_number: { projectId: access.project.id, number } },
    select: experimentSelect,
  });
  if (!experiment) throw notFound(`No experiment with id=${experimentId} exists`);
  return experiment;
}

/**
 * The internal keys of the project's experiments with these MLflow ids; ids that name no experiment
 * of the project are left out (a search over them finds nothing, as in MLflow).
 */
export async function experimentKeysOf(access: ProjectAccess, experimentIds: readonly string[]): Promise<string[]> {
  const numbers = experimentIds.map((id) => {
    if (!/^\d{1,9}$/.test(id)) throw badInput(`Invalid experiment id '${id}'`);
    return Number(id);
  });
  if (numbers.includes(0)) await ensureDefaultExperiment(access.project.id);
  const rows = await db().experiment.findMany({
    where: { projectId: access.project.id, number: { in: numbers } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
