import { logBatchSchema, metricSchema, paramSchema, runTagSchema } from "@/lib/schemas/mlflow";
import {
  createRunBody,
  deleteRunTagBody,
  logInputsBody,
  logModelBody,
  logOutputsBody,
  metricHistoryBody,
  metricHistoryBulkIntervalBody,
  runRef,
  searchRunsBody,
  updateRunBody,
} from "@/lib/schemas/mlflow-runs";
import { badInput } from "@/lib/errors";
import {
  createRun,
  deleteRunTag,
  getMetricHistory,
  getMetricHistoryBulkInterval,
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
import { metricWire, pageWire, runInfoWire, runWire } from "../tracking-wire";

const runIdOf = (input: Record<string, unknown>) =>
  runRef.parse({ run_id: input.run_id, run_uuid: input.run_uuid });

export const runRoutes: MlflowRoute[] = [
  {
    method: "POST",
    path: "/runs/search",
    handle: async (access, input) => {
      const body = searchRunsBody.parse(input);
      const found = await searchRuns(access, {
        experimentIds: body.experiment_ids,
        filter: body.filter,
        orderBy: body.order_by,
        viewType: body.run_view_type,
        maxResults: body.max_results,
        pageToken: body.page_token || undefined,
      });
      return pageWire("runs", found.runs.map(runWire), found.nextPageToken);
    },
  },
  {
    method: "POST",
    path: "/runs/create",
    handle: async (access, input) => {
      const body = createRunBody.parse(input);
      const run = await createRun(access, {
        experimentId: body.experiment_id,
        userId: body.user_id,
        startTime: body.start_time,
        runName: body.run_name,
        tags: body.tags,
      });
      return { run: runWire(run) };
    },
  },
  {
    method: "GET",
    path: "/runs/get",
    handle: async (access, input) => ({ run: runWire(await getRun(access, runIdOf(input))) }),
  },
  {
    method: "POST",
    path: "/runs/update",
    handle: async (access, input) => {
      const body = updateRunBody.parse(input);
      const runInfo = await updateRun(access, {
        runId: runIdOf(input),
        status: body.status,
        endTime: body.end_time,
        runName: body.run_name || undefined,
      });
      return { run_info: runInfoWire(runInfo) };
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
      const { key } = deleteRunTagBody.parse(input);
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
      const body = logInputsBody.parse(input);
      const runId = runIdOf(input);
      const datasets = body.datasets.map(({ tags, dataset }) => ({
        tags,
        dataset: {
          name: dataset.name,
          digest: dataset.digest,
          sourceType: dataset.source_type,
          source: dataset.source,
          schema: dataset.schema,
          profile: dataset.profile,
        },
      }));
      await logInputs(access, runId, datasets, body.models.map((model) => model.model_id));
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/outputs",
    handle: async (access, input) => {
      const body = logOutputsBody.parse(input);
      await logOutputs(access, runIdOf(input), body.models);
      return {};
    },
  },
  {
    method: "POST",
    path: "/runs/log-model",
    handle: async (access, input) => {
      const { model_json } = logModelBody.parse(input);
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
      const body = metricHistoryBody.parse(input);
      const history = await getMetricHistory(access, {
        runId: runIdOf(input),
        key: body.metric_key,
        maxResults: body.max_results,
        pageToken: body.page_token,
      });
      return pageWire("metrics", history.metrics.map(metricWire), history.nextPageToken);
    },
  },
  {
    method: "GET",
    path: "/metrics/get-history-bulk-interval",
    handle: async (access, input) => {
      const body = metricHistoryBulkIntervalBody.parse(input);
      const history = await getMetricHistoryBulkInterval(access, {
        runIds: body.run_ids,
        key: body.metric_key,
        startStep: body.start_step,
        endStep: body.end_step,
        maxResults: body.max_results,
      });
      return { metrics: history.metrics.map(({ runId, ...point }) => ({ ...metricWire(point), run_id: runId })) };
    },
  },
];
