import { badInput, notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { colspecColumns, parseDocument, sourceLocation } from "./documents";
import type { DatasetDetail, DatasetOrigin, DatasetVersion, DatasetVersionRun, DatasetVersionRunsPage } from "./types";

/** Runs shown with each version on the dataset's page; the rest are paged with `datasetVersionRuns`. */
export const RUNS_PER_VERSION = 25;

interface VersionRow {
  digest: string;
  sourceType: string;
  source: string;
  schema: string | null;
  profile: string | null;
  origin: string;
  createdBy: string | null;
  createdAt: Date;
}

interface UseRow {
  digest: string;
  run_id: string;
  run_name: string;
  user_id: string;
  start_time: bigint;
  experiment_number: number;
  tags: unknown;
}

function contextOf(tags: unknown): string | null {
  if (!Array.isArray(tags)) return null;
  const tag = tags.find((entry: unknown) => (entry as { key?: unknown } | null)?.key === "mlflow.data.context") as { value?: unknown } | undefined;
  return typeof tag?.value === "string" ? tag.value : null;
}

function toRun(row: UseRow): DatasetVersionRun {
  return {
    runId: row.run_id,
    runName: row.run_name,
    userId: row.user_id,
    startTime: Number(row.start_time),
    experimentId: String(row.experiment_number),
    context: contextOf(row.tags),
  };
}

// Newest first; the cursor is the last shown run's start time and id.
const cursorOf = (run: DatasetVersionRun) => `${run.startTime}:${run.runId}`;

function parseCursor(cursor: string): { startTime: bigint; runId: string } {
  const match = /^(\d{1,20}):([0-9a-f]{1,64})$/.exec(cursor);
  if (!match) throw badInput(`Invalid runs cursor: ${cursor}`);
  return { startTime: BigInt(match[1]!), runId: match[2]! };
}

/** The dataset's versions newest first by first use; NOT_FOUND when the project has no dataset of that name. */
export async function getDataset(access: ProjectAccess, name: string): Promise<DatasetDetail> {
  assertScope(access, "project:read");
  const projectId = access.project.id;
  // Every version the project knows (MLflow inputs, OpenLineage, DVC), with how MLflow runs used it.
  const versions = await db().$queryRaw<
    (VersionRow & { run_count: number; first_used: bigint | null; first_user: string | null })[]
  >`
    SELECT v."digest", v."sourceType", v."source", v."schema", v."profile", v."origin", v."createdBy", v."createdAt",
           COUNT(r."id")::int AS run_count,
           MIN(r."startTime") AS first_used,
           (ARRAY_AGG(r."userId" ORDER BY r."startTime", r."id") FILTER (WHERE r."id" IS NOT NULL))[1] AS first_user
    FROM "DatasetVersion" v
    LEFT JOIN ("Dataset" d JOIN "Experiment" e ON e."id" = d."experimentId" AND e."projectId" = ${projectId})
      ON d."name" = v."name" AND d."digest" = v."digest"
    LEFT JOIN "RunInput" ri ON ri."datasetId" = d."id"
    LEFT JOIN "Run" r ON r."id" = ri."runId"
    WHERE v."projectId" = ${projectId} AND v."name" = ${name}
    GROUP BY v."id"
    ORDER BY COALESCE(MIN(r."startTime"), (EXTRACT(EPOCH FROM v."createdAt") * 1000)::bigint) DESC, v."digest"`;
  if (versions.length === 0) throw notFound(`Dataset '${name}' not found`);
  const uses = await db().$queryRaw<(UseRow & { position: bigint })[]>`
    SELECT * FROM (
      SELECT d."digest", r."id" AS run_id, r."name" AS run_name, r."userId" AS user_id, r."startTime" AS start_time,
             e."number" AS experiment_number, ri."tags",
             ROW_NUMBER() OVER (PARTITION BY d."digest" ORDER BY r."startTime" DESC, r."id" DESC) AS position
      FROM "Dataset" d
      JOIN "Experiment" e ON e."id" = d."experimentId"
      JOIN "RunInput" ri ON ri."datasetId" = d."id"
      JOIN "Run" r ON r."id" = ri."runId"
      WHERE e."projectId" = ${projectId} AND d."name" = ${name}
    ) uses
    WHERE position <= ${RUNS_PER_VERSION}
    ORDER BY start_time DESC, run_id DESC`;
  return {
    name,
    versions: versions.map((version): DatasetVersion => {
      const schema = parseDocument(version.schema);
      const runs = uses.filter((use) => use.digest === version.digest).map(toRun);
      return {
        digest: version.digest,
        sourceType: version.sourceType,
        source: version.source,
        sourceUri: sourceLocation(version.source),
        schema,
        columns: colspecColumns(schema),
        profile: parseDocument(version.profile),
        origin: version.origin as DatasetOrigin,
        // The first run that used it; for versions only a pipeline produced, whoever imported them.
        firstLoggedBy: version.first_user ?? version.createdBy,
        firstLoggedAt: version.first_used === null ? version.createdAt.getTime() : Number(version.first_used),
        runCount: version.run_count,
        runs,
        nextRunsCursor: version.run_count > runs.length ? cursorOf(runs[runs.length - 1]!) : null,
      };
    }),
  };
}

/** A further page of the runs that used one version, newest first; NOT_FOUND for an unknown name or digest. */
export async function datasetVersionRuns(
  access: ProjectAccess,
  input: { name: string; digest: string; cursor?: string; limit: number },
): Promise<DatasetVersionRunsPage> {
  assertScope(access, "project:read");
  const after = input.cursor ? parseCursor(input.cursor) : null;
  const known = await db().datasetVersion.findUnique({
    where: { projectId_name_digest: { projectId: access.project.id, name: input.name, digest: input.digest } },
    select: { id: true },
  });
  if (!known) throw notFound(`Dataset '${input.name}' has no version ${input.digest}`);
  const rows = await db().$queryRaw<UseRow[]>`
    SELECT d."digest", r."id" AS run_id, r."name" AS run_name, r."userId" AS user_id, r."startTime" AS start_time,
           e."number" AS experiment_number, ri."tags"
    FROM "Dataset" d
    JOIN "Experiment" e ON e."id" = d."experimentId"
    JOIN "RunInput" ri ON ri."datasetId" = d."id"
    JOIN "Run" r ON r."id" = ri."runId"
    WHERE e."projectId" = ${access.project.id} AND d."name" = ${input.name} AND d."digest" = ${input.digest}
      AND (${after === null}::boolean OR (r."startTime", r."id") < (${after?.startTime ?? 0n}::bigint, ${after?.runId ?? ""}::text))
    ORDER BY r."startTime" DESC, r."id" DESC
    LIMIT ${input.limit + 1}`;
  const runs = rows.slice(0, input.limit).map(toRun);
  return { runs, nextCursor: rows.length > input.limit ? cursorOf(runs[runs.length - 1]!) : null };
}
