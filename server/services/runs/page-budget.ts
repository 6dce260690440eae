import { pooledSql } from "@/server/db/pool";
import { preparedStatement } from "@/server/db/prepared";

/**
 * The most stored text one runs/search page carries. Runs are returned whole, as MLflow's server
 * returns them (dataset schema and profile included), so a page ends early once its runs reach this
 * size and the page token continues from the first run left out; a page always holds at least one run.
 */
export const MAX_SEARCH_PAGE_BYTES = 32 * 1024 * 1024;

/** Fixed JSON of a run, and of each param, tag, metric, dataset input and model output, beyond their text. */
const RUN_OVERHEAD = 512;
const ENTRY_OVERHEAD = 32;
const METRIC_OVERHEAD = 96;
const INPUT_OVERHEAD = 128;
const OUTPUT_OVERHEAD = 96;

/**
 * How much of a run its JSON carries, from stored sizes only: octet_length reads the size of a
 * large (TOASTed) value without reading the value, so weighing thousands of runs stays cheap. One
 * row per run still there. The runs are found by `id = ANY(...)`, which has one good plan (the
 * primary key), whatever the planner's statistics say: a join with the list of ids could turn into a
 * scan of every run of the project when they are missing, as they are after a burst of new runs.
 */
const RUN_WEIGHTS_SQL = preparedStatement(`
  SELECT r."id", (${RUN_OVERHEAD} + octet_length(r."name") + octet_length(r."userId") + octet_length(r."artifactUri")
    + COALESCE((SELECT sum(octet_length("key") + octet_length("value") + ${ENTRY_OVERHEAD}) FROM "Param" WHERE "runId" = r."id"), 0)
    + COALESCE((SELECT sum(octet_length("key") + octet_length("value") + ${ENTRY_OVERHEAD}) FROM "RunTag" WHERE "runId" = r."id"), 0)
    + COALESCE((SELECT sum(octet_length("key") + ${METRIC_OVERHEAD}) FROM "LatestMetric" WHERE "runSeq" = r."seq"), 0)
    + COALESCE((
        SELECT sum(octet_length(i."tags"::text) + octet_length(d."name") + octet_length(d."digest") + octet_length(d."sourceType")
                   + octet_length(d."source") + COALESCE(octet_length(d."schema"), 0) + COALESCE(octet_length(d."profile"), 0)
                   + ${INPUT_OVERHEAD})
        FROM "RunInput" i JOIN "Dataset" d ON d."id" = i."datasetId" WHERE i."runId" = r."id"), 0)
    + (SELECT count(*) * ${OUTPUT_OVERHEAD} FROM "RunOutput" WHERE "runId" = r."id"))::int8 AS "bytes"
  FROM "Run" r
  WHERE r."id" = ANY($1::text[]) AND r."projectId" = $2`);

/** The longest run of `runIds` (in order, at least the first) whose runs fit in MAX_SEARCH_PAGE_BYTES. */
export async function runsWithinPageBudget(projectId: string, runIds: string[]): Promise<string[]> {
  if (runIds.length === 0) return [];
  const weights = await pooledSql().query<{ id: string; bytes: number }>(RUN_WEIGHTS_SQL, [runIds, projectId]);
  const bytesOf = new Map(weights.rows.map(({ id, bytes }) => [id, bytes]));
  let total = 0;
  let fitting = 0;
  for (const id of runIds) {
    // A run gone since the search weighs nothing: loadRuns leaves it out.
    total += bytesOf.get(id) ?? 0;
    if (fitting > 0 && total > MAX_SEARCH_PAGE_BYTES) break;
    fitting++;
  }
  return runIds.slice(0, fitting);
}
