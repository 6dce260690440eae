import type { OpenLineageRunEvent } from "@/lib/schemas/openlineage";
import { transaction, type Tx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { datasetVersionFact } from "./dataset-versions";
import { upsertJob, upsertJobRun, refreshJobRunState } from "./job-runs";
import { linkDatasets, type Mention } from "./link-datasets";
import type { OpenLineageIntakeResult } from "./types";

/** Run ids are UUIDs: any spelling of one is the same run. */
const canonicalRunId = (runId: string) => runId.toLowerCase();

/**
 * A parent run facet may name a Tally run: its MLflow run id is the UUID's 32 hex digits. Such a run
 * leads into the job run (a training run that launched a data step, say).
 */
async function linkParentTallyRun(tx: Tx, projectId: string, parentRunId: string, jobRunId: string): Promise<void> {
  const tallyRunId = parentRunId.replaceAll("-", "");
  await tx.$executeRaw`
    INSERT INTO "LineageEdge" ("projectId", "src", "dst", "kind")
    SELECT r."projectId", 'run:' || r."id", ${`job:${jobRunId}`}, 'openlineage'
    FROM "Run" r WHERE r."id" = ${tallyRunId} AND r."projectId" = ${projectId}
    ON CONFLICT ("src", "dst") DO NOTHING`;
}

/**
 * Stores one OpenLineage RunEvent (docs/openlineage.md): the event itself, its job and job run, a
 * dataset version per input and output, and the graph's edges, in one transaction. The same (run id,
 * eventType, eventTime) again is a duplicate and changes nothing. A Tally run tagged
 * `openlineage.run_id` is joined to the job run by a trigger (prisma/sql/lineage.sql).
 */
export async function recordOpenLineageEvent(access: ProjectAccess, event: OpenLineageRunEvent): Promise<OpenLineageIntakeResult> {
  assertScope(access, "runs:write");
  const projectId = access.project.id;
  const runId = canonicalRunId(event.run.runId);
  const parent = event.run.facets?.parent;
  const parentRunId = parent && !parent._deleted ? canonicalRunId(parent.run.runId) : null;
  const mentions: Mention[] = [
    ...(event.inputs ?? []).map((dataset) => ({ ...datasetVersionFact(dataset), direction: "input" as const })),
    ...(event.outputs ?? []).map((dataset) => ({ ...datasetVersionFact(dataset), direction: "output" as const })),
  ];
  return transaction(async (tx) => {
    const inserted = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "OpenLineageEvent" ("projectId", "runId", "eventType", "eventTime", "payload")
      VALUES (${projectId}, ${runId}, ${event.eventType}, ${event.eventTime}, ${JSON.stringify(event)}::jsonb)
      ON CONFLICT ("projectId", "runId", "eventType", "eventTime") DO NOTHING
      RETURNING "id"`;
    if (inserted.length === 0) return { stored: false, duplicate: true };
    const jobId = await upsertJob(tx, projectId, event.job);
    const jobRunId = await upsertJobRun(tx, { projectId, jobId, runId, parentRunId, event });
    await refreshJobRunState(tx, projectId, runId, jobRunId);
    const createdBy = access.actor.type === "USER" ? access.actor.userId : null;
    await linkDatasets(tx, { projectId, jobRunId, createdBy, mentions });
    if (parentRunId) await linkParentTallyRun(tx, projectId, parentRunId, jobRunId);
    return { stored: true, duplicate: false, jobRunId };
  });
}
