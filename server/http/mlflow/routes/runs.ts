import { z } from "zod";
import { badInput } from "@/lib/errors";
import { metricSchema, paramSchema, runTagSchema } from "@/lib/schemas/mlflow";
import { emptyAnswer, metricWireSchema, pageOf, runAnswer, runInfoWireSchema, runWireSchema } from "@/lib/schemas/mlflow-answers";
import {
  createRunBody,
  deleteRunTagBody,
  logBatchBody,
  logInputsBody,
  logModelBody,
  logOutputsBody,
  metricHistoryBody,
  metricHistoryBulkIntervalBody,
  searchRunsBody,
  updateRunBody,
  withRunId,
} from "@/lib/schemas/mlflow-runs";
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
import { mlflowRoute, type MlflowRoute } from "../route-table";
import { metricWire, pageWire, runInfoWire, runWire } from "../tracking-wire";

const runRef = withRunId(z.object({}));

export const runRoutes: MlflowRoute[] = [
  mlflowRoute({
    method: "POST",
    path: "/runs/search",
    summary: "Search runs",
    input: searchRunsBody,
    answer: pageOf("runs", runWireSchema),
    handle: async (access, body) => {
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
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/create",
    summary: "Create a run",
    input: createRunBody,
    answer: runAnswer,
    handle: async (access, body) => {
      const run = await createRun(access, {
        experimentId: body.experiment_id,
        userId: body.user_id,
        startTime: body.start_time,
        runName: body.run_name,
        tags: body.tags,
      });
      return { run: runWire(run) };
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/runs/get",
    summary: "A run with its latest metrics, params, tags, inputs and outputs",
    input: runRef,
    answer: runAnswer,
    handle: async (access, { runId }) => ({ run: runWire(await getRun(access, runId)) }),
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/update",
    summary: "Update a run's status, end time or name",
    input: withRunId(updateRunBody),
    answer: z.strictObject({ run_info: runInfoWireSchema }),
    handle: async (access, body) => {
      const runInfo = await updateRun(access, {
        runId: body.runId,
        status: body.status,
        endTime: body.end_time,
        runName: body.run_name || undefined,
      });
      return { run_info: runInfoWire(runInfo) };
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/delete",
    summary: "Delete a run (restorable)",
    input: runRef,
    answer: emptyAnswer,
    handle: async (access, { runId }) => {
      await setRunLifecycle(access, runId, "deleted");
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/restore",
    summary: "Restore a deleted run",
    input: runRef,
    answer: emptyAnswer,
    handle: async (access, { runId }) => {
      await setRunLifecycle(access, runId, "active");
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/log-metric",
    summary: "Log one metric point",
    input: withRunId(metricSchema),
    answer: emptyAnswer,
    handle: async (access, { runId, ...metric }) => {
      await logBatch(access, runId, { metrics: [metric], params: [], tags: [] });
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/log-parameter",
    summary: "Log one param",
    input: withRunId(paramSchema),
    answer: emptyAnswer,
    handle: async (access, { runId, ...param }) => {
      await logBatch(access, runId, { metrics: [], params: [param], tags: [] });
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/set-tag",
    summary: "Set a run's tag",
    input: withRunId(runTagSchema),
    answer: emptyAnswer,
    handle: async (access, { runId, ...tag }) => {
      await logBatch(access, runId, { metrics: [], params: [], tags: [tag] });
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/delete-tag",
    summary: "Delete a run's tag",
    input: withRunId(deleteRunTagBody),
    answer: emptyAnswer,
    handle: async (access, { runId, key }) => {
      await deleteRunTag(access, runId, key);
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/log-batch",
    summary: "Log metrics, params and tags in one request",
    input: logBatchBody,
    answer: emptyAnswer,
    handle: async (access, { runId, ...batch }) => {
      await logBatch(access, runId, batch);
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/log-inputs",
    summary: "Log the datasets (and models) a run used",
    largeBody: true,
    input: withRunId(logInputsBody),
    answer: emptyAnswer,
    handle: async (access, body) => {
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
      await logInputs(access, body.runId, datasets, body.models.map((model) => model.model_id));
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/outputs",
    summary: "Log the models a run produced",
    input: withRunId(logOutputsBody),
    answer: emptyAnswer,
    handle: async (access, body) => {
      await logOutputs(access, body.runId, body.models);
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/runs/log-model",
    summary: "Record a model logged by the run (MLflow 2's MLmodel JSON)",
    input: withRunId(logModelBody),
    answer: emptyAnswer,
    handle: async (access, { runId, model_json }) => {
      let model: unknown;
      try {
        model = JSON.parse(model_json);
      } catch {
        throw badInput("model_json must be valid JSON");
      }
      await recordLoggedModel(access, runId, model);
      return {};
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/metrics/get-history",
    summary: "Every point of a run's metric, paged",
    input: withRunId(metricHistoryBody),
    answer: pageOf("metrics", metricWireSchema),
    handle: async (access, body) => {
      const history = await getMetricHistory(access, {
        runId: body.runId,
        key: body.metric_key,
        maxResults: body.max_results,
        pageToken: body.page_token,
      });
      return pageWire("metrics", history.metrics.map(metricWire), history.nextPageToken);
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/metrics/get-history-bulk-interval",
    summary: "A metric of several runs at evenly sampled steps",
    input: metricHistoryBulkIntervalBody,
    answer: z.strictObject({ metrics: z.array(metricWireSchema.extend({ run_id: z.string() })) }),
    handle: async (access, body) => {
      const history = await getMetricHistoryBulkInterval(access, {
        runIds: body.run_ids,
        key: body.metric_key,
        startStep: body.start_step,
        endStep: body.end_step,
        maxResults: body.max_results,
      });
      // Object.assign: a spread followed by more properties is slow in Node 20 (docs/performance.md, "Object spread on hot paths").
      return { metrics: history.metrics.map((point) => Object.assign(metricWire(point), { run_id: point.runId })) };
    },
  }),
];
