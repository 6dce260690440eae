import {
  allowDeletedQuery,
  createLoggedModelBody,
  finalizeLoggedModelBody,
  loggedModelArtifactsQuery,
  loggedModelIdSchema as modelIdSchema,
  loggedModelParamsBody,
  loggedModelTagsBody,
  searchLoggedModelsBody,
} from "@/lib/schemas/mlflow-logged-models";
import {
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
import { loggedModelWire, pageWire } from "../tracking-wire";
import { fileInfos } from "./artifacts";

export const loggedModelRoutes: MlflowRoute[] = [
  {
    method: "POST",
    path: "/logged-models/search",
    scope: "project:read",
    handle: async (access, input) => {
      const body = searchLoggedModelsBody.parse(input);
      const models = await searchLoggedModels(access, {
        experimentIds: body.experiment_ids,
        filter: body.filter,
        datasets: body.datasets,
        orderBy: body.order_by,
        maxResults: body.max_results,
        pageToken: body.page_token,
      });
      return pageWire("models", models.models.map(loggedModelWire), models.nextPageToken);
    },
  },
  {
    method: "POST",
    path: "/logged-models",
    scope: "runs:write",
    handle: async (access, input) => {
      const body = createLoggedModelBody.parse(input);
      const model = await createLoggedModel(access, {
        experimentId: body.experiment_id,
        name: body.name,
        modelType: body.model_type,
        sourceRunId: body.source_run_id,
        params: body.params,
        tags: body.tags,
      });
      return { model: loggedModelWire(model) };
    },
  },
  {
    method: "GET",
    path: "/logged-models/:modelId",
    scope: "project:read",
    handle: async (access, input, params) => {
      const allowDeleted = allowDeletedQuery.parse(input.allow_deleted) === "true";
      return { model: loggedModelWire(await getLoggedModel(access, modelIdSchema.parse(params.modelId), allowDeleted)) };
    },
  },
  {
    method: "PATCH",
    path: "/logged-models/:modelId",
    scope: "runs:write",
    handle: async (access, input, params) => {
      const { status } = finalizeLoggedModelBody.parse(input);
      return { model: loggedModelWire(await finalizeLoggedModel(access, modelIdSchema.parse(params.modelId), status)) };
    },
  },
  {
    method: "DELETE",
    path: "/logged-models/:modelId",
    scope: "runs:delete",
    handle: async (access, _input, params) => {
      await deleteLoggedModel(access, modelIdSchema.parse(params.modelId));
      return {};
    },
  },
  {
    method: "PATCH",
    path: "/logged-models/:modelId/tags",
    scope: "runs:write",
    handle: async (access, input, params) => {
      const { tags } = loggedModelTagsBody.parse(input);
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
    scope: "runs:write",
    handle: async (access, _input, params) => {
      await deleteLoggedModelTag(access, modelIdSchema.parse(params.modelId), params.tagKey!);
      return {};
    },
  },
  {
    method: "GET",
    path: "/logged-models/:modelId/artifacts/directories",
    scope: "project:read",
    handle: async (access, input, params) => {
      const { artifact_directory_path: folder } = loggedModelArtifactsQuery.parse(input);
      const { rootUri, entries } = await listLoggedModelArtifacts(access, modelIdSchema.parse(params.modelId), folder);
      return { root_uri: rootUri, files: fileInfos(entries, folder) };
    },
  },
  {
    method: "POST",
    path: "/logged-models/:modelId/params",
    scope: "runs:write",
    handle: async (access, input, params) => {
      const body = loggedModelParamsBody.parse(input);
      await logLoggedModelParams(access, modelIdSchema.parse(params.modelId), body.params);
      return {};
    },
  },
];
