import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import type { DatasetPage } from "./types";

/** Escapes LIKE's wildcards so a filter matches its text literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The project's dataset names (across experiments and intake) by name, with version counts and last use; `filter` matches a part of the name. */
export async function listDatasets(
  access: ProjectAccess,
  input: { filter?: string; cursor?: string; limit: number },
): Promise<DatasetPage> {
  assertScope(access, "project:read");
  const pattern = input.filter ? likePattern(input.filter) : null;
  const rows = await db().$queryRaw<{ name: string; versions: number; last_used: bigint | null }[]>`
    SELECT v."name", COUNT(DISTINCT v."digest")::int AS versions, MAX(r."startTime") AS last_used
    FROM "DatasetVersion" v
    LEFT JOIN ("Dataset" d JOIN "Experiment" e ON e."id" = d."experimentId" AND e."projectId" = ${access.project.id})
      ON d."name" = v."name" AND d."digest" = v."digest"
    LEFT JOIN "RunInput" ri ON ri."datasetId" = d."id"
    LEFT JOIN "Run" r ON r."id" = ri."runId"
    WHERE v."projectId" = ${access.project.id}
      AND (${pattern}::text IS NULL OR v."name" ILIKE ${pattern}::text)
      AND (${input.cursor ?? null}::text IS NULL OR v."name" > ${input.cursor ?? null}::text)
    GROUP BY v."name"
    ORDER BY v."name"
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    datasets: page.map((row) => ({
      name: row.name,
      versionCount: row.versions,
      lastUsed: row.last_used === null ? null : Number(row.last_used),
    })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.name : null,
  };
}
