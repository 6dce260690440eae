import { z } from "zod";
import { experimentIdSchema, paramSchema, runIdSchema, runTagSchema } from "@/lib/schemas/mlflow";
import {
  LOGGED_MODEL_STATUSES,
  createLoggedModel,
  deleteLoggedModel,
  deleteLoggedModelTag,
  finalizeLoggedModel,
  getLoggedModel,
  listLoggedModelArtifacts,
  logLoggedModelParams,
  searchLoggedModels,
  setLoggedModelTags,
} from "@/server/services/logged-models";
import type { MlflowRoute } from "../route-table";
import { fileInfos } from "./artifacts";

const modelIdSchema = z.string().regex(/^m-[0-9a-f]{32}$/, "Invalid logged model id");
const statusSchema = z
  .union([z.enum(LOGGED_MODEL_STATUSES), z.number().int().min(1).max(3)])
  .transform((status) => (typeof status === "number" ? LOGGED_MODEL_STATUSES[status - 1]! : status));

const datasetRefOf = (name: string, digest: string | undefined) => ({ name, ...(digest ? { digest } : {}) });

const datasetRef = z
  .object({ dataset_name: z.string().min(1).max(500), dataset_digest: z.string().max(36).optional() })
  .transform(({ dataset_name, dataset_digest }) => datasetRefOf(dataset_name, dataset_digest));

const orderBySchema = z
  .object({
    field_name: z.string().min(1).max(300),
    ascending: z.boolean().default(true),
    dataset_name: z.string().min(1).max(500).optional(),
    dataset_digest: z.string().max(36).optional(),
  })
  .refine((order) => order.dataset_name !== undefined || order.dataset_digest === undefined, "dataset_digest needs a dataset_name")
  .transform((order) => ({
    entry: `${order.field_name} ${order.ascending ? "ASC" : "DESC"}`,
    ...(order.dataset_name ? { dataset: datasetRefOf(order.dataset_name, order.dataset_digest) } : {}),
  }));

export const loggedModelRoutes: MlflowRoute[] = [
  {
    method: "POST",
    path: "/logged-models/search",
    handle: async (access, input) => {
      const body = z
        .object({
          experiment_ids: z.array(experimentIdSchema).min(1, "experiment_ids must name at least one experiment").max(1000),
          filter: z.string().max(10_000).optional(),
          datasets: z.array(datasetRef).max(100).default([]),
          order_by: z.array(orderBySchema).max(10).default([]),
          max_results: z.number().int().min(1).max(1000).default(100),
          page_token: z.string().max(1000).optional(),
        })
        .parse(input);
      const models = await searchLoggedModels(access, {
        experimentIds: body.experiment_ids,
        filter: body.filter,
        datasets: body.datasets,
        orderBy: body.order_by,
        maxResults: body.max_results,
        pageToken: body.page_token,
      });
      return models.next_page_token ? models : { models: models.models };
    },
  },
  {
    method: "POST",
    path: "/logged-models",
    handle: async (access, input) => {
      const body = z
        .object({
          experiment_id: experimentIdSchema,
          name: z.string().max(500).optional(),
          model_type: z.string().max(500).optional(),
          source_run_id: runIdSchema.optional(),
          params: z.array(paramSchema).max(100).default([]),
          tags: z.array(runTagSchema).max(100).default([]),
        })
        .parse(input);
      return {
        model: await createLoggedModel(access, {
          experimentId: body.experiment_id,
          name: body.name,
          modelType: body.model_type,
          sourceRunId: body.source_run_id,
          params: body.params,
          tags: body.tags,
        }),
      };
    },
  },
  {
    method: "GET",
    path: "/logged-models/:modelId",
    handle: async (access, input, params) => {
      const allowDeleted = z.enum(["true", "false"]).optional().parse(input.allow_deleted) === "true";
      return { model: await getLoggedModel(access, modelIdSchema.parse(params.modelId), allowDeleted) };
    },
  },
  {
    method: "PATCH",
    path: "/logged-models/:modelId",
    handle: async (access, input, params) => {
      const { status } = z.object({ status: statusSchema }).parse(input);
      return { model: await finalizeLoggedModel(access, modelIdSchema.parse(params.modelId), status) };
    },
  },
  {
    method: "DELETE",
    path: "/logged-models/:modelId",
    handle: async (access, _input, params) => {
      await deleteLoggedModel(access, modelIdSchema.parse(params.modelId));
      return {};
    },
  },
  {
    method: "PATCH",
    path: "/logged-models/:modelId/tags",
    handle: async (access, input, params) => {
      const { tags } = z.object({ tags: z.array(runTagSchema).max(100) }).parse(input);
      await setLoggedModelTags(access, modelIdSchema.parse(params.modelId), tags);
      return {};
    },
  },
  {
    // The client puts the tag key into the path unencoded, so it may contain slashes. The route's
    // segments arrive already percent-decoded (once, by Next's router); decoding again would turn a
    // key "acc%20top" into "acc top" and make a lone "%" a URIError.
    method: "DELETE",
    path: "/logged-models/:modelId/tags/*tagKey",
    handle: async (access, _input, params) => {
      await deleteLoggedModelTag(access, modelIdSchema.parse(params.modelId), params.tagKey!);
      return {};
    },
  },
  {
    method: "GET",
    path: "/logged-models/:modelId/artifacts/directories",
    handle: async (access, input, params) => {
      const { artifact_directory_path: folder } = z.object({ artifact_directory_path: z.string().max(4096).default("") }).parse(input);
      const { rootUri, entries } = await listLoggedModelArtifacts(access, modelIdSchema.parse(params.modelId), folder);
      return { root_uri: rootUri, files: fileInfos(entries, folder) };
    },
  },
  {
    method: "POST",
    path: "/logged-models/:modelId/params",
    handle: async (access, input, params) => {
      const body = z.object({ params: z.array(paramSchema).max(100) }).parse(input);
      await logLoggedModelParams(access, modelIdSchema.parse(params.modelId), body.params);
      return {};
    },
  },
];
