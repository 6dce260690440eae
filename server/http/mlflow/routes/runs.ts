import { z } from "zod";
import {
  experimentIdSchema,
  int64,
  logBatchSchema,
  metricSchema,
  paramSchema,
  runIdSchema,
  runStatusSchema,
  runTagSchema,
  viewTypeSchema,
} from "@/lib/schemas/mlflow";
import { badInput } from "@/lib/errors";
import {
  createRun,
  deleteRunTag,
  getMetricHistory,
  getMetricHistoryBulkInterval,
  MAX_BULK_INTERVAL_RESULTS,
  getRun,
  logBatch,
  logInputs,
  logOutputs,
  recordLoggedModel,
  searchRuns,
  setRunLifecycle,
  updateRun,
} from "@/server/services/runs";
import type { MlflowRoute } from "../route-table";

/** Clients send the run id as `run_id`, the legacy `run_uuid`, or both. */
const runRef = z
  .object({ run_id: runIdSchema.optional(), run_uuid: runIdSchema.optional() })
  .transform((ref, ctx) => {
    const runId = ref.run_id ?? ref.run_uuid;
    if (!runId) {
      ctx.addIssue({ code: "custom", message: "run_id is required" });
      return z.NEVER;
    }
    return runId;
  });

const runIdOf = (input: Record<string, unknown>) =>
  runRef.parse({ run_id: input.run_id, run_uuid: input.run_uuid });

const inputTag = z.object({ key: z.string().max(255), value: z.string().max(500) });
const datasetSchema = z.object({
  name: z.string().min(1).max(500),
  digest: z.string().min(1).max(36),
  source_type: z.string().max(64),
  source: z.string().max(65_535),
  schema: z.string().max(1_048_575).optional(),
  profile: z.string().max(16_777_215).optional(),
});

export const runRoutes: MlflowRoute[] = [
  {
    method: "POST",
    path: "/runs/search",
    handle: async (access, input) => {
      const body = z
        .object({
          experiment_ids: z.array(experimentIdSchema).max(1000).default([]),
          filter: z.string().max(10_000).optional(),
          run_view_type: viewTypeSchema.default("ACTIVE_ONLY"),
          max_results: int64.default(1000),
          order_by: z.array(z.string().max(300)).max(10).default([]),
          page_token: z.string().max(1000).optional(),
        })
        .parse(input);
      return searchRuns(access, {
        experimentIds: body.experiment_ids,
        filter: body.filter,
        orderBy: body.order_by,
        viewType: body.run_view_type,
        maxResults: body.max_results,
        pageToken: body.page_token || undefined,
      });
    },
  },
  {
    method: "POST",
    path: "/runs/create",
    handle: async (access, input) => {
      const body = z
        .object({
          experiment_id: experimentIdSchema.default("0"),
          user_id: z.string().max(256).optional(),
          start_time: int64.optional(),
          run_name: z.string().max(250).optional(),
          tags: z.array(runTagSchema).max(100).default([]),
        })
        .parse(input);
      return {
        run: await createRun(access, {
          experimentId: body.experiment_id,
          userId: body.user_id,
          startTime: body.start_time,
          runName: body.run_name,
          tags: body.tags,
        }),
      };
    },
  },
  {
    method: "GET",
    path: "/runs/get",
    handle: async (access, input) => ({ run: await getRun(access, runIdOf(input)) }),
  },
  {
    method: "POST",
    path: "/runs/update",
    handle: async (access, input) => {
      const body = z
        .object({ status: runStatusSchema.optional(), end_time: int64.optional(), run_name: z.string().max(250).optional() })
        .parse(input);
      const runInfo = await updateRun(access, {
        runId: runIdOf(input),
        status: body.status,
        endTime: body.end_time,
        runName: body.run_name || undefined,
      });
      return { run_info: runInfo };
    },
  },
  {
    method: "POST",
    path: "/runs/delete",
    handle: async (access, input) => {
      await setRunLifecycle(access, runIdOf(input), "deleted");
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/restore",
    handle: async (access, input) => {
      await setRunLifecycle(access, runIdOf(input), "active");
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/log-metric",
    handle: async (access, input) => {
      await logBatch(access, runIdOf(input), { metrics: [metricSchema.parse(input)], params: [], tags: [] });
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/log-parameter",
    handle: async (access, input) => {
      await logBatch(access, runIdOf(input), { metrics: [], params: [paramSchema.parse(input)], tags: [] });
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/set-tag",
    handle: async (access, input) => {
      await logBatch(access, runIdOf(input), { metrics: [], params: [], tags: [runTagSchema.parse(input)] });
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/delete-tag",
    handle: async (access, input) => {
      const { key } = z.object({ key: z.string({ error: "key is required" }).min(1).max(250) }).parse(input);
      await deleteRunTag(access, runIdOf(input), key);
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/log-batch",
    handle: async (access, input) => {
      const batch = logBatchSchema.parse(input);
      await logBatch(access, runIdOf(input), batch);
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/log-inputs",
    largeBody: true,
    handle: async (access, input) => {
      const body = z
        .object({
          datasets: z.array(z.object({ tags: z.array(inputTag).default([]), dataset: datasetSchema })).max(1000).default([]),
          models: z.array(z.object({ model_id: z.string().min(1).max(64) })).max(1000).default([]),
        })
        .parse(input);
      const runId = runIdOf(input);
      await logInputs(access, runId, body.datasets);
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/outputs",
    handle: async (access, input) => {
      const body = z
        .object({ models: z.array(z.object({ model_id: z.string().min(1).max(64), step: int64.default(0) })).max(1000) })
        .parse(input);
      await logOutputs(access, runIdOf(input), body.models);
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/log-model",
    handle: async (access, input) => {
      const { model_json } = z.object({ model_json: z.string().min(2).max(100_000) }).parse(input);
      let model: unknown;
      try {
        model = JSON.parse(model_json);
      } catch {
        throw badInput("model_json must be valid JSON");
      }
      await recordLoggedModel(access, runIdOf(input), model);
      return {};
    },
  },
  {
    method: "GET",
    path: "/metrics/get-history",
    handle: async (access, input) => {
      const body = z
        .object({
          metric_key: z.string({ error: "metric_key is required" }).min(1).max(250),
          max_results: int64.optional(),
          page_token: z.string().max(1000).optional(),
        })
        .parse(input);
      return getMetricHistory(access, {
        runId: runIdOf(input),
        key: body.metric_key,
        maxResults: body.max_results,
        pageToken: body.page_token,
      });
    },
  },
  {
    method: "GET",
    path: "/metrics/get-history-bulk-interval",
    handle: async (access, input) => {
      const body = z
        .object({
          run_ids: z.union([runIdSchema, z.array(runIdSchema)], { error: "run_ids is required" }).transform((ids) => (Array.isArray(ids) ? ids : [ids])),
          metric_key: z.string({ error: "metric_key is required" }).min(1).max(250),
          start_step: int64.optional(),
          end_step: int64.optional(),
          max_results: int64.default(MAX_BULK_INTERVAL_RESULTS),
        })
        .parse(input);
      return getMetricHistoryBulkInterval(access, {
        runIds: body.run_ids,
        key: body.metric_key,
        startStep: body.start_step,
        endStep: body.end_step,
        maxResults: body.max_results,
      });
    },
  },
];
