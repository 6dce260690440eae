/**
 * The most stored text one runs/search page carries. Runs are returned whole, as MLflow's server
 * returns them (dataset schema and profile included), so a page ends early once its runs reach this
 * size and the page token continues from the first run left out; a page always holds at least one run.
 * The runs are weighed and loaded in one statement (`loadRunsWithinBudget`, internal.ts).
 */
export const MAX_SEARCH_PAGE_BYTES = 32 * 1024 * 1024;

/** Fixed JSON of a run, and of each param, tag, metric, dataset input and model output, beyond their text. */
const RUN_OVERHEAD = 512;
const ENTRY_OVERHEAD = 32;
const METRIC_OVERHEAD = 96;
const INPUT_OVERHEAD = 128;
const OUTPUT_OVERHEAD = 96;

/**
 * How much of run `r` its JSON carries, from stored sizes only: octet_length reads the size of a
 * large (TOASTed) value without reading the value, so weighing a page's runs stays cheap and a run
 * past the budget is never read.
 */
export const RUN_BYTES = `(${RUN_OVERHEAD} + octet_length(r."name") + octet_length(r."userId") + octet_length(r."artifactUri")
    + COALESCE((SELECT sum(octet_length("key") + octet_length("value") + ${ENTRY_OVERHEAD}) FROM "Param" WHERE "runSeq" = r."seq"), 0)
    + COALESCE((SELECT sum(octet_length("key") + octet_length("value") + ${ENTRY_OVERHEAD}) FROM "RunTag" WHERE "runSeq" = r."seq"), 0)
    + COALESCE((SELECT sum(octet_length("key") + ${METRIC_OVERHEAD}) FROM "LatestMetric" WHERE "runSeq" = r."seq"), 0)
    + COALESCE((
        SELECT sum(octet_length(i."tags"::text) + octet_length(d."name") + octet_length(d."digest") + octet_length(d."sourceType")
                   + octet_length(d."source") + COALESCE(octet_length(d."schema"), 0) + COALESCE(octet_length(d."profile"), 0)
                   + ${INPUT_OVERHEAD})
        FROM "RunInput" i JOIN "Dataset" d ON d."id" = i."datasetId" WHERE i."runId" = r."id"), 0)
    + (SELECT count(*) * ${OUTPUT_OVERHEAD} FROM "RunOutput" WHERE "runId" = r."id"))::int8`;
