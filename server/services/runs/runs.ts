import { randomBytes } from "node:crypto";
import { badInput, conflict, notFound } from "@/lib/errors";
import { lifecycleTransition, RUN_STATUSES, runStatusTransition, type LifecycleStage, type RunStatus } from "@/lib/tracking-states";
import { pooledSql, withPgTransaction } from "@/server/db/pool";
import { preparedStatement } from "@/server/db/prepared";
import { transaction, type SqlTx, type Tx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import { experimentNumberOf, findExperiment } from "../experiments/internal";
import { generateRunName } from "./run-names";
import { findRun, loadRuns, RUN_INFO_COLUMNS, toRunInfo, type RunInfoRow } from "./internal";
import type { Run, RunInfo } from "./types";

export const RUN_NAME_TAG = "mlflow.runName";
export const PARENT_RUN_TAG = "mlflow.parentRunId";

export function assertActive(run: { id: string; lifecycleStage: string }): void {
  if (run.lifecycleStage !== "active") {
    throw badInput(`The run ${run.id} must be in the 'active' state. Current state is ${run.lifecycleStage}.`);
  }
}

export async function createRun(
  access: ProjectAccess,
  input: {
    experimentId: string;
    userId?: string;
    startTime?: number;
    runName?: string;
    tags: { key: string; value: string }[];
  },
): Promise<Run> {
  assertScope(access, "runs:write");
  const experimentNumber = experimentNumberOf(input.experimentId);
  const tags = new Map(input.tags.map((tag) => [tag.key, tag.value]));
  const tagName = tags.get(RUN_NAME_TAG);
  const nameConflict =
    input.runName && tagName !== undefined && tagName !== input.runName
      ? badInput(`Both 'run_name' ('${input.runName}') and the '${RUN_NAME_TAG}' tag ('${tagName}') were given and they differ`)
      : null;
  const name = input.runName || tagName || generateRunName();
  tags.set(RUN_NAME_TAG, name);
  const row = {
    id: randomBytes(16).toString("hex"),
    experimentNumber,
    name,
    userId: input.userId ?? "",
    startTime: input.startTime ?? Date.now(),
    parentRunId: tags.get(PARENT_RUN_TAG) ?? null,
    tags,
  };
  const created = nameConflict ? null : await insertRun(access, row);
  if (created) return created;
  // Refused, or the Default experiment does not exist yet: the checks one by one, in this order,
  // say why (or create the Default experiment), and the insert is tried again.
  const experiment = await findExperiment(access, input.experimentId);
  if (experiment.lifecycleStage !== "active") {
    throw badInput(`The experiment ${input.experimentId} must be in the 'active' state. Current state is deleted.`);
  }
  if (nameConflict) throw nameConflict;
  if (row.parentRunId) await findRun(access, row.parentRunId);
  const retried = await insertRun(access, row);
  if (!retried) throw conflict(`The experiment ${input.experimentId} or the parent run changed while the run was created; try again`);
  return retried;
}

/**
 * A new run and its tags in one statement, only into an active experiment of the project and under a
 * parent run (mlflow.parentRunId) of the project; null, having written nothing, otherwise. The answer
 * is built from what was inserted: a new run has nothing logged yet, and its tags come back sorted by
 * the database, as a read of the run would sort them.
 */
const INSERT_RUN_SQL = preparedStatement(`
  WITH experiment AS (
    SELECT "id", "number", "artifactLocation" FROM "Experiment"
    WHERE "projectId" = $1 AND "number" = $2 AND "lifecycleStage" = 'active'
  ), r AS (
    INSERT INTO "Run" ("id", "projectId", "experimentId", "name", "userId", "startTime", "artifactUri", "parentRunId")
    SELECT $3::text, $1, x."id", $4, $5, $6, regexp_replace(x."artifactLocation", '/$', '') || '/' || $3::text || '/artifacts', $7::text
    FROM experiment x
    WHERE $7::text IS NULL OR EXISTS (SELECT 1 FROM "Run" p WHERE p."id" = $7::text AND p."projectId" = $1)
    RETURNING *
  ), tags AS (
    INSERT INTO "RunTag" ("runId", "runSeq", "key", "value") SELECT r."id", r."seq", t."key", t."value" FROM r, unnest($8::text[], $9::text[]) AS t("key", "value")
  )
  SELECT ${RUN_INFO_COLUMNS},
    (SELECT json_agg(json_build_array(t."key", t."value") ORDER BY t."key") FROM unnest($8::text[], $9::text[]) AS t("key", "value")) AS "tags"
  FROM r, experiment e`);

async function insertRun(
  access: ProjectAccess,
  run: { id: string; experimentNumber: number; name: string; userId: string; startTime: number; parentRunId: string | null; tags: Map<string, string> },
): Promise<Run | null> {
  const inserted = await pooledSql().query<RunInfoRow & { tags: [string, string][] }>(INSERT_RUN_SQL, [
    access.project.id,
    run.experimentNumber,
    run.id,
    run.name,
    run.userId,
    run.startTime,
    run.parentRunId,
    [...run.tags.keys()],
    [...run.tags.values()],
  ]);
  const row = inserted.rows[0];
  if (!row) return null;
  return {
    ...toRunInfo(row),
    metrics: [],
    params: [],
    tags: row.tags.map(([key, value]) => ({ key, value })),
    datasetInputs: [],
    modelInputs: [],
    modelOutputs: [],
  };
}

export async function getRun(access: ProjectAccess, runId: string): Promise<Run> {
  assertScope(access, "project:read");
  const [run] = await loadRuns(access, [runId]);
  if (!run) throw notFound(`Run with id=${runId} not found`);
  return run;
}

/**
 * runs/update in one statement: the status and end time (any status may follow any other, and an
 * end time is stored only when sent: lib/tracking-states.ts) and the name with its mlflow.runName tag,
 * on an active run of the project. `previousName` is the name before, read under the row lock.
 */
const UPDATE_RUN_SQL = preparedStatement(`
  WITH r AS (
    UPDATE "Run" u SET "status" = COALESCE($3::text, u."status"), "endTime" = COALESCE($4::int8, u."endTime"), "name" = COALESCE($5::text, u."name")
    FROM (SELECT "id", "name" FROM "Run" WHERE "id" = $1 AND "projectId" = $2 FOR UPDATE) before
    WHERE u."id" = before."id" AND u."lifecycleStage" = 'active' AND u."status" = ANY($6::text[])
    RETURNING u.*, before."name" AS "previousName"
  ), tag AS (
    INSERT INTO "RunTag" ("runId", "runSeq", "key", "value") SELECT r."id", r."seq", '${RUN_NAME_TAG}', $5::text FROM r WHERE $5::text IS NOT NULL
    ON CONFLICT ("runId", "key") DO UPDATE SET "value" = EXCLUDED."value"
  )
  SELECT ${RUN_INFO_COLUMNS}, r."previousName" FROM r JOIN "Experiment" e ON e."id" = r."experimentId"`);

export async function updateRun(
  access: ProjectAccess,
  input: { runId: string; status?: RunStatus; endTime?: number; runName?: string },
): Promise<RunInfo> {
  assertScope(access, "runs:write");
  const values = [input.runId, access.project.id, input.status ?? null, input.endTime ?? null, input.runName ?? null, RUN_STATUSES];
  const update = async (tx: SqlTx) => (await tx.query<RunInfoRow & { previousName: string }>(UPDATE_RUN_SQL, values)).rows[0];
  // Without a new name nothing is audited: the statement alone is the whole change. A rename is
  // audited in the transaction of the change, when the name is new.
  const updated = input.runName
    ? await withPgTransaction(async (tx) => {
        const row = await update(tx);
        if (row && input.runName !== row.previousName) {
          await auditRunRename(tx, access, row.id, { before: row.previousName, after: input.runName! });
        }
        return row;
      })
    : await update(pooledSql());
  if (updated) return toRunInfo(updated);
  // Refused: say why (the run is missing or not active, or its stored status is unknown).
  const run = await findRun(access, input.runId);
  assertActive(run);
  runStatusTransition(run.status, input);
  throw conflict(`The run ${input.runId} changed while it was updated; try again`);
}

/** A run's new name, audited in the transaction of the rename (a Prisma one, or the raw one of logBatch). */
export async function auditRunRename(tx: Tx | SqlTx, access: ProjectAccess, runId: string, name: { before: string; after: string }): Promise<void> {
  await recordAudit(tx, access.actor, {
    projectId: access.project.id,
    action: "run.rename",
    resourceType: "run",
    resourceId: runId,
    actorRole: access.roleSnapshot,
    before: { name: name.before },
    after: { name: name.after },
  });
}

export async function setRunLifecycle(access: ProjectAccess, runId: string, stage: LifecycleStage): Promise<void> {
  assertScope(access, "runs:delete");
  const run = await findRun(access, runId);
  const change = lifecycleTransition(run.lifecycleStage, stage, BigInt(Date.now()));
  await transaction(async (tx) => {
    await tx.run.update({
      where: { id: run.id },
      data: { lifecycleStage: change.lifecycleStage, deletedTime: change.deletedTime },
    });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: `run.${change.verb}`,
      resourceType: "run",
      resourceId: run.id,
      actorRole: access.roleSnapshot,
      before: { lifecycleStage: run.lifecycleStage },
      after: { lifecycleStage: stage },
    });
  });
}
