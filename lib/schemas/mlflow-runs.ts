import { z } from "zod";
import { experimentIdSchema, int64, logBatchSchema, runIdSchema, runStatusSchema, runTagSchema, viewTypeSchema } from "./mlflow";

/**
 * Request schemas of MLflow's run and metric endpoints (wire names, snake_case). The shared pieces
 * (keys, metrics, params, tags, log-batch) are in lib/schemas/mlflow.ts.
 */

/** The most points one get-history-bulk-interval call returns (MLflow's own ceiling), and the most runs it reads. */
export const MAX_BULK_INTERVAL_RESULTS = 2_500;
export const MAX_BULK_INTERVAL_RUNS = 100;

const runRefFields = { run_id: runIdSchema.optional(), run_uuid: runIdSchema.optional() };
type RunRefFields = { run_id?: string; run_uuid?: string };

/** Clients send the run id as `run_id`, the legacy `run_uuid`, or both: handed on as `runId`. */
function takeRunId<Fields extends RunRefFields>({ run_id, run_uuid, ...rest }: Fields, ctx: z.RefinementCtx) {
  const runId = run_id ?? run_uuid;
  if (!runId) {
    ctx.addIssue({ code: "custom", message: "run_id is required" });
    return z.NEVER;
  }
  return { ...rest, runId };
}

/** A request of one run: `fields` plus the run's id. */
export function withRunId<Shape extends z.ZodRawShape>(fields: z.ZodObject<Shape>) {
  return fields.extend(runRefFields).transform((value, ctx) => takeRunId(value as typeof value & RunRefFields, ctx));
}

export const logBatchBody = logBatchSchema.transform(takeRunId);

export const searchRunsBody = z.object({
  experiment_ids: z.array(experimentIdSchema).max(1000).default([]),
  filter: z.string().max(10_000).optional(),
  run_view_type: viewTypeSchema.default("ACTIVE_ONLY"),
  max_results: int64.default(1000),
  order_by: z.array(z.string().max(300)).max(10).default([]),
  page_token: z.string().max(1000).optional(),
});

export const createRunBody = z.object({
  experiment_id: experimentIdSchema.default("0"),
  user_id: z.string().max(256).optional(),
  start_time: int64.optional(),
  run_name: z.string().max(250).optional(),
  tags: z.array(runTagSchema).max(100).default([]),
});

export const updateRunBody = z.object({
  status: runStatusSchema.optional(),
  end_time: int64.optional(),
  run_name: z.string().max(250).optional(),
});

export const deleteRunTagBody = z.object({ key: z.string({ error: "key is required" }).min(1).max(250) });

const inputTag = z.object({ key: z.string().max(255), value: z.string().max(500) });
const datasetSchema = z.object({
  name: z.string().min(1).max(500),
  digest: z.string().min(1).max(36),
  source_type: z.string().max(64),
  source: z.string().max(65_535),
  schema: z.string().max(1_048_575).optional(),
  profile: z.string().max(16_777_215).optional(),
});

export const logInputsBody = z.object({
  datasets: z.array(z.object({ tags: z.array(inputTag).default([]), dataset: datasetSchema })).max(1000).default([]),
  models: z.array(z.object({ model_id: z.string().min(1).max(64) })).max(1000).default([]),
});

export const logOutputsBody = z.object({
  models: z.array(z.object({ model_id: z.string().min(1).max(64), step: int64.default(0) })).max(1000),
});

export const logModelBody = z.object({ model_json: z.string().min(2).max(100_000) });

export const metricHistoryBody = z.object({
  metric_key: z.string({ error: "metric_key is required" }).min(1).max(250),
  max_results: int64.optional(),
  page_token: z.string().max(1000).optional(),
});

export const metricHistoryBulkIntervalBody = z.object({
  run_ids: z
    .union([runIdSchema, z.array(runIdSchema).meta({ maxItems: MAX_BULK_INTERVAL_RUNS })], { error: "run_ids is required" })
    .transform((ids) => (Array.isArray(ids) ? ids : [ids]))
    .pipe(z.array(z.string()).max(MAX_BULK_INTERVAL_RUNS, `run_ids must name from 1 to ${MAX_BULK_INTERVAL_RUNS} runs`)),
  metric_key: z.string({ error: "metric_key is required" }).min(1).max(250),
  start_step: int64.optional(),
  end_step: int64.optional(),
  max_results: int64.default(MAX_BULK_INTERVAL_RESULTS),
});
