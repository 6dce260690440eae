import type { RunStatus } from "@/lib/tracking-states";
import { pooledSql } from "@/server/db/pool";
import { preparedStatement } from "@/server/db/prepared";
import { assertScope, type ProjectAccess } from "../access";
import { findRun, loadRuns } from "./internal";
import type { Run } from "./types";

export interface RunLink {
  runId: string;
  name: string;
  status: RunStatus;
}

export interface RunDetail {
  run: Run;
  experimentName: string;
  parent: RunLink | null;
  children: RunLink[];
}

/** The run's active children, its parent and its experiment's name. */
const RELATED_SQL = preparedStatement(`
  SELECT 'child' AS relation, r.id AS "runId", r.name, r.status, '' AS "experimentName"
  FROM "Run" r WHERE r."projectId" = $1 AND r."parentRunId" = $2 AND r."lifecycleStage" = 'active'
  UNION ALL
  SELECT 'parent', p.id, p.name, p.status, '' FROM "Run" c JOIN "Run" p ON p.id = c."parentRunId"
  WHERE c.id = $2 AND p."projectId" = $1
  UNION ALL
  SELECT 'experiment', '', '', '', e.name FROM "Run" r JOIN "Experiment" e ON e.id = r."experimentId" WHERE r.id = $2
  ORDER BY 1, 3`);

/** Everything the run page shows in one call: the run, its experiment's name, parent and children. */
export async function getRunDetail(access: ProjectAccess, runId: string): Promise<RunDetail> {
  assertScope(access, "project:read");
  const row = await findRun(access, runId);
  const [runs, related] = await Promise.all([
    loadRuns(access, [row.id]),
    pooledSql().query<RunLink & { relation: "parent" | "child"; experimentName: string }>(RELATED_SQL, [access.project.id, row.id]),
  ]);
  const link = ({ runId: id, name, status }: RunLink) => ({ runId: id, name, status });
  return {
    run: runs[0]!,
    experimentName: related.rows.find((entry) => (entry.relation as string) === "experiment")?.experimentName ?? "",
    parent: related.rows.filter((entry) => entry.relation === "parent").map(link)[0] ?? null,
    children: related.rows.filter((entry) => entry.relation === "child").map(link),
  };
}
