import { badInput, notFound } from "@/lib/errors";
import { lifecycleStageOf } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import { pooledSql } from "@/server/db/pool";
import { preparedStatement } from "@/server/db/prepared";
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

/** An experiment row as Prisma (`experimentSelect`, times as bigint) or raw SQL (`EXPERIMENT_SQL`, numbers) reads it. */
interface ExperimentRow {
  number: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: bigint | number;
  lastUpdateTime: bigint | number;
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

/** The experiment's number for an MLflow experiment id; BAD_INPUT for anything but 1 to 9 digits. */
export function experimentNumberOf(experimentId: string): number {
  if (!/^\d{1,9}$/.test(experimentId)) throw badInput(`Invalid experiment id '${experimentId}'`);
  return Number(experimentId);
}

/** An experiment of a project by number or by name, with its tags, in one statement. */
const EXPERIMENT_SQL = (by: "number" | "name") => `
  SELECT x."id", x."number", x."name", x."artifactLocation", x."lifecycleStage", x."creationTime", x."lastUpdateTime",
    COALESCE((SELECT json_agg(json_build_object('key', t."key", 'value', t."value") ORDER BY t."key")
              FROM "ExperimentTag" t WHERE t."experimentId" = x."id"), '[]') AS "tags"
  FROM "Experiment" x WHERE x."projectId" = $1 AND x."${by}" = $2`;
const EXPERIMENT_BY_NUMBER_SQL = preparedStatement(EXPERIMENT_SQL("number"));
const EXPERIMENT_BY_NAME_SQL = preparedStatement(EXPERIMENT_SQL("name"));

export interface StoredExperiment extends ExperimentRow {
  /** The internal key (the MLflow id is `number`). */
  id: string;
  creationTime: number;
  lastUpdateTime: number;
}

/**
 * An experiment of the project by MLflow id or by name, or null. The Default experiment is created
 * the first time it is looked for and missing, so the usual lookup is one statement.
 */
export async function experimentOfProject(projectId: string, by: { number: number } | { name: string }): Promise<StoredExperiment | null> {
  const [sql, value, isDefault] =
    "number" in by
      ? [EXPERIMENT_BY_NUMBER_SQL, by.number, by.number === DEFAULT_EXPERIMENT_NUMBER]
      : [EXPERIMENT_BY_NAME_SQL, by.name, by.name === DEFAULT_EXPERIMENT_NAME];
  const read = async () => (await pooledSql().query<StoredExperiment>(sql, [projectId, value])).rows[0] ?? null;
  const found = await read();
  if (found || !isDefault) return found;
  await ensureDefaultExperiment(projectId);
  return read();
}

/** The experiment row for an MLflow experiment id within the caller's project, or NOT_FOUND. */
export async function findExperiment(access: ProjectAccess, experimentId: string): Promise<StoredExperiment> {
  const experiment = await experimentOfProject(access.project.id, { number: experimentNumberOf(experimentId) });
  if (!experiment) throw notFound(`No experiment with id=${experimentId} exists`);
  return experiment;
}

/**
 * The internal keys of the project's experiments with these MLflow ids; ids that name no experiment
 * of the project are left out (a search over them finds nothing, as in MLflow).
 */
const EXPERIMENT_KEYS_SQL = preparedStatement(`SELECT "id" FROM "Experiment" WHERE "projectId" = $1 AND "number" = ANY($2::int[])`);

export async function experimentKeysOf(access: ProjectAccess, experimentIds: readonly string[]): Promise<string[]> {
  const numbers = experimentIds.map(experimentNumberOf);
  if (numbers.includes(0)) await ensureDefaultExperiment(access.project.id);
  const rows = await pooledSql().query<{ id: string }>(EXPERIMENT_KEYS_SQL, [access.project.id, numbers]);
  return rows.rows.map((row) => row.id);
}
