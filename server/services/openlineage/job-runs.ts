import type { OpenLineageRunEvent } from "@/lib/schemas/openlineage";
import type { Tx } from "@/server/db/transaction";
import { facetChange } from "./facets";

/** The job of the event (namespace + name); its facets are the latest the job's events sent. */
export async function upsertJob(tx: Tx, projectId: string, job: OpenLineageRunEvent["job"]): Promise<string> {
  const facets = facetChange(job.facets);
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "LineageJob" ("id", "projectId", "namespace", "name", "origin", "facets")
    VALUES (gen_random_uuid()::text, ${projectId}, ${job.namespace}, ${job.name}, 'openlineage', ${facets.set}::jsonb)
    ON CONFLICT ("projectId", "namespace", "name") DO UPDATE
      SET "facets" = ("LineageJob"."facets" || EXCLUDED."facets") - ${facets.remove}::text[], "updatedAt" = now()
    RETURNING "id"`;
  return row!.id;
}

/**
 * The job run (the graph's job node) of the event's run id. The upsert also locks the row, so two
 * events of one run are folded in one after the other and `refreshJobRunState` sees both.
 */
export async function upsertJobRun(
  tx: Tx,
  input: { projectId: string; jobId: string; runId: string; parentRunId: string | null; event: OpenLineageRunEvent },
): Promise<string> {
  const facets = facetChange(input.event.run.facets);
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "LineageJobRun" ("id", "projectId", "jobId", "externalId", "parentExternalId", "state", "facets")
    VALUES (gen_random_uuid()::text, ${input.projectId}, ${input.jobId}, ${input.runId}, ${input.parentRunId}::text,
            ${input.event.eventType}, ${facets.set}::jsonb)
    ON CONFLICT ("projectId", "externalId") DO UPDATE
      SET "facets" = ("LineageJobRun"."facets" || EXCLUDED."facets") - ${facets.remove}::text[],
          "parentExternalId" = coalesce(EXCLUDED."parentExternalId", "LineageJobRun"."parentExternalId")
    RETURNING "id"`;
  return row!.id;
}

/**
 * State and times from all the run's events, ordered by eventTime rather than by arrival, so an old
 * event arriving late changes nothing it should not. OTHER events carry extra facets, not a state:
 * they set one only while the run has no other event. At the same instant a terminal state wins.
 */
export async function refreshJobRunState(tx: Tx, projectId: string, runId: string, jobRunId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "LineageJobRun" SET
      "state" = coalesce((
        SELECT e."eventType" FROM "OpenLineageEvent" e
        WHERE e."projectId" = ${projectId} AND e."runId" = ${runId} AND e."eventType" <> 'OTHER'
        ORDER BY e."eventTime"::timestamptz DESC, e."eventType" IN ('COMPLETE', 'FAIL', 'ABORT') DESC,
                 e."eventType" = 'RUNNING' DESC, e."id" DESC
        LIMIT 1), 'OTHER'),
      "startedAt" = (
        SELECT min(e."eventTime"::timestamptz) AT TIME ZONE 'UTC' FROM "OpenLineageEvent" e
        WHERE e."projectId" = ${projectId} AND e."runId" = ${runId} AND e."eventType" = 'START'),
      "endedAt" = (
        SELECT max(e."eventTime"::timestamptz) AT TIME ZONE 'UTC' FROM "OpenLineageEvent" e
        WHERE e."projectId" = ${projectId} AND e."runId" = ${runId} AND e."eventType" IN ('COMPLETE', 'FAIL', 'ABORT'))
    WHERE "id" = ${jobRunId}`;
}
