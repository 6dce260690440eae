import type { LifecycleStage } from "@/lib/tracking-states";
import { pgPool } from "@/server/db/pool";
import { assertScope, type ProjectAccess } from "../access";
import { ensureDefaultExperiment } from "./internal";

export interface ExperimentSummary {
  experimentId: string;
  name: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  runCount: number;
  activeRuns: number;
  lastRunStart: number | null;
}

/** The project's experiments with run counts, counted in SQL; deleted ones only when asked. */
export async function listExperimentSummaries(access: ProjectAccess, includeDeleted: boolean): Promise<ExperimentSummary[]> {
  assertScope(access, "project:read");
  await ensureDefaultExperiment(access.project.id);
  const { rows } = await pgPool().query<ExperimentSummary>(
    `SELECT e.number::text AS "experimentId", e.name, e."lifecycleStage", e."creationTime",
            count(r.id) FILTER (WHERE r."lifecycleStage" = 'active') AS "runCount",
            count(r.id) FILTER (WHERE r."lifecycleStage" = 'active' AND r.status IN ('RUNNING', 'SCHEDULED')) AS "activeRuns",
            max(r."startTime") FILTER (WHERE r."lifecycleStage" = 'active') AS "lastRunStart"
     FROM "Experiment" e LEFT JOIN "Run" r ON r."experimentId" = e.id
     WHERE e."projectId" = $1 AND ($2 OR e."lifecycleStage" = 'active')
     GROUP BY e.id
     ORDER BY e."lifecycleStage", max(r."startTime") DESC NULLS LAST, e.number DESC`,
    [access.project.id, includeDeleted],
  );
  return rows;
}
