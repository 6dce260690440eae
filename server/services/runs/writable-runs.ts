/**
 * The runs a write may go to, as the queries its one statement selects them with: of the caller's
 * project, and active. Each locks the run FOR SHARE, which holds off a delete or an update of the run
 * until the write commits. They select "id" and "seq", as the metric store's appends read them.
 */

/** The run $1 of the project $2. */
export const ACTIVE_RUN_SQL = `SELECT "id", "seq" FROM "Run" WHERE "id" = $1 AND "projectId" = $2 AND "lifecycleStage" = 'active' FOR SHARE`;

/** The run $1 of the project $2, when none of the param keys $3 was logged to it before. */
export const ACTIVE_RUN_WITHOUT_PARAMS_SQL = `SELECT "id", "seq" FROM "Run" r
  WHERE "id" = $1 AND "projectId" = $2 AND "lifecycleStage" = 'active'
    AND NOT EXISTS (SELECT 1 FROM "Param" p WHERE p."runId" = r."id" AND p."key" = ANY($3::text[]))
  FOR SHARE`;

/** Each run $1[i] of the project $2[i], in id order (so that concurrent groups lock runs in one order). */
export const ACTIVE_RUNS_SQL = `SELECT "id", "seq" FROM "Run"
  WHERE ("id", "projectId") IN (SELECT * FROM unnest($1::text[], $2::text[])) AND "lifecycleStage" = 'active'
  ORDER BY "id" FOR SHARE`;
